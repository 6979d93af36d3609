package store_test

import (
	"context"
	"testing"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestKeyFigures: the start page's figures count the association's own
// registrations by status and by the year they started or ended, and sum
// the year's budget and outcome; another association's rows and other
// years do not count. The participant list's year filters select the same
// registrations the figures count.
func TestKeyFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		reason := assocCodes.List(association.ListEndReason).Codes[0].Code
		d := civil.MustParse
		regs := []association.Participant{
			{Start: d("2025-06-01"), Status: association.Active},                                         // now, started last year
			{Start: d("2026-01-02"), Status: association.Active},                                         // now, started this year
			{Start: d("2025-03-01"), End: d("2026-01-10"), Status: association.Ended, EndReason: reason}, // ended this year
			{Start: d("2026-01-05"), End: d("2026-01-12"), Status: association.Ended, EndReason: reason}, // started and ended this year
			{Start: d("2025-01-07"), End: d("2025-12-20"), Status: association.Ended, EndReason: reason}, // ended last year
			{Status: association.Pending}, // waiting: none of the figures
		}
		var other int64
		storetest.Write(t, s, func(tx *store.Tx) error {
			in, err := store.CreateInsats(ctx, tx, association.Insats{AssociationID: o.assoc, Name: "Räknad", Kind: association.Individual,
				ResponsibleOrgID: o.fk, PartyOrgIDs: []int64{o.fk, o.af}, Start: d("2025-01-01"), FollowUp: association.FollowUpIndividual,
				Status: association.InsatsOngoing}, assocNow)
			if err != nil {
				return err
			}
			for i, p := range regs {
				p.AssociationID, p.InsatsID, p.Sex, p.AgeGroup = o.assoc, in.ID, "female", "30-39"
				if _, err := store.RegisterParticipant(ctx, tx, p, assocCodes, assocToday, assocNow); err != nil {
					t.Fatalf("registration %d: %v", i, err)
				}
			}
			// Another association with an ongoing participant of its own.
			org, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "annat-forbund", Name: "Annat förbund", Type: organisation.Association})
			if err != nil {
				return err
			}
			other = org.ID
			for _, m := range []int64{o.fk, o.af} {
				if err := store.AddAssociationMember(ctx, tx, other, m); err != nil {
					return err
				}
			}
			oin, err := store.CreateInsats(ctx, tx, association.Insats{AssociationID: other, Name: "Annan", Kind: association.Individual,
				ResponsibleOrgID: o.fk, PartyOrgIDs: []int64{o.fk, o.af}, Start: d("2026-01-01"), FollowUp: association.FollowUpIndividual,
				Status: association.InsatsOngoing}, assocNow)
			if err != nil {
				return err
			}
			if _, err := store.RegisterParticipant(ctx, tx, association.Participant{AssociationID: other, InsatsID: oin.ID, Sex: "male", AgeGroup: "30-39",
				Start: d("2026-01-03"), Status: association.Active}, assocCodes, assocToday, assocNow); err != nil {
				return err
			}
			fin := association.Financiers[0]
			_, err = store.CreateBudgetLines(ctx, tx, []store.BudgetLine{
				{AssociationID: o.assoc, Year: 2026, Entry: store.EntryBudget, Kind: store.LineAdministration, Financier: fin, Amount: association.Kr(1_200_000)},
				{AssociationID: o.assoc, Year: 2026, Entry: store.EntryBudget, Kind: store.LineAdministration, Financier: fin, Amount: association.Kr(800_000)},
				{AssociationID: o.assoc, Year: 2026, Entry: store.EntryOutcome, Kind: store.LineAdministration, Financier: fin, Amount: association.Kr(250_000)},
				{AssociationID: o.assoc, Year: 2025, Entry: store.EntryOutcome, Kind: store.LineAdministration, Financier: fin, Amount: association.Kr(999_000)},
				{AssociationID: other, Year: 2026, Entry: store.EntryBudget, Kind: store.LineAdministration, Financier: fin, Amount: association.Kr(5)},
			}, assocNow)
			return err
		})
		for _, tc := range []struct {
			year int
			want store.AssociationFigures
		}{
			{2026, store.AssociationFigures{Year: 2026, Ongoing: 2, Started: 2, Ended: 2, Budget: association.Kr(2_000_000), Outcome: association.Kr(250_000)}},
			{2025, store.AssociationFigures{Year: 2025, Ongoing: 2, Started: 3, Ended: 1, Outcome: association.Kr(999_000)}},
			{2024, store.AssociationFigures{Year: 2024, Ongoing: 2}},
		} {
			got, err := store.KeyFigures(ctx, s, o.assoc, tc.year)
			if err != nil || got != tc.want {
				t.Errorf("%d: got %+v, %v; want %+v", tc.year, got, err, tc.want)
			}
		}
		if bp, ok := (store.AssociationFigures{Budget: association.Kr(2_000_000), Outcome: association.Kr(250_000)}).UsedBasisPoints(); !ok || bp != 1250 {
			t.Errorf("used share %d %v, want 1250 (12,5 %%)", bp, ok)
		}
		if _, ok := (store.AssociationFigures{Outcome: association.Kr(1)}).UsedBasisPoints(); ok {
			t.Error("a share of no budget")
		}

		// The list behind each figure holds what the figure counts.
		for _, tc := range []struct {
			name string
			q    store.ParticipantQuery
			want int
		}{
			{"ongoing", store.ParticipantQuery{Status: association.Active}, 2},
			{"started 2026", store.ParticipantQuery{StartedIn: 2026}, 2},
			{"ended 2026", store.ParticipantQuery{Status: association.Ended, EndedIn: 2026}, 2},
			{"ended 2025", store.ParticipantQuery{EndedIn: 2025}, 1},
			{"pending", store.ParticipantQuery{Status: association.Pending}, 1},
		} {
			tc.q.AssociationID = o.assoc
			ps, err := store.Participants(ctx, s, tc.q)
			if err != nil || len(ps) != tc.want {
				t.Errorf("%s: %d participants, %v; want %d", tc.name, len(ps), err, tc.want)
			}
		}
	})
}
