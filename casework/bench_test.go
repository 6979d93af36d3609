package casework_test

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestRecomputeThroughput measures `finsam cases recompute` over generated
// open cases on each database: FINSAM_BENCH_CASES=200000 go test -run
// Throughput -v ./casework (with FINSAM_TEST_POSTGRES for PostgreSQL).
// It runs twice: the first run creates every deadline and warning, the
// second, a day later, changes what a day changes. It reports cases per
// second and the heap in use before, at its peak during, and after the run
// (memory must stay flat: it does not grow with the number of cases).
func TestRecomputeThroughput(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("FINSAM_BENCH_CASES"))
	batch, _ := strconv.Atoi(os.Getenv("FINSAM_BENCH_BATCH")) // default: the Recomputer's
	if n <= 0 {
		t.Skip("set FINSAM_BENCH_CASES to the number of open cases to generate, e.g. 200000")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		today := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
		start := time.Now()
		if err := demo.GenerateCases(ctx, st, n, 1, today); err != nil {
			t.Fatal(err)
		}
		t.Logf("generated %d open cases in %s", n, time.Since(start).Round(time.Millisecond))
		engine, err := rules.New()
		if err != nil {
			t.Fatal(err)
		}
		for i, date := range []string{"2026-11-30", "2026-12-01"} {
			var peak uint64
			batches := 0
			rc := &casework.Recomputer{Store: st, Engine: engine, FMB: certificate.DefaultFMB(), BatchSize: batch, Progress: func(casework.Progress) {
				if batches++; batches%20 == 0 {
					var m runtime.MemStats
					runtime.ReadMemStats(&m)
					peak = max(peak, m.HeapInuse)
				}
			}}
			before := heapInUse()
			start := time.Now()
			run, err := rc.Run(ctx, civil.MustParse(date), "command")
			el := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			after := heapInUse()
			if run.Processed != int64(n) {
				t.Errorf("run %d processed %d cases, want %d", i+1, run.Processed, n)
			}
			t.Logf("run %d (%s): %d cases in %s, %.0f cases/s, %d failed; heap in use %s before, %s at peak, %s after",
				i+1, date, run.Processed, el.Round(time.Millisecond), float64(run.Processed)/el.Seconds(), run.Failed,
				mib(before), mib(peak), mib(after))
		}
	})
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func mib(b uint64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) + " MiB" }
