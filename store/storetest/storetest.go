// Package storetest gives tests a fresh, migrated database of each dialect.
//
// SQLite runs always, in a temporary folder. PostgreSQL runs when the
// environment variable FINSAM_TEST_POSTGRES holds a connection URL (e.g.
// postgres://postgres@127.0.0.1:5432/test); each test then gets a schema of
// its own, dropped afterwards, so tests can run in parallel against one
// server. When the variable is set but the server cannot be reached the
// tests fail: a configured database that silently goes untested is worse
// than a red build.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/store"
)

// EnvPostgres names the variable that enables the PostgreSQL tests.
const EnvPostgres = "FINSAM_TEST_POSTGRES"

var skipNotice sync.Once

// Each runs fn as a subtest once per available dialect ("sqlite" and, when
// configured, "postgres"), each with its own fresh, migrated database.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	EachDialect(t, func(t *testing.T, d store.Dialect) { fn(t, Open(t, d)) })
}

// EachDialect runs fn as a subtest once per dialect ("sqlite" and
// "postgres"), PostgreSQL skipped as Each skips it, for a test that opens
// its databases itself (from Config, say).
func EachDialect(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	t.Helper()
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			SkipUnavailable(t, d)
			fn(t, d)
		})
	}
}

// SkipUnavailable skips the test or benchmark when it needs a database of
// dialect d that this run has none of: PostgreSQL without
// FINSAM_TEST_POSTGRES. The first skip says so on standard error, so that
// the untested dialect is seen in a run's output.
func SkipUnavailable(t testing.TB, d store.Dialect) {
	t.Helper()
	if d != store.Postgres || os.Getenv(EnvPostgres) != "" {
		return
	}
	skipNotice.Do(func() {
		fmt.Fprintf(os.Stderr, "storetest: PostgreSQL tests SKIPPED: set %s to a postgres:// URL to run them\n", EnvPostgres)
	})
	t.Skipf("PostgreSQL tests skipped: %s is not set", EnvPostgres)
}

// Open returns a fresh, migrated store of the dialect, closed and removed when
// the test ends.
func Open(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	cfg := Config(t, d)
	ctx := context.Background()
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open %s store: %v", d, err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s store: %v", d, err)
	}
	return s
}

// AuditKeys are audit keys for tests, from one fixed master secret, so
// that what one part of a test signs another can verify.
func AuditKeys(tb testing.TB) *audit.Keys {
	tb.Helper()
	k, err := audit.NewKeys([]byte("test master secret, 32 bytes at least........"))
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// Config returns the configuration of a fresh, empty database of the dialect
// (not yet opened or migrated), removed when the test ends. For PostgreSQL it
// fails the test when FINSAM_TEST_POSTGRES is unset or unreachable.
func Config(t testing.TB, d store.Dialect) store.Config {
	t.Helper()
	if d == store.SQLite {
		return store.Config{DataDir: filepath.Join(t.TempDir(), "data")}
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Fatalf("%s is not set", EnvPostgres)
	}
	schema := "test_" + randomHex(8)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPostgres, err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("PostgreSQL at %s is not usable (%v); start it or unset %s", base, err, EnvPostgres)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Logf("drop test schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s must be a postgres:// URL: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return store.Config{DatabaseURL: u.String()}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Snapshot reads every row of every table but those named in skip, each
// row as text and each table's rows sorted, so that a test can compare two
// snapshots to tell whether anything was written in between.
func Snapshot(t testing.TB, st *store.Store, skip ...string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if st.Dialect() == store.Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	rows, err := st.Query(ctx, q)
	if err != nil {
		t.Fatalf("snapshot: list tables: %v", err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatalf("snapshot: list tables: %v", err)
		}
		if !slices.Contains(skip, name) {
			tables = append(tables, name)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("snapshot: list tables: %v", err)
	}
	rows.Close()
	out := make(map[string][]string, len(tables))
	for _, table := range tables {
		out[table] = tableRows(t, st, table)
	}
	return out
}

func tableRows(t testing.TB, st *store.Store, table string) []string {
	t.Helper()
	rows, err := st.Query(context.Background(), "SELECT * FROM "+table)
	if err != nil {
		t.Fatalf("snapshot %s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatalf("snapshot %s: %v", table, err)
	}
	values := make([]any, len(cols))
	dest := make([]any, len(cols))
	for i := range values {
		dest[i] = &values[i]
	}
	var out []string
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			t.Fatalf("snapshot %s: %v", table, err)
		}
		var b strings.Builder
		for i, v := range values {
			if i > 0 {
				b.WriteByte('|')
			}
			if raw, ok := v.([]byte); ok {
				v = string(raw)
			}
			fmt.Fprint(&b, v)
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("snapshot %s: %v", table, err)
	}
	slices.Sort(out)
	return out
}

// RewindAuditTail does what someone who can write the database can do to
// hide their latest reads: it deletes the audit entries after keep and every
// checkpoint that names them, and moves the chain head back to keep. Tests
// of the audit anchor use it to show that the rewind is detected.
func RewindAuditTail(t testing.TB, s *store.Store, keep int64) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{
		"DELETE FROM audit_persons WHERE seq > $1",
		"DELETE FROM audit_log WHERE seq > $1",
		"DELETE FROM audit_checkpoints WHERE seq > $1",
		"UPDATE audit_head SET seq = $1, hash = (SELECT hash FROM audit_log WHERE seq = $1) WHERE id = 1",
	} {
		if _, err := s.Exec(ctx, q, keep); err != nil {
			t.Fatal(err)
		}
	}
}
