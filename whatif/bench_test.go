package whatif_test

import (
	"context"
	"testing"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/internal/heapwatch"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/whatif"
)

// TestWhatIfSpeed measures a what-if run over generated open cases:
// FINSAM_BENCH_CASES=200000 go test -run WhatIfSpeed -v ./whatif (with
// FINSAM_TEST_POSTGRES for PostgreSQL too). It reports the time and the
// heap in use before, at its peak during, and after the run: memory must
// not grow with the number of cases.
func TestWhatIfSpeed(t *testing.T) {
	n := heapwatch.Cases(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
		if _, err := demo.LoadIfEmpty(ctx, st, demo.DefaultSeed, "demo"); err != nil {
			t.Fatal(err)
		}
		if err := demo.GenerateCases(ctx, st, n, 1, today); err != nil {
			t.Fatal(err)
		}
		base, _ := rules.New()
		sc, _ := rules.ParseScenario([]byte(shorterNormalLevel))
		shorter, _ := base.WithScenario(sc)
		peak := heapwatch.Peak{Every: 10}
		before := heapwatch.InUse()
		start := time.Now()
		sum, err := whatif.Run(ctx, whatif.Options{Store: st, Base: base, Scenario: shorter, Date: civil.Of(today),
			Progress: func(whatif.Progress) { peak.Sample() }})
		el := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d open cases in %s (%.0f cases/s), %d changed (%d level); heap in use %s before, %s at peak, %s after",
			st.Dialect(), sum.Cases, el.Round(time.Millisecond), float64(sum.Cases)/el.Seconds(), sum.Changed, sum.ChangedLevel,
			heapwatch.MiB(before), heapwatch.MiB(peak.Max()), heapwatch.MiB(heapwatch.InUse()))
		if sum.Cases < n {
			t.Errorf("%d cases evaluated, want %d", sum.Cases, n)
		}
	})
}
