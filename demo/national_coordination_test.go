package demo_test

import (
	"context"
	"testing"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestPopulateCoordinates: about one open case in ten past day 30 is
// coordinated; each coordination rests on a consent FK recorded that
// covers every organisation invited, its meetings have parties the
// consent covers (planned ones after the day, held ones before it with
// minutes), its actions are owned by a party, and the page's queries read
// it back as written.
func TestPopulateCoordinates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		got := populate(t, st, 11)
		if got.Coordinations < 3 || got.Coordinations > 30 {
			t.Fatalf("%d coordinations of 150 open cases, want about one in ten of those past day 30", got.Coordinations)
		}
		day := civil.Of(populateDay)
		withdrawn := 0
		for id := int64(1); id <= int64(got.Coordinations); id++ {
			k, err := store.CoordinationByID(ctx, st, id)
			if err != nil {
				t.Fatalf("coordination %d: %v", id, err)
			}
			c, err := store.CaseByID(ctx, st, k.CaseID)
			if err != nil || c.Status != store.CaseOpen || c.PersonID != k.PersonID {
				t.Fatalf("coordination %d: case %+v, %v", id, c.ID, err)
			}
			if populateDay.Sub(c.FirstDay).Hours()/24 < 30 {
				t.Errorf("coordination %d of a case begun %s", id, c.FirstDay)
			}
			consents, err := store.PersonConsents(ctx, st, k.PersonID)
			if err != nil || len(consents) != 1 {
				t.Fatalf("coordination %d: consents %v, %v", id, consents, err)
			}
			cs := consents[0]
			if cs.RecordedByOrg != k.LeadOrgID || cs.ValidFrom.After(day) || cs.ValidUntil.Before(day) || !cs.Purpose.Valid() {
				t.Errorf("coordination %d: consent %+v not current on %s", id, cs, day)
			}
			if cs.Withdrawn() {
				withdrawn++
			}
			if len(k.Parties) < 2 {
				t.Errorf("coordination %d: parties %+v, want the lead and those invited", id, k.Parties)
			}
			for _, p := range k.Parties {
				if _, ok := cs.PartyOf(p.OrgID); !ok && p.OrgID != k.LeadOrgID {
					t.Errorf("coordination %d invites %s, which its consent does not cover", id, p.OrgName)
				}
			}
			ms, err := store.Meetings(ctx, st, k.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.Status == coordination.Planned && !m.Start.After(populateDay) || m.Status == coordination.Held && (m.Start.After(populateDay) || m.Minutes == "") {
					t.Errorf("coordination %d: meeting %+v", id, m)
				}
				for _, p := range m.Parties {
					if !k.HasParty(p.OrgID) {
						t.Errorf("coordination %d: meeting %d has %d, not a party", id, m.ID, p.OrgID)
					}
				}
			}
			plan, err := store.PlanItems(ctx, st, k.CaseID)
			if err != nil {
				t.Fatal(err)
			}
			if len(plan) == 0 {
				t.Errorf("coordination %d has no action", id)
			}
			for _, a := range plan {
				if !k.HasParty(a.OwnerOrgID) || a.OwnerPerson == "" {
					t.Errorf("coordination %d: action %+v not owned by a party", id, a)
				}
			}
		}
		if _, err := store.CoordinationByID(ctx, st, int64(got.Coordinations)+1); err == nil {
			t.Errorf("more coordinations than Populate said")
		}
		t.Logf("%d coordinations, %d withdrawn consents", got.Coordinations, withdrawn)
	})
}
