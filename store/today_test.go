package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestCaseDueCountsAndOfficeLoad: the start view's counts split a
// worklist's open cases by their next deadline, and an office's load
// counts each active case worker's open cases, those with none included.
func TestCaseDueCountsAndOfficeLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		today := now.Truncate(24 * time.Hour)
		// Cases 0–7 Hanna's, 8–9 nobody's; case 7 closed. Next deadlines
		// by case: 2 overdue, 1 today, 2 this week, 1 next week; case 0
		// has a warning.
		offsets := []int{-3, -1, 0, 2, 6, 9, 30, -5, -2, 0}
		cases := visbyWorklist{n: 10,
			mine:   func(i int) bool { return i < 8 },
			closed: func(i int) bool { return i == 7 },
			state: func(i int) store.CaseState {
				st := store.CaseState{EvalDate: now, NextDue: today.AddDate(0, 0, offsets[i]), Phase: "1-90"}
				if i == 0 || i == 8 {
					st.WarningCount = 1
				}
				return st
			},
			// Ida has no cases; Cissi, a manager of the office, carries
			// none: not in its load.
			staff: []store.User{{Username: "i", Name: "Ida", Roles: account.RolesOf(account.CaseWorker)},
				{Username: "c", Name: "Cissi", Roles: account.RolesOf(account.Manager)}},
		}
		v := cases.seed(t, s, now)
		fkID, office, worker, idle := v.fk, v.office, v.worker, v.staff[0]
		// Two certificates on Hanna's first case, one this week; one on
		// the closed case, which does not count.
		storetest.Write(t, s, func(tx *store.Tx) error {
			rows, _, err := store.Worklist(ctx, tx, store.WorklistQuery{AssignedUserID: worker, Limit: 1})
			if err != nil || len(rows) == 0 {
				return fmt.Errorf("no case: %v", err)
			}
			closed, _, err := store.Worklist(ctx, tx, store.WorklistQuery{AssignedUserID: worker, Status: store.CaseClosed, Limit: 1})
			if err != nil || len(closed) == 0 {
				return fmt.Errorf("no closed case: %v", err)
			}
			for i, c := range []struct {
				row  store.WorklistRow
				days int
			}{{rows[0], -2}, {rows[0], -20}, {closed[0], -1}} {
				got := now.AddDate(0, 0, c.days)
				if _, err := store.InsertCertificate(ctx, tx, store.NewCertificate{SenderOrgID: fkID, CertID: fmt.Sprint("cert-", i), PersonID: c.row.PersonID,
					CaseID: c.row.ID, SignedAt: got, ReceivedAt: got, FirstDay: today, LastDay: today, Findings: []byte("[]"), Source: "api", Body: []byte("{}")}); err != nil {
					return err
				}
			}
			return nil
		})
		if n, err := store.CaseNewsSince(ctx, s, worker, now.AddDate(0, 0, -7)); err != nil || n != (store.CaseNews{Certificates: 1}) {
			t.Errorf("news %+v %v, want one certificate", n, err)
		}
		weekEnd := today.AddDate(0, 0, 6)
		for _, tc := range []struct {
			q    store.WorklistQuery
			want store.DueCounts
		}{
			{store.WorklistQuery{AssignedUserID: worker}, store.DueCounts{Overdue: 2, Today: 1, ThisWeek: 2, Warnings: 1}},
			{store.WorklistQuery{OfficeID: office}, store.DueCounts{Overdue: 3, Today: 2, ThisWeek: 2, Warnings: 2}},
			{store.WorklistQuery{OfficeID: office, Unassigned: true}, store.DueCounts{Overdue: 1, Today: 1, Warnings: 1}},
			{store.WorklistQuery{AssignedUserID: idle}, store.DueCounts{}},
		} {
			got, err := store.CaseDueCounts(ctx, s, tc.q, today, weekEnd)
			if err != nil || got != tc.want {
				t.Errorf("%+v: %+v %v, want %+v", tc.q, got, err, tc.want)
			}
		}
		load, err := store.OfficeLoad(ctx, s, office)
		want := []store.WorkerLoad{{UserID: worker, Name: "Hanna", Open: 7}, {UserID: idle, Name: "Ida", Open: 0}}
		if err != nil || fmt.Sprint(load) != fmt.Sprint(want) {
			t.Errorf("load %v %v, want %v", load, err, want)
		}
	})
}

// TestRejectedCountSince counts a sender's rejections from a time on, and
// every sender's with 0.
func TestRejectedCountSince(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		var a, b int64
		storetest.Write(t, s, func(tx *store.Tx) error {
			for i, slug := range []string{"region-a", "region-b"} {
				org, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: slug, Name: slug, Type: organisation.Region})
				if err != nil {
					return err
				}
				if i == 0 {
					a = org.ID
				} else {
					b = org.ID
				}
			}
			for i, r := range []struct {
				org  int64
				days int
			}{{a, -1}, {a, -10}, {b, -2}, {a, 0}} {
				if err := store.RejectCertificate(ctx, tx, store.Rejected{SenderOrgID: r.org, CertID: fmt.Sprint("c", i), Source: "api",
					ReceivedAt: now.AddDate(0, 0, r.days), ContentType: "application/json", Body: "{}", Errors: []byte("[]")}); err != nil {
					return err
				}
			}
			return nil
		})
		since := now.AddDate(0, 0, -7)
		for _, tc := range []struct {
			org  int64
			want int
		}{{0, 3}, {a, 2}, {b, 1}} {
			if n, err := store.RejectedCountSince(ctx, s, tc.org, since); err != nil || n != tc.want {
				t.Errorf("sender %d: %d %v, want %d", tc.org, n, err, tc.want)
			}
		}
	})
}

// TestAssociationWorkOf counts pending registrations, unhandled interest
// and the insatser that end within the horizon, not the ended ones.
func TestAssociationWorkOf(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		cl := association.MustDefaultCodeLists()
		storetest.Write(t, s, func(tx *store.Tx) error {
			for i, end := range []struct {
				days   int
				status association.InsatsStatus
			}{{10, association.InsatsOngoing}, {30, association.InsatsOngoing}, {31, association.InsatsOngoing}, {5, association.InsatsEnded}} {
				in, err := store.CreateInsats(ctx, tx, association.Insats{AssociationID: o.assoc, Name: fmt.Sprint("Insats ", i), Kind: association.Individual,
					ResponsibleOrgID: o.fk, PartyOrgIDs: []int64{o.fk, o.af}, Start: assocToday.AddDays(-30), End: assocToday.AddDays(end.days),
					FollowUp: association.FollowUpIndividual, Status: end.status}, assocNow)
				if err != nil {
					return err
				}
				if i == 0 {
					if _, err := store.RegisterParticipant(ctx, tx, association.Participant{AssociationID: o.assoc, InsatsID: in.ID, Sex: "female", AgeGroup: "30-39",
						Status: association.Pending}, cl, assocToday, assocNow); err != nil {
						return err
					}
				}
			}
			return nil
		})
		w, err := store.AssociationWorkOf(ctx, s, o.assoc, assocToday, assocToday.AddDays(30))
		if want := (store.AssociationWork{Pending: 1, Ending: 2}); err != nil || w != want {
			t.Errorf("%+v %v, want %+v", w, err, want)
		}
		if w, err := store.AssociationWorkOf(ctx, s, o.outsider, assocToday, assocToday.AddDays(30)); err != nil || w != (store.AssociationWork{}) {
			t.Errorf("another association: %+v %v", w, err)
		}
	})
}
