package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// A migration moves the schema one version forward. Migrations are an
// ordered list of Go values (the Miniflux way): the SQL is written once in
// portable form (see Dialect.ddl) and a migration may branch on the dialect
// where it must. Each migration runs in its own transaction together with the
// row that records it, so a failed migration leaves nothing half-done.
type migration struct {
	version int
	name    string
	up      func(d Dialect) []string
}

// migrations is the schema history in the order it is applied; each entry
// lives in its own file, migration_NNNN_topic.go, where NNNN is its version.
// Append only: never edit, renumber or reorder an entry that has shipped. The
// package documentation says how to add one.
var migrations = []migration{
	migration0001,
	migration0002,
	migration0003,
	migration0004,
	migration0005,
	migration0006,
	migration0007,
	migration0008,
	migration0009,
	migration0010,
	migration0011,
	migration0012,
	migration0013,
	migration0014,
	migration0015,
	migration0016,
	migration0017,
	migration0018,
	migration0019,
}

// LatestVersion is the newest schema version this binary knows.
func LatestVersion() int { return migrations[len(migrations)-1].version }

// MigrationStatus describes one known migration.
type MigrationStatus struct {
	Version   int
	Name      string
	AppliedAt time.Time // zero when pending
}

// ErrSchemaTooNew means the database was migrated by a newer finsam.
var ErrSchemaTooNew = errors.New("database schema is newer than this finsam")

const createVersionTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at {{timestamp}} NOT NULL
)`

// Migrate applies all pending migrations and returns how many it applied.
// They are applied in one transaction: either the schema reaches the newest
// version or it stays as it was (both databases have transactional DDL). On
// PostgreSQL an advisory lock keeps several finsam instances starting at
// once from migrating concurrently.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	if _, err := s.write.ExecContext(ctx, s.target.Dialect.ddl(createVersionTable)); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", normalize(err))
	}
	var applied int
	err := s.Tx(ctx, func(tx *Tx) error {
		applied = 0
		if s.target.Dialect == Postgres {
			// A transaction-scoped lock: released at commit or rollback.
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(4653414)"); err != nil {
				return err
			}
		}
		current, err := currentVersion(ctx, tx)
		if err != nil {
			return err
		}
		if current > LatestVersion() {
			return tooNew(current)
		}
		now := time.Now().UTC()
		for _, m := range migrations {
			if m.version <= current {
				continue
			}
			if err := applyStatements(ctx, tx, s.target.Dialect, m.up(s.target.Dialect)); err != nil {
				return fmt.Errorf("migration %d (%s), %w", m.version, m.name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
				m.version, m.name, now); err != nil {
				return err
			}
			applied++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if s.target.Dialect == SQLite {
		if _, err := s.write.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", sqliteApplicationID)); err != nil {
			return applied, normalize(err)
		}
	}
	return applied, nil
}

// applyStatements runs one migration's statements in the transaction. On
// PostgreSQL they are sent as one text (the simple query protocol, which pgx
// uses for a statement without arguments, takes several at once): one round
// trip instead of one a statement, which was most of a migration's time.
// PostgreSQL's error then names the object, not the statement's number.
func applyStatements(ctx context.Context, tx *Tx, d Dialect, stmts []string) error {
	if d == Postgres {
		texts := make([]string, len(stmts))
		for i, stmt := range stmts {
			texts[i] = d.ddl(stmt)
		}
		if _, err := tx.Exec(ctx, strings.Join(texts, ";\n")); err != nil {
			return fmt.Errorf("its statements: %w", err)
		}
		return nil
	}
	for i, stmt := range stmts {
		if _, err := tx.Exec(ctx, d.ddl(stmt)); err != nil {
			return fmt.Errorf("statement %d: %w", i+1, err)
		}
	}
	return nil
}

func tooNew(v int) error {
	return fmt.Errorf("%w: it is at version %d but this finsam knows only up to %d; run a newer finsam", ErrSchemaTooNew, v, LatestVersion())
}

func currentVersion(ctx context.Context, q Querier) (int, error) {
	var v int
	err := q.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

// SchemaVersion returns the version the database is at (0 when never
// migrated).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	ok, err := s.hasVersionTable(ctx)
	if err != nil || !ok {
		return 0, err
	}
	return currentVersion(ctx, s)
}

// CheckSchema verifies that the database is fully migrated and not newer
// than this binary. Servers started with --no-migrate call it.
func (s *Store) CheckSchema(ctx context.Context) error {
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case v > LatestVersion():
		return tooNew(v)
	case v < LatestVersion():
		return fmt.Errorf("database schema is at version %d, this finsam needs %d: run `finsam migrate up`", v, LatestVersion())
	}
	return nil
}

// MigrationStatuses lists every known migration and when it was applied, plus
// any applied version this binary does not know (from a newer finsam).
func (s *Store) MigrationStatuses(ctx context.Context) ([]MigrationStatus, error) {
	applied := map[int]MigrationStatus{}
	ok, err := s.hasVersionTable(ctx)
	if err != nil {
		return nil, err
	}
	if ok {
		rows, err := s.Query(ctx, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var m MigrationStatus
			if err := rows.Scan(&m.Version, &m.Name, &m.AppliedAt); err != nil {
				return nil, err
			}
			applied[m.Version] = m
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	var out []MigrationStatus
	for _, m := range migrations {
		st := MigrationStatus{Version: m.version, Name: m.name}
		if a, ok := applied[m.version]; ok {
			st.AppliedAt = a.AppliedAt
			delete(applied, m.version)
		}
		out = append(out, st)
	}
	var unknown []MigrationStatus
	for _, a := range applied {
		unknown = append(unknown, a)
	}
	slices.SortFunc(unknown, func(a, b MigrationStatus) int { return a.Version - b.Version })
	return append(out, unknown...), nil
}

func (s *Store) hasVersionTable(ctx context.Context) (bool, error) {
	var q string
	switch s.target.Dialect {
	case Postgres:
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
	default:
		q = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
	}
	var n int
	if err := s.QueryRow(ctx, q).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}
