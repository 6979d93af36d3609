// Package store is finsam's database layer: one Store type over the embedded
// SQLite file (modernc.org/sqlite, pure Go) and PostgreSQL (pgx/v5).
//
// The two dialects share one set of migrations and portable SQL written with
// $1-style placeholders, which both drivers accept. The few places where the
// dialects differ (identity columns, timestamp types, advisory locks, the
// SQLite application id) are in dialect.go and nowhere else.
//
// Callers never see driver errors: every error leaving this package is either
// wrapped around one of the sentinel errors in errors.go (ErrNotFound,
// ErrConflict, ErrForeignKey, ...) or an unexpected failure. Writes that belong
// together go through Store.Tx, which retries transactions that the database
// aborted because of concurrency (SQLITE_BUSY, PostgreSQL 40001/40P01).
package store
