package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// eachAuditDB runs fn with a fresh database of each dialect with a data folder of its
// own (for the secret file and the anchor), as command-line arguments.
func eachAuditDB(t *testing.T, fn func(t *testing.T, dir string, db []string, open func() *store.Store)) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			if d == store.Postgres && os.Getenv(storetest.EnvPostgres) == "" {
				t.Skipf("PostgreSQL tests skipped: %s is not set", storetest.EnvPostgres)
			}
			cfg := storetest.Config(t, d)
			dir := t.TempDir()
			db := []string{"--data", dir}
			if d == store.Postgres {
				db = append(db, "--database", cfg.DatabaseURL)
			} else {
				cfg.DataDir = dir
			}
			open := func() *store.Store {
				st, err := store.Open(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				return st
			}
			fn(t, dir, db, open)
		})
	}
}

// rewindAuditTail does what someone who can write the database can do to
// hide their latest reads: delete the newest entries and every checkpoint
// that names them, and move the chain head back.
func rewindAuditTail(t *testing.T, st *store.Store, keep int64) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{
		"DELETE FROM audit_log WHERE seq > $1",
		"DELETE FROM audit_checkpoints WHERE seq > $1",
		"UPDATE audit_head SET seq = $1, hash = (SELECT hash FROM audit_log WHERE seq = $1) WHERE id = 1",
	} {
		if _, err := st.Exec(ctx, q, keep); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditVerifyReportsARewoundTail(t *testing.T) {
	eachAuditDB(t, func(t *testing.T, dir string, db []string, open func() *store.Store) {
		args := func(a ...string) []string { return append(a, db...) }
		if code, _, errOut := finsam(t, nil, args("demo")...); code != 0 {
			t.Fatal(errOut)
		}
		if code, out, errOut := finsam(t, nil, args("audit", "seal")...); code != 0 {
			t.Fatalf("seal: %d %s %s", code, out, errOut)
		}
		if code, out, errOut := finsam(t, nil, args("audit", "verify")...); code != 0 || !strings.Contains(out, "audit log intact") {
			t.Fatalf("before: %d %s %s", code, out, errOut)
		}
		rewindAuditTail(t, open(), 2950)
		code, out, errOut := finsam(t, nil, args("audit", "verify")...)
		if code != 1 || !strings.Contains(errOut, "rewound") || !strings.Contains(errOut, "3000") {
			t.Fatalf("after the tail was rewound: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
		}
		t.Log(strings.TrimSpace(errOut))
	})
}
