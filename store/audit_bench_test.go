package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// benchStore is a fresh store; anchored, it appends its checkpoints to an
// anchor file as the server does (an fsync'd append every 100 entries).
func benchStore(b *testing.B, d store.Dialect, anchored bool) *store.Store {
	storetest.SkipUnavailable(b, d)
	s := storetest.Open(b, d)
	if anchored {
		a, _, err := audit.OpenFileAnchor(filepath.Join(b.TempDir(), "audit-anchor.log"))
		if err != nil {
			b.Fatal(err)
		}
		s.SetAuditAnchor(a, func(err error) { b.Error(err) })
	}
	return s
}

// benchAuditRecord is one audited read's cost: a commit that appends one
// entry to the chain.
func benchAuditRecord(b *testing.B, d store.Dialect, anchored bool) {
	rec := store.NewAuditRecorder(benchStore(b, d, anchored), storetest.AuditKeys(b))
	defer rec.Close()
	ctx := context.Background()
	e := event(1)
	b.ReportAllocs()
	for b.Loop() {
		if err := rec.Record(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
}

// benchAuditRecordParallel is many reads recorded at once, which share
// commits (group commit).
func benchAuditRecordParallel(b *testing.B, d store.Dialect, anchored bool) {
	rec := store.NewAuditRecorder(benchStore(b, d, anchored), storetest.AuditKeys(b))
	defer rec.Close()
	ctx := context.Background()
	b.ReportAllocs()
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		e := event(1)
		for pb.Next() {
			if err := rec.Record(ctx, e); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// benchEmptyTx is the floor: a write transaction that does one small update.
func benchEmptyTx(b *testing.B, d store.Dialect) {
	storetest.SkipUnavailable(b, d)
	s := storetest.Open(b, d)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Tx(ctx, func(tx *store.Tx) error { return store.SetSetting(ctx, tx, "k", "v") }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAuditRecordSQLite(b *testing.B)         { benchAuditRecord(b, store.SQLite, false) }
func BenchmarkAuditRecordAnchoredSQLite(b *testing.B) { benchAuditRecord(b, store.SQLite, true) }
func BenchmarkAuditRecordParallelSQLite(b *testing.B) {
	benchAuditRecordParallel(b, store.SQLite, false)
}
func BenchmarkAuditRecordParallelAnchoredSQLite(b *testing.B) {
	benchAuditRecordParallel(b, store.SQLite, true)
}
func BenchmarkEmptyTxSQLite(b *testing.B) { benchEmptyTx(b, store.SQLite) }

// The PostgreSQL benchmarks skip without FINSAM_TEST_POSTGRES.
func BenchmarkAuditRecordPostgres(b *testing.B)         { benchAuditRecord(b, store.Postgres, false) }
func BenchmarkAuditRecordAnchoredPostgres(b *testing.B) { benchAuditRecord(b, store.Postgres, true) }
func BenchmarkAuditRecordParallelPostgres(b *testing.B) {
	benchAuditRecordParallel(b, store.Postgres, false)
}
func BenchmarkAuditRecordParallelAnchoredPostgres(b *testing.B) {
	benchAuditRecordParallel(b, store.Postgres, true)
}
func BenchmarkEmptyTxPostgres(b *testing.B) { benchEmptyTx(b, store.Postgres) }
