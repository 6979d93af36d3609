package assocreport_test

// The yearly-report benchmark: generated data for 80
// associations × 5 years (about 160 000 participants with measurements and
// budget lines) on SQLite and PostgreSQL; one association's yearly report
// (the model and the PDF) and the Uppföljning Finsam CSV over all the data.
//
// By default a small set (3 associations, 40 participants a year) runs so
// that the code is exercised in `make test -bench`; the full size
// (synth.Benchmark) with
//
//	FINSAM_BENCH_ASSOCIATIONS=80 FINSAM_TEST_POSTGRES=postgres://… \
//	  go test ./assocreport -run '^$' -bench YearlyReport -benchtime 10x
//
// Memory flat: the report of one association is first measured with that
// association alone in the database ("1 association"), then again after
// the other associations are loaded ("N associations"): the store
// aggregates in SQL, so time and peak heap must not grow with the data.

import (
	"bytes"
	"context"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/finsam/finsam/assocreport"
	"github.com/finsam/finsam/assocreport/synth"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func benchConfig() synth.Config {
	n, _ := strconv.Atoi(os.Getenv("FINSAM_BENCH_ASSOCIATIONS"))
	if n <= 0 {
		return synth.Config{Seed: 8, Associations: 3, FirstYear: 2021, Years: 5, ParticipantsPerYear: 40, Insatser: 10, Prefix: "synth"}
	}
	cfg := synth.Benchmark(8)
	cfg.Associations = n
	return cfg
}

func BenchmarkYearlyReportSQLite(b *testing.B) { benchYearly(b, store.SQLite) }

func BenchmarkYearlyReportPostgres(b *testing.B) { benchYearly(b, store.Postgres) }

func benchYearly(b *testing.B, d store.Dialect) {
	storetest.SkipUnavailable(b, d)
	ctx := context.Background()
	st := storetest.Open(b, d)
	cfg := benchConfig()
	year := cfg.FirstYear + cfg.Years - 1

	// One association alone first.
	first := cfg
	first.Associations = 1
	started := time.Now()
	res, err := synth.Load(ctx, st, first)
	if err != nil {
		b.Fatal(err)
	}
	one := res.Associations[0]
	b.Run("report/1-association", func(b *testing.B) { benchReport(b, st, one, year) })

	rest := cfg
	rest.Associations = cfg.Associations - 1
	rest.Seed = cfg.Seed + 1
	rest.Prefix = cfg.Prefix + "b"
	more, err := synth.Load(ctx, st, rest)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: loaded %d associations, %d participants, %d budget lines in %v", d, 1+len(more.Associations),
		res.Participants+more.Participants, res.BudgetLines+more.BudgetLines, time.Since(started).Round(time.Millisecond))
	if d == store.Postgres {
		st.Exec(ctx, "ANALYZE") // as autovacuum would after a load
	}
	name := strconv.Itoa(cfg.Associations) + "-associations"
	b.Run("report/"+name, func(b *testing.B) { benchReport(b, st, one, year) })
	b.Run("csv/"+name, func(b *testing.B) {
		peak := heapSampler(b)
		for b.Loop() {
			var rows []assocreport.UppfoljningRow
			err := st.ReadTx(ctx, func(tx *store.Tx) error {
				var err error
				rows, err = assocreport.Uppfoljning(ctx, tx, codes, 0, year)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			if err := assocreport.WriteUppfoljningCSV(io.Discard, rows); err != nil {
				b.Fatal(err)
			}
		}
		peak(b)
	})
}

// benchReport builds one association's yearly report and its PDF.
func benchReport(b *testing.B, st *store.Store, assoc organisation.Organisation, year int) {
	ctx := context.Background()
	peak := heapSampler(b)
	var size int
	for b.Loop() {
		var r assocreport.Report
		err := st.ReadTx(ctx, func(tx *store.Tx) error {
			var err error
			r, err = assocreport.Build(ctx, tx, codes, assocreport.Request{Association: assoc, Year: year})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := assocreport.WritePDF(&buf, r, assocreport.Options{T: identity, Codes: codes, Lang: "sv", Created: time.Unix(0, 0)}); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "pdf-bytes")
	peak(b)
}

// heapSampler reports the peak of live heap objects during the benchmark
// above what was live at its start (runtime/metrics, sampled every
// millisecond: cheap, where runtime.ReadMemStats stops the world), as
// peak-heap-MB; and, from runtime.ReadMemStats at the end, HeapSys (the
// heap the process holds from the OS, its high-water mark in practice) as
// heap-sys-MB.
func heapSampler(b *testing.B) func(*testing.B) {
	b.ReportAllocs()
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				metrics.Read(s)
				if v := s[0].Value.Uint64(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	return func(b *testing.B) {
		close(done)
		<-stopped
		p := peak.Load()
		if p < base {
			p = base
		}
		b.ReportMetric(float64(p-base)/(1<<20), "peak-heap-MB")
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.HeapSys)/(1<<20), "heap-sys-MB")
	}
}
