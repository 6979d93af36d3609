package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestDemoCoordination: every coordinator of the demo (AF, the region, the
// municipality) finds persons in Mina samordningsärenden, one of them a
// new invitation, and one person has withdrawn a consent; one
// coordination is led by the region, from its patient's consent.
func TestDemoCoordination(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		loadDemo(t, st, now)
		got, err := demo.LoadCoordination(ctx, st, now)
		if err != nil {
			t.Fatal(err)
		}
		if got.Coordinations != 5 || got.Meetings < 3 || got.Actions < 6 {
			t.Fatalf("loaded %+v", got)
		}
		fresh := 0
		for _, slug := range []string{"af", "region-gotland", "gotlands-kommun"} {
			org, err := store.OrganisationBySlug(ctx, st, slug)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := store.CoordinationsOf(ctx, st, org.ID, now)
			if err != nil || len(rows) < 2 {
				t.Fatalf("%s coordinates %d persons: %v", slug, len(rows), err)
			}
			for _, r := range rows {
				if r.New {
					fresh++
				}
			}
		}
		if fresh == 0 {
			t.Error("no coordinator has a new invitation")
		}
		var n int
		if err := st.QueryRow(ctx, "SELECT COUNT(*) FROM consents WHERE withdrawn_at IS NOT NULL").Scan(&n); err != nil || n != 1 {
			t.Errorf("withdrawn consents: %d %v", n, err)
		}
		region, _ := store.OrganisationBySlug(ctx, st, "region-gotland")
		if err := st.QueryRow(ctx, `SELECT COUNT(*) FROM coordinations k JOIN consents c ON c.person_id = k.person_id
			WHERE k.lead_org_id = $1 AND c.recorded_by_org = $1`, region.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("coordinations the region leads from its own consent: %d %v", n, err)
		}
	})
}
