package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

type caseFixture struct {
	fk               organisation.Organisation
	visby, slite     int64 // offices
	group            int64
	worker, other    int64 // users
	personA, personB int64
	caseA, caseB     int64 // caseA in Visby, assigned to worker; caseB in Slite
	now              time.Time
}

// caseSetup makes FK with two offices in one customer group, a case
// worker, and two persons with one case each.
func caseSetup(t *testing.T, s *store.Store) caseFixture {
	t.Helper()
	ctx := context.Background()
	f := caseFixture{now: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
	storetest.Write(t, s, func(tx *store.Tx) error {
		var err error
		if f.fk, err = store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "fk", Name: "Försäkringskassan", Type: organisation.FK}); err != nil {
			return err
		}
		if f.group, err = store.CreateCustomerGroup(ctx, tx, store.CustomerGroup{OrgID: f.fk.ID, Slug: "tnaf", Name: "Tillfälligt nedsatt arbetsförmåga"}); err != nil {
			return err
		}
		if f.visby, err = store.CreateOffice(ctx, tx, store.Office{OrgID: f.fk.ID, Slug: "visby", Name: "Visby", Kind: store.OfficeLocal, CustomerGroupID: f.group, MunicipalityCode: "0980"}); err != nil {
			return err
		}
		if f.slite, err = store.CreateOffice(ctx, tx, store.Office{OrgID: f.fk.ID, Slug: "slite", Name: "Slite", Kind: store.OfficeLocal, CustomerGroupID: f.group}); err != nil {
			return err
		}
		if f.worker, err = store.CreateUser(ctx, tx, store.User{Username: "h", Name: "Hanna Handläggare", OrgID: f.fk.ID, OfficeID: f.visby, Roles: account.RolesOf(account.CaseWorker)}); err != nil {
			return err
		}
		if f.other, err = store.CreateUser(ctx, tx, store.User{Username: "o", Name: "Olle", OrgID: f.fk.ID, OfficeID: f.visby, Roles: account.RolesOf(account.CaseWorker)}); err != nil {
			return err
		}
		if f.personA, err = store.EnsurePerson(ctx, tx, "197001019801", f.now); err != nil {
			return err
		}
		if _, err = tx.Exec(ctx, "UPDATE persons SET municipality_code = '0980' WHERE id = $1", f.personA); err != nil {
			return err
		}
		if f.personB, err = store.EnsurePerson(ctx, tx, "198002029802", f.now); err != nil {
			return err
		}
		// A new case goes to the office serving the person's municipality.
		if f.caseA, err = store.InsertCase(ctx, tx, f.personA, day("2026-09-01"), day("2026-12-31"), f.now); err != nil {
			return err
		}
		if f.caseB, err = store.InsertCase(ctx, tx, f.personB, day("2026-10-01"), day("2026-11-30"), f.now); err != nil {
			return err
		}
		if err := store.SetCaseOwner(ctx, tx, f.caseB, f.slite, f.group, 0); err != nil {
			return err
		}
		return store.InsertPeriods(ctx, tx, f.personA, 0, []store.Period{{From: day("2026-09-01"), To: day("2026-12-31"), Degree: 100}}, "manual", f.now)
	})
	return f
}

func TestNewCaseGoesToTheOfficeOfThePersonsMunicipality(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := caseSetup(t, s)
		ctx := context.Background()
		a, err := store.CaseByID(ctx, s, f.caseA)
		if err != nil {
			t.Fatal(err)
		}
		if a.OfficeID != f.visby || a.CustomerGroupID != f.group || a.OfficeName != "Visby" || a.Status != store.CaseOpen || a.Version != 1 {
			t.Errorf("case A: office %d group %d %q status %q version %d", a.OfficeID, a.CustomerGroupID, a.OfficeName, a.Status, a.Version)
		}
		if !a.NextDue.Equal(store.NoDue) || a.Employment != "employee" {
			t.Errorf("a new case has next_due %v and employment %q", a.NextDue, a.Employment)
		}
		b, err := store.CaseByID(ctx, s, f.caseB)
		if err != nil {
			t.Fatal(err)
		}
		if b.OfficeID != f.slite {
			t.Errorf("case B: office %d, want Slite %d", b.OfficeID, f.slite)
		}
	})
}

func TestEditsUseOptimisticLocking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := caseSetup(t, s)
		ctx := context.Background()
		facts := store.CaseFacts{Employment: "unemployed", AnnualIncomeOre: 30000000, EmployerName: "Visby Bygg AB", EmployerOrgNumber: "5560000001"}
		if err := s.Tx(ctx, func(tx *store.Tx) error { return store.UpdateCaseFacts(ctx, tx, f.caseA, 1, facts, f.now) }); err != nil {
			t.Fatal(err)
		}
		// The second editor read version 1 too: refused, nothing written.
		stale := store.CaseFacts{Employment: "self_employed", AnnualIncomeOre: 1}
		err := s.Tx(ctx, func(tx *store.Tx) error { return store.UpdateCaseFacts(ctx, tx, f.caseA, 1, stale, f.now) })
		if !errors.Is(err, store.ErrStale) {
			t.Fatalf("stale edit: %v, want ErrStale", err)
		}
		_, err = addNote(ctx, s, f.caseA, 1, f.now)
		if !errors.Is(err, store.ErrStale) {
			t.Fatalf("stale note: %v, want ErrStale", err)
		}
		c, err := store.CaseByID(ctx, s, f.caseA)
		if err != nil {
			t.Fatal(err)
		}
		if c.Version != 2 || c.Employment != "unemployed" || c.AnnualIncomeOre != 30000000 || c.EmployerName != "Visby Bygg AB" {
			t.Errorf("after one edit and two stale ones: %+v", c)
		}
		if notes, _ := store.CaseNotes(ctx, s, f.caseA); len(notes) != 0 {
			t.Errorf("stale note written: %v", notes)
		}
		if _, err := addNote(ctx, s, f.caseA, 2, f.now); err != nil {
			t.Fatal(err)
		}
		err = s.Tx(ctx, func(tx *store.Tx) error { return store.UpdateCaseFacts(ctx, tx, 999999, 1, facts, f.now) })
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing case: %v, want ErrNotFound", err)
		}
	})
}

func addNote(ctx context.Context, s *store.Store, caseID int64, version int, now time.Time) (int64, error) {
	var id int64
	err := s.Tx(ctx, func(tx *store.Tx) error {
		var err error
		id, err = store.AddCaseNote(ctx, tx, caseID, version, store.CaseNote{Kind: store.NoteContact, ContactOn: day("2026-11-29"), Channel: "phone", Body: "Samtal"}, 0, now)
		return err
	})
	return id, err
}

func TestManualPeriodsRefuseOverlapAndWidenTheCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := caseSetup(t, s)
		ctx := context.Background()
		add := func(version int, from, to string, degree int) error {
			return s.Tx(ctx, func(tx *store.Tx) error {
				_, err := store.AddManualPeriod(ctx, tx, f.caseA, version, store.Period{From: day(from), To: day(to), Degree: degree, Source: "manual: pappersintyg"}, f.now)
				return err
			})
		}
		if err := add(1, "2026-12-15", "2027-01-15", 50); !errors.Is(err, store.ErrOverlap) {
			t.Errorf("overlap: %v", err)
		}
		if err := add(1, "2027-01-01", "2027-01-31", 60); !errors.Is(err, store.ErrCheck) {
			t.Errorf("degree 60: %v, want ErrCheck", err)
		}
		if err := add(1, "2027-01-01", "2027-01-31", 50); err != nil {
			t.Fatal(err)
		}
		c, _ := store.CaseByID(ctx, s, f.caseA)
		if !c.LastDay.Equal(day("2027-01-31")) || c.Version != 2 {
			t.Errorf("case after the period: last day %v version %d", c.LastDay, c.Version)
		}
		ps, err := store.PersonPeriods(ctx, s, f.personA, c.FirstDay, c.LastDay)
		if err != nil || len(ps) != 2 || ps[1].Source != "manual: pappersintyg" || ps[1].CertificateID != 0 || ps[1].Degree != 50 {
			t.Errorf("periods %+v %v", ps, err)
		}
	})
}

// recomputed is a derived state for SaveRecomputed in these tests.
func recomputed(id int64, evalDate time.Time, chainDay int, due time.Time, deadlines []store.StoredDeadline, warnings []store.StoredWarning) store.CaseUpdate {
	open := 0
	for _, d := range deadlines {
		if !d.Done {
			open++
		}
	}
	return store.CaseUpdate{ID: id, State: store.CaseState{EvalDate: evalDate, Sick: true, ChainDay: chainDay, Phase: "91-180",
		Payer: "fk", Level: "normal", Degree: 100, SGIKr: 300000, DailyAmountKr: 637, Day91: day("2026-11-30"),
		NextDue: due, NextKind: "assess_day_181", OpenDeadlines: open, WarningCount: len(warnings)},
		Deadlines: deadlines, Warnings: warnings}
}

func TestRecomputeBatchesAndDeadlineLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := caseSetup(t, s)
		ctx := context.Background()
		batch, err := store.OpenCaseBatch(ctx, s, 0, 10)
		if err != nil || len(batch) != 2 || batch[0].ID != f.caseA {
			t.Fatalf("batch %+v %v", batch, err)
		}
		if len(batch[0].Periods) != 1 || batch[0].Periods[0].Degree != 100 || len(batch[0].CaseStarts) != 1 {
			t.Errorf("case A facts: %+v", batch[0])
		}
		d181 := store.StoredDeadline{Kind: "assess_day_181", Due: day("2027-02-27"), Ref: "SFB 27 kap. 48 §"}
		end := store.StoredDeadline{Kind: "certificate_end", Key: "2026-12-31", Due: day("2026-12-31"), Ref: "Process"}
		warn := store.StoredWarning{Kind: "no_contact", Rule: "days>=30", Args: []int{45}}
		ups := []store.CaseUpdate{
			recomputed(f.caseA, day("2026-11-30"), 91, day("2026-12-31"), []store.StoredDeadline{d181, end}, []store.StoredWarning{warn}),
			recomputed(f.caseB, day("2026-11-30"), 61, store.NoDue, nil, nil),
		}
		save := func(batch []store.RecomputeCase, ups []store.CaseUpdate) {
			t.Helper()
			if err := s.Tx(ctx, func(tx *store.Tx) error { return store.SaveRecomputed(ctx, tx, batch, ups, f.now) }); err != nil {
				t.Fatal(err)
			}
		}
		save(batch, ups)
		c, _ := store.CaseByID(ctx, s, f.caseA)
		if c.ChainDay != 91 || c.Phase != "91-180" || !c.NextDue.Equal(day("2026-12-31")) || c.OpenDeadlines != 2 ||
			c.WarningCount != 1 || !c.Day91.Equal(day("2026-11-30")) || !c.Day181.IsZero() || c.Version != 1 || c.DailyAmountKr != 637 {
			t.Errorf("stored state %+v", c.CaseState)
		}

		// A person closes the day-181 deadline; closing it again is refused.
		ds, _ := store.CaseDeadlines(ctx, s, f.caseA)
		if len(ds) != 2 {
			t.Fatalf("deadlines %+v", ds)
		}
		var id181 int64
		for _, d := range ds {
			if d.Kind == "assess_day_181" {
				id181 = d.ID
			}
		}
		closeIt := func(version int) error {
			return s.Tx(ctx, func(tx *store.Tx) error {
				return store.CloseDeadline(ctx, tx, f.caseA, version, id181, f.worker, "Utrett", f.now)
			})
		}
		if err := closeIt(1); err != nil {
			t.Fatal(err)
		}
		if err := closeIt(2); !errors.Is(err, store.ErrAlreadyDone) {
			t.Errorf("closed twice: %v", err)
		}
		c, _ = store.CaseByID(ctx, s, f.caseA)
		if c.OpenDeadlines != 1 || c.NextKind != "certificate_end" || c.Version != 2 {
			t.Errorf("after closing: open %d next %q version %d", c.OpenDeadlines, c.NextKind, c.Version)
		}

		// The next recompute: a new certificate moved the end, the warning
		// went away, the person's closing stands.
		batch, _ = store.OpenCaseBatch(ctx, s, 0, 10)
		newEnd := store.StoredDeadline{Kind: "certificate_end", Key: "2027-01-31", Due: day("2027-01-31"), Ref: "Process"}
		ups[0] = recomputed(f.caseA, day("2026-12-01"), 92, day("2027-01-31"), []store.StoredDeadline{d181, newEnd}, nil)
		save(batch, ups)
		ds, _ = store.CaseDeadlines(ctx, s, f.caseA)
		got := map[string]string{}
		for _, d := range ds {
			got[d.Kind+"/"+d.Key] = fmt.Sprintf("done=%v auto=%v by=%q", d.Done, d.Auto, d.ClosedBy)
		}
		want := map[string]string{
			"assess_day_181/":            `done=true auto=false by="Hanna Handläggare"`,
			"certificate_end/2026-12-31": `done=true auto=true by=""`,
			"certificate_end/2027-01-31": `done=false auto=false by=""`,
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("deadlines after the second run:\n got %v\nwant %v", got, want)
		}
		if ws, _ := store.CaseWarnings(ctx, s, f.caseA); len(ws) != 0 {
			t.Errorf("warnings left: %+v", ws)
		}
	})
}

func TestWorklistPagesWithTheKeysetCursor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := caseSetup(t, s)
		ctx := context.Background()
		// 23 more cases for the worker, with due dates that repeat so the
		// cursor must break ties by id.
		var ups []store.CaseUpdate
		storetest.Write(t, s, func(tx *store.Tx) error {
			for i := range 23 {
				p, err := store.EnsurePerson(ctx, tx, fmt.Sprintf("19700101%04d", 1000+i), f.now)
				if err != nil {
					return err
				}
				id, err := store.InsertCase(ctx, tx, p, day("2026-06-01"), day("2026-12-31"), f.now)
				if err != nil {
					return err
				}
				if err := store.SetCaseOwner(ctx, tx, id, f.visby, f.group, f.worker); err != nil {
					return err
				}
				due := day("2026-12-01").AddDate(0, 0, i%5)
				if i%7 == 0 {
					due = store.NoDue
				}
				u := recomputed(id, day("2026-11-30"), 100+i, due, nil, nil)
				if i%3 == 0 {
					u.State.Phase = "181-365"
				}
				if i == 4 {
					u.State.NextDue = day("2026-11-20") // overdue
					u.Warnings = []store.StoredWarning{{Kind: "fmb_exceeded", Rule: "r", Args: []int{200, 90}}}
					u.State.WarningCount = 1
				}
				ups = append(ups, u)
			}
			return nil
		})
		batch, _ := store.OpenCaseBatch(ctx, s, f.caseB, 100)
		if err := s.Tx(ctx, func(tx *store.Tx) error { return store.SaveRecomputed(ctx, tx, batch, ups, f.now) }); err != nil {
			t.Fatal(err)
		}
		q := store.WorklistQuery{AssignedUserID: f.worker, Limit: 5}
		var all []store.WorklistRow
		for page := 0; ; page++ {
			rows, next, err := store.Worklist(ctx, s, q)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, rows...)
			if next.IsZero() {
				break
			}
			c, err := store.ParseCursor(next.String())
			if err != nil || c != next {
				t.Fatalf("cursor round trip %q: %v %v", next.String(), c, err)
			}
			q.After = c
			if page > 10 {
				t.Fatal("paging does not end")
			}
		}
		if len(all) != 23 {
			t.Fatalf("%d cases over the pages, want 23", len(all))
		}
		for i := 1; i < len(all); i++ {
			a, b := all[i-1], all[i]
			if b.NextDue.Before(a.NextDue) || b.NextDue.Equal(a.NextDue) && b.ID <= a.ID {
				t.Errorf("order broken at %d: (%v,%d) then (%v,%d)", i, a.NextDue, a.ID, b.NextDue, b.ID)
			}
		}
		if all[0].NextDue != day("2026-11-20") || len(all[0].Warnings) != 1 || all[0].Warnings[0] != "fmb_exceeded" {
			t.Errorf("first row: due %v warnings %v", all[0].NextDue, all[0].Warnings)
		}
		count := func(q store.WorklistQuery) int {
			rows, _, err := store.Worklist(ctx, s, q)
			if err != nil {
				t.Fatal(err)
			}
			n, err := store.WorklistCount(ctx, s, q)
			if err != nil || n != len(rows) {
				t.Errorf("count %d, rows %d, %v", n, len(rows), err)
			}
			return n
		}
		today := day("2026-11-30")
		if n := count(store.WorklistQuery{AssignedUserID: f.worker, Overdue: true, Today: today, Limit: 100}); n != 1 {
			t.Errorf("overdue: %d", n)
		}
		if n := count(store.WorklistQuery{AssignedUserID: f.worker, Warnings: true, Limit: 100}); n != 1 {
			t.Errorf("with warnings: %d", n)
		}
		if n := count(store.WorklistQuery{AssignedUserID: f.worker, Phase: "181-365", Limit: 100}); n != 8 {
			t.Errorf("phase 181-365: %d", n)
		}
		// The office: the worker's 23 and case A (unassigned).
		if n := count(store.WorklistQuery{OfficeID: f.visby, Limit: 100}); n != 24 {
			t.Errorf("office: %d", n)
		}
		if n := count(store.WorklistQuery{OfficeID: f.visby, Unassigned: true, Limit: 100}); n != 1 {
			t.Errorf("unassigned: %d", n)
		}
		if n := count(store.WorklistQuery{CustomerGroupID: f.group, Limit: 100}); n != 25 {
			t.Errorf("customer group: %d", n)
		}
		if err := s.Tx(ctx, func(tx *store.Tx) error { return store.AssignCase(ctx, tx, f.caseA, 1, f.other, f.now) }); err != nil {
			t.Fatal(err)
		}
		if n := count(store.WorklistQuery{AssignedUserID: f.other, Limit: 100}); n != 1 {
			t.Errorf("re-assigned: %d", n)
		}
		if _, _, err := store.Worklist(ctx, s, store.WorklistQuery{}); err == nil {
			t.Error("a worklist without scope is refused")
		}
		for _, bad := range []string{"x", "2026-13-01.5", "2026-01-01.-1", "2026-01-01.x"} {
			if _, err := store.ParseCursor(bad); err == nil {
				t.Errorf("cursor %q accepted", bad)
			}
		}
	})
}

func TestDecisionsAndPlanActions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := caseSetup(t, s)
		ctx := context.Background()
		err := s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.AddDecision(ctx, tx, f.caseA, 1, store.CaseDecision{Outcome: store.DecisionGranted, DecidedOn: day("2026-11-30"),
				Paragraph: "SFB 27 kap. 2 §"}, f.worker, f.now)
			return err
		})
		if !errors.Is(err, store.ErrCheck) {
			t.Errorf("decision without justification: %v, want ErrCheck", err)
		}
		storetest.Write(t, s, func(tx *store.Tx) error {
			if _, err := store.AddDecision(ctx, tx, f.caseA, 1, store.CaseDecision{Outcome: store.DecisionGranted, DecidedOn: day("2026-11-30"),
				Paragraph: "SFB 27 kap. 2 §", Justification: "Arbetsförmågan är nedsatt med minst en fjärdedel."}, f.worker, f.now); err != nil {
				return err
			}
			id, err := store.AddPlanAction(ctx, tx, f.caseA, 2, store.PlanAction{Title: "Avstämningsmöte", OwnerOrgID: f.fk.ID, Due: day("2026-12-10")}, f.worker, f.now)
			if err != nil {
				return err
			}
			return store.SetPlanActionStatus(ctx, tx, f.caseA, 3, id, store.ActionOngoing, f.now)
		})
		ds, _ := store.CaseDecisions(ctx, s, f.caseA)
		as, _ := store.PlanActions(ctx, s, f.caseA)
		if len(ds) != 1 || ds[0].Author != "Hanna Handläggare" || len(as) != 1 || as[0].Status != store.ActionOngoing || as[0].OwnerName != "Försäkringskassan" {
			t.Errorf("decisions %+v actions %+v", ds, as)
		}
		batch, _ := store.OpenCaseBatch(ctx, s, 0, 1)
		if batch[0].PlanActions != 1 {
			t.Errorf("recompute sees %d plan actions", batch[0].PlanActions)
		}
	})
}

func TestSavePersonKeepsWhatIsNotGiven(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		var id, again int64
		err := s.Tx(ctx, func(tx *store.Tx) error {
			var err error
			if id, err = store.SavePerson(ctx, tx, store.Person{Personnummer: "197001019801", Name: "Test Testsson", MunicipalityCode: "0980"}, now); err != nil {
				return err
			}
			again, err = store.SavePerson(ctx, tx, store.Person{Personnummer: "197001019801", ProtectedIdentity: true}, now)
			return err
		})
		if err != nil || again != id {
			t.Fatalf("SavePerson: %d %d %v", id, again, err)
		}
		p, err := store.PersonByNumber(ctx, s, "197001019801")
		if err != nil || p.ID != id || p.Name != "Test Testsson" || p.MunicipalityCode != "0980" || !p.ProtectedIdentity {
			t.Errorf("person %+v %v", p, err)
		}
		if _, err := store.PersonByID(ctx, s, id+100); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing person: %v", err)
		}
	})
}
