package whatif_test

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/demo"
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
	n, _ := strconv.Atoi(os.Getenv("FINSAM_BENCH_CASES"))
	if n <= 0 {
		t.Skip("set FINSAM_BENCH_CASES to the number of open cases to generate, e.g. 200000")
	}
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
		var peak uint64
		batches := 0
		before := heap()
		start := time.Now()
		sum, err := whatif.Run(ctx, whatif.Options{Store: st, Base: base, Scenario: shorter, Date: civil.Of(today),
			Progress: func(whatif.Progress) {
				if batches++; batches%10 == 0 {
					var m runtime.MemStats
					runtime.ReadMemStats(&m)
					peak = max(peak, m.HeapInuse)
				}
			}})
		el := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d open cases in %s (%.0f cases/s), %d changed (%d level); heap in use %.1f MiB before, %.1f at peak, %.1f after",
			st.Dialect(), sum.Cases, el.Round(time.Millisecond), float64(sum.Cases)/el.Seconds(), sum.Changed, sum.ChangedLevel,
			mib(before), mib(peak), mib(heap()))
		if sum.Cases < n {
			t.Errorf("%d cases evaluated, want %d", sum.Cases, n)
		}
	})
}

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
