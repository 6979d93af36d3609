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
//
// # Adding a migration
//
// The schema is an append-only list of migrations (the migrations variable in
// migrate.go), one file each. To change the schema:
//
//  1. Copy the newest file to migration_NNNN_topic.go with the next version
//     (LatestVersion()+1, four digits) and a topic in a word or two.
//  2. Name the variable migrationNNNN, set version to NNNN and name to a line
//     that says what it adds (it is recorded in schema_migrations and shown
//     by `finsam migrate status`), and write the statements in the portable
//     DDL of Dialect.ddl; branch on the dialect only where the two must differ.
//  3. Append migrationNNNN to the migrations list.
//
// Never edit, renumber or reorder a migration that has shipped: write a new
// one. TestMigrationFiles checks that the versions run 1..N without a gap and
// that each file holds exactly the one migration its name promises.
package store
