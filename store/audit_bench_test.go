package store_test

import (
	"context"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// BenchmarkAuditRecord is one audited read's cost: a transaction that
// appends one entry to the chain.
func BenchmarkAuditRecordSQLite(b *testing.B) {
	rec := store.NewAuditRecorder(storetest.Open(b, store.SQLite), testKeys(b))
	ctx := context.Background()
	e := event(1)
	b.ReportAllocs()
	for b.Loop() {
		if err := rec.Record(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEmptyTxSQLite is the floor: a write transaction that does one
// small update.
func BenchmarkEmptyTxSQLite(b *testing.B) {
	s := storetest.Open(b, store.SQLite)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Tx(ctx, func(tx *store.Tx) error { return store.SetSetting(ctx, tx, "k", "v") }); err != nil {
			b.Fatal(err)
		}
	}
}
