package store_test

import (
	"context"
	"testing"

	"github.com/finsam/finsam/assocreport/synth"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// BenchmarkKeyFigures reads an association's start-page figures among 20
// associations of 2 000 registrations each (five years), on SQLite; the
// baseline in the same run is ParticipantCounts, the per-insats count the
// insatser list already makes over the same rows.
func BenchmarkKeyFigures(b *testing.B) {
	ctx := context.Background()
	st := storetest.Open(b, store.SQLite)
	cfg := synth.Benchmark(8)
	cfg.Associations = 20
	res, err := synth.Load(ctx, st, cfg)
	if err != nil {
		b.Fatal(err)
	}
	id := res.Associations[len(res.Associations)/2].ID
	b.Run("KeyFigures", func(b *testing.B) {
		for b.Loop() {
			if _, err := store.KeyFigures(ctx, st, id, 2025); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline=ParticipantCounts", func(b *testing.B) {
		for b.Loop() {
			if _, err := store.ParticipantCounts(ctx, st, id); err != nil {
				b.Fatal(err)
			}
		}
	})
}
