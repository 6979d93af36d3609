package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// assocDay is the day the association tests load the demo on.
var assocDay = time.Date(2026, 11, 30, 7, 45, 0, 0, time.UTC)

// loadAssociation loads the organisations, the users and the association's
// data (not the certificates and cases, which it does not need).
func loadAssociation(t testing.TB, st *store.Store, seed uint64, now time.Time) (demo.AssociationLoaded, time.Duration) {
	t.Helper()
	ctx := context.Background()
	if loaded, err := demo.LoadIfEmpty(ctx, st, seed, "demo"); err != nil || !loaded {
		t.Fatalf("LoadIfEmpty: %v %v", loaded, err)
	}
	start := time.Now()
	got, err := demo.LoadAssociation(ctx, st, seed, now)
	if err != nil {
		t.Fatal(err)
	}
	return got, time.Since(start)
}

func TestDemoAssociationLoads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		got, took := loadAssociation(t, st, demo.DefaultSeed, assocDay)
		t.Logf("association loaded in %s: %+v", took.Round(time.Millisecond), got)
		if got.Insatser < 10 || got.Participants < 300 || got.Participants > 450 || got.Protected < 1 || got.Pending < 3 ||
			got.FirstYear != 2022 || got.LastYear != 2026 {
			t.Errorf("loaded %+v", got)
		}
		_ = association.Kr
	})
}
