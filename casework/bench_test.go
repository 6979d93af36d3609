package casework_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/internal/heapwatch"
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
	n := heapwatch.Cases(t)
	batch, _ := strconv.Atoi(os.Getenv("FINSAM_BENCH_BATCH")) // default: the Recomputer's
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
			peak := heapwatch.Peak{Every: 20}
			rc := &casework.Recomputer{Store: st, Engine: engine, FMB: certificate.DefaultFMB(), BatchSize: batch,
				Progress: func(casework.Progress) { peak.Sample() }}
			before := heapwatch.InUse()
			start := time.Now()
			run, err := rc.Run(ctx, civil.MustParse(date), "command")
			el := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			after := heapwatch.InUse()
			if run.Processed != int64(n) {
				t.Errorf("run %d processed %d cases, want %d", i+1, run.Processed, n)
			}
			t.Logf("run %d (%s): %d cases in %s, %.0f cases/s, %d failed; heap in use %s before, %s at peak, %s after",
				i+1, date, run.Processed, el.Round(time.Millisecond), float64(run.Processed)/el.Seconds(), run.Failed,
				heapwatch.MiB(before), heapwatch.MiB(peak.Max()), heapwatch.MiB(after))
		}
	})
}

// BenchmarkRecompute{SQLite,Postgres}: the nightly recompute of
// FINSAM_BENCH_CASES generated open cases (default 2,000: `make bench`'s
// small size), beside its baseline in the same run. "derive" evaluates the
// same cases in memory, with no database (Derive over the facts a run
// reads): what the rules cost. "run" is Recomputer.Run, each iteration a
// day later than the one before, as night follows night: reading the
// facts, deriving and writing what changed. Both report cases/s; the gap
// between them is the store's share.
func BenchmarkRecomputeSQLite(b *testing.B) { benchRecompute(b, store.SQLite) }

func BenchmarkRecomputePostgres(b *testing.B) { benchRecompute(b, store.Postgres) }

func benchRecompute(b *testing.B, d store.Dialect) {
	storetest.SkipUnavailable(b, d)
	n, _ := strconv.Atoi(os.Getenv("FINSAM_BENCH_CASES"))
	if n <= 0 {
		n = 2000
	}
	ctx := context.Background()
	st := storetest.Open(b, d)
	today := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	if err := demo.GenerateCases(ctx, st, n, 1, today); err != nil {
		b.Fatal(err)
	}
	engine, err := rules.New()
	if err != nil {
		b.Fatal(err)
	}
	fmb := certificate.DefaultFMB()
	rc := &casework.Recomputer{Store: st, Engine: engine, FMB: fmb}
	// The first run creates every deadline and warning; the nights after
	// it change what a day changes.
	if _, err := rc.Run(ctx, civil.Of(today), "command"); err != nil {
		b.Fatal(err)
	}
	perSecond := func(b *testing.B) {
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "cases/s")
	}
	b.Run("derive", func(b *testing.B) {
		var cases []store.RecomputeCase
		for after := int64(0); ; {
			batch, err := store.OpenCaseBatch(ctx, st, after, 1000)
			if err != nil {
				b.Fatal(err)
			}
			if len(batch) == 0 {
				break
			}
			cases, after = append(cases, batch...), batch[len(batch)-1].ID
		}
		date, cfg := civil.Of(today.AddDate(0, 0, 1)), casework.DefaultConfig()
		b.ReportAllocs()
		for b.Loop() {
			for i := range cases {
				if _, err := casework.Derive(engine, casework.FactsFrom(&cases[i], date, fmb), cfg); err != nil {
					b.Fatal(err)
				}
			}
		}
		perSecond(b)
	})
	b.Run("run", func(b *testing.B) {
		night := today
		b.ReportAllocs()
		for b.Loop() {
			night = night.AddDate(0, 0, 1)
			run, err := rc.Run(ctx, civil.Of(night), "command")
			if err != nil || run.Processed != int64(n) {
				b.Fatalf("%s: %+v %v", night.Format(time.DateOnly), run, err)
			}
		}
		perSecond(b)
	})
}
