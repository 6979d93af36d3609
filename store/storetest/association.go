package storetest

import (
	"context"
	"testing"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/store"
)

// Insats makes an ongoing individual insats of the association (by its
// slug) with two of its members and one anonymous participant, for tests
// of the associations' pages and of the access checks over them.
func Insats(t testing.TB, st *store.Store, slug string) (insatsID, participantID int64) {
	t.Helper()
	ctx := context.Background()
	org, err := store.OrganisationBySlug(ctx, st, slug)
	if err != nil {
		t.Fatal(err)
	}
	members, err := store.AssociationMembers(ctx, st, org.ID)
	if err != nil || len(members) < 2 {
		t.Fatalf("members of %s: %v %v", slug, members, err)
	}
	err = st.Tx(ctx, func(tx *store.Tx) error {
		in, err := store.CreateInsats(ctx, tx, association.Insats{AssociationID: org.ID, Name: "Fixture " + slug, Kind: association.Individual,
			ResponsibleOrgID: members[0].ID, PartyOrgIDs: []int64{members[0].ID, members[1].ID}, Start: civil.MustParse("2026-01-01"),
			FollowUp: association.FollowUpIndividual, Status: association.InsatsOngoing}, insatsNow)
		if err != nil {
			return err
		}
		p, err := store.RegisterParticipant(ctx, tx, association.Participant{AssociationID: org.ID, InsatsID: in.ID, Sex: "female", AgeGroup: "30-39",
			Start: civil.MustParse("2026-02-01"), Status: association.Active}, association.MustDefaultCodeLists(), civil.MustParse("2026-11-23"), insatsNow)
		insatsID, participantID = in.ID, p.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return insatsID, participantID
}

var insatsNow = civil.MustParse("2026-11-23").Time()
