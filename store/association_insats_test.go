package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func TestInsatsDocumentsAndOwnCodeLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		docs := []association.Document{{Title: "Projektplan", Ref: "https://example.se/plan.pdf"}, {Title: "Styrelsebeslut", Ref: "Dnr 2026-4"}}
		in := storetest.Made(t, s, func(tx *store.Tx) (association.Insats, error) {
			return store.CreateInsats(ctx, tx, association.Insats{AssociationID: o.assoc, Name: "Dokumenterad", Kind: association.Individual,
				ResponsibleOrgID: o.fk, PartyOrgIDs: []int64{o.fk, o.af}, Start: assocToday, FollowUp: association.FollowUpIndividual,
				Status: association.InsatsOngoing, Documents: docs}, assocNow)
		})
		got, err := store.InsatsByID(ctx, s, o.assoc, in.ID)
		if err != nil || !reflect.DeepEqual(got.Documents, docs) {
			t.Fatalf("documents read back: %+v %v", got.Documents, err)
		}
		got.Documents = got.Documents[1:]
		if err := s.Tx(ctx, func(tx *store.Tx) error { _, err := store.UpdateInsats(ctx, tx, got, assocNow); return err }); err != nil {
			t.Fatal(err)
		}
		if again, _ := store.InsatsByID(ctx, s, o.assoc, in.ID); len(again.Documents) != 1 || again.Documents[0].Title != "Styrelsebeslut" {
			t.Errorf("documents after the edit: %+v", again.Documents)
		}

		// A participant ended for a reason; a list that drops the reason
		// is refused, one that keeps it is used.
		cl := association.MustDefaultCodeLists()
		reason := cl.List(association.ListEndReason).Codes[0].Code
		p := storetest.Made(t, s, func(tx *store.Tx) (association.Participant, error) {
			return store.RegisterParticipant(ctx, tx, association.Participant{AssociationID: o.assoc, InsatsID: in.ID, Sex: "male", AgeGroup: "25-29",
				Start: civil.MustParse("2026-01-02"), End: civil.MustParse("2026-01-10"), Status: association.Ended, EndReason: reason}, cl, assocToday, assocNow)
		})
		drop := `{"name":"end_reason","description":"d","source":"egen","complete":false,"note":"","codes":[{"code":"other_x","sv":"Annat","en":"Other"}]}`
		err = s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.SaveAssociationCodeList(ctx, tx, o.assoc, []byte(drop))
			return err
		})
		if code := assocErrCode(err); code != association.CodeInUse {
			t.Fatalf("a list dropping a used code: %v", err)
		}
		keep := `{"name":"end_reason","description":"d","source":"egen","complete":false,"note":"","codes":[{"code":"` + reason + `","sv":"A","en":"A"},{"code":"other_x","sv":"Annat","en":"Other"}]}`
		storetest.Write(t, s, func(tx *store.Tx) error {
			_, err := store.SaveAssociationCodeList(ctx, tx, o.assoc, []byte(keep))
			return err
		})
		own, which, err := store.AssociationCodeLists(ctx, s, o.assoc)
		if err != nil || !which[association.ListEndReason] || len(which) != 1 || !own.Has(association.ListEndReason, "other_x") {
			t.Fatalf("own lists: %v %v", which, err)
		}
		if other, which, _ := store.AssociationCodeLists(ctx, s, o.outsider); len(which) != 0 || other.Has(association.ListEndReason, "other_x") {
			t.Errorf("another organisation sees the association's own list")
		}
		_ = p
	})
}

func TestDeclinePendingParticipant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := assocFixture(t, s)
		cl := association.MustDefaultCodeLists()
		var pending, active association.Participant
		storetest.Write(t, s, func(tx *store.Tx) error {
			in, err := store.CreateInsats(ctx, tx, association.Insats{AssociationID: o.assoc, Name: "Remisser", Kind: association.Individual,
				ResponsibleOrgID: o.fk, PartyOrgIDs: []int64{o.fk, o.af}, Start: assocToday, FollowUp: association.FollowUpIndividual,
				Status: association.InsatsOngoing}, assocNow)
			if err != nil {
				return err
			}
			if pending, err = store.RegisterParticipant(ctx, tx, association.Participant{AssociationID: o.assoc, InsatsID: in.ID, Sex: "female", AgeGroup: "30-39",
				Status: association.Pending, Referral: "FK ärende 1"}, cl, assocToday, assocNow); err != nil {
				return err
			}
			active, err = store.RegisterParticipant(ctx, tx, association.Participant{AssociationID: o.assoc, InsatsID: in.ID, Sex: "female", AgeGroup: "30-39",
				Status: association.Active, Start: assocToday}, cl, assocToday, assocNow)
			return err
		})
		del := func(assocID, id int64, version int) error {
			return s.Tx(ctx, func(tx *store.Tx) error { return store.DeletePendingParticipant(ctx, tx, assocID, id, version) })
		}
		if err := del(o.assoc, active.ID, 1); !errors.Is(err, store.ErrConflict) {
			t.Errorf("declining an active registration: %v", err)
		}
		if err := del(o.assoc, pending.ID, 2); !errors.Is(err, store.ErrStale) {
			t.Errorf("declining from an old version: %v", err)
		}
		if err := del(o.outsider, pending.ID, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("declining another association's registration: %v", err)
		}
		if err := del(o.assoc, pending.ID, 1); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, s, "participants"); n != 1 {
			t.Errorf("%d registrations left, want 1", n)
		}
		counts, err := store.ParticipantCounts(ctx, s, o.assoc)
		if err != nil || len(counts) != 1 || counts[active.InsatsID][association.Active] != 1 || counts[active.InsatsID][association.Pending] != 0 {
			t.Errorf("counts: %v %v", counts, err)
		}
	})
}
