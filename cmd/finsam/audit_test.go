package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/internal/loopback"
	"github.com/finsam/finsam/internal/syncbuf"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// eachAuditDB runs fn with a fresh database of each dialect with a data folder of its
// own (for the secret file and the anchor), as command-line arguments.
func eachAuditDB(t *testing.T, fn func(t *testing.T, dir string, db []string, open func() *store.Store)) {
	storetest.EachDialect(t, func(t *testing.T, d store.Dialect) {
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
		storetest.RewindAuditTail(t, open(), 2950)
		code, out, errOut := finsam(t, nil, args("audit", "verify")...)
		if code != 1 || !strings.Contains(errOut, "rewound") || !strings.Contains(errOut, "3000") {
			t.Fatalf("after the tail was rewound: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
		}
		t.Log(strings.TrimSpace(errOut))
	})
}

func TestAuditAnchorFileMissingTornAndFresh(t *testing.T) {
	eachAuditDB(t, func(t *testing.T, dir string, db []string, open func() *store.Store) {
		args := func(a ...string) []string { return append(a, db...) }
		anchor := filepath.Join(dir, "audit-anchor.log")
		if code, _, errOut := finsam(t, nil, args("migrate")...); code != 0 {
			t.Fatal(errOut)
		}
		if _, err := open().Exec(context.Background(), "INSERT INTO organisations (slug, name, type, created_at) VALUES ('fk', 'FK', 'fk', CURRENT_TIMESTAMP)"); err != nil {
			t.Fatal(err)
		}
		// A fresh installation has no anchor yet, and nothing to anchor.
		if code, out, errOut := finsam(t, nil, args("audit", "verify", "--secret-file", filepath.Join(dir, "made.key"))...); code != 1 || !strings.Contains(errOut, "secret file") {
			t.Fatalf("no secret: %d %s %s", code, out, errOut)
		}
		if code, _, errOut := finsam(t, nil, args("token", "create", "--org", "fk", "--scope", "certificates:read", "--name", "a")...); code != 0 {
			t.Fatal(errOut)
		}
		if code, out, errOut := finsam(t, nil, args("audit", "verify")...); code != 0 || !strings.Contains(out, "audit log intact: 1 entries, signed up to entry 0, anchored up to entry 0") {
			t.Fatalf("fresh: %d %s %s", code, out, errOut)
		}
		if err := os.Remove(anchor); err != nil {
			t.Fatal(err)
		}
		if code, out, errOut := finsam(t, nil, args("audit", "verify")...); code != 0 || !strings.Contains(out, "audit log intact: 1 entries") {
			t.Fatalf("fresh, no anchor file yet: %d %s %s", code, out, errOut)
		}
		if code, out, errOut := finsam(t, nil, args("audit", "seal")...); code != 0 {
			t.Fatalf("seal: %d %s %s", code, out, errOut)
		}
		if code, out, errOut := finsam(t, nil, args("audit", "verify")...); code != 0 || !strings.Contains(out, "signed up to entry 1, anchored up to entry 1") {
			t.Fatalf("sealed: %d %s %s", code, out, errOut)
		}

		// A crash in the middle of an append leaves half a line; verify
		// skips it and says so, and the next writer starts a new line.
		f, err := os.OpenFile(anchor, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(`{"finsam_audit_anchor":1,"seq":2,"hash":"ab`)
		f.Close()
		if code, out, errOut := finsam(t, nil, args("audit", "verify")...); code != 0 || !strings.Contains(out, "1 anchor line(s) cut short by a crash were skipped") {
			t.Fatalf("torn line: %d %s %s", code, out, errOut)
		}
		finsam(t, nil, args("token", "create", "--org", "fk", "--scope", "certificates:read", "--name", "b")...)
		finsam(t, nil, args("audit", "seal")...)
		if code, out, errOut := finsam(t, nil, args("audit", "verify")...); code != 0 || !strings.Contains(out, "anchored up to entry 2") || !strings.Contains(out, "1 anchor line(s) cut short") {
			t.Fatalf("after the torn line: %d %s %s", code, out, errOut)
		}

		// An auditor verifies with the public key alone.
		_, pub, _ := finsam(t, nil, args("audit", "public-key")...)
		if code, out, errOut := finsam(t, nil, args("audit", "verify", "--secret-file", filepath.Join(dir, "none.key"), "--public-key", strings.TrimSpace(pub))...); code != 0 || !strings.Contains(out, "anchored up to entry 2") {
			t.Fatalf("public key: %d %s %s", code, out, errOut)
		}

		// A removed anchor file is reported, not passed.
		os.Rename(anchor, anchor+".moved")
		code, out, errOut := finsam(t, nil, args("audit", "verify")...)
		if code != 1 || !strings.Contains(errOut, "is missing, but the database holds signed checkpoints up to entry 2") {
			t.Fatalf("anchor removed: %d %s %s", code, out, errOut)
		}
		// Another place is given with --audit-anchor; off compares none,
		// and says what that leaves unchecked.
		if code, out, errOut := finsam(t, nil, args("audit", "verify", "--audit-anchor", anchor+".moved")...); code != 0 || !strings.Contains(out, "anchored up to entry 2") {
			t.Fatalf("anchor elsewhere: %d %s %s", code, out, errOut)
		}
		if code, out, errOut := finsam(t, nil, args("audit", "verify", "--audit-anchor", "off")...); code != 0 || !strings.Contains(out, "no anchor compared") {
			t.Fatalf("anchor off: %d %s %s", code, out, errOut)
		}
		// A writer makes a new anchor file, and says that the log it starts
		// on was already signed: expected once after an upgrade, otherwise
		// a sign that the anchor was removed.
		if code, out, errOut := finsam(t, nil, args("audit", "seal")...); code != 0 || !strings.Contains(errOut, "was made now, on a log already signed up to entry 2") {
			t.Fatalf("new anchor: %d %s %s", code, out, errOut)
		}
		if code, out, errOut := finsam(t, nil, args("audit", "verify")...); code != 0 || !strings.Contains(out, "anchored up to entry 2") {
			t.Fatalf("new anchor: %d %s %s", code, out, errOut)
		}

		// A crash between a checkpoint's commit and its append to the
		// anchor leaves the database ahead: a note, not an alarm, and the
		// next writer or seal catches up.
		finsam(t, nil, args("token", "create", "--org", "fk", "--scope", "certificates:read", "--name", "c")...)
		if code, out, errOut := finsam(t, nil, args("audit", "seal", "--audit-anchor", "off")...); code != 0 {
			t.Fatalf("seal without the anchor: %d %s %s", code, out, errOut)
		}
		if code, out, errOut := finsam(t, nil, args("audit", "verify")...); code != 0 || !strings.Contains(out, "signed up to entry 3, anchored up to entry 2") ||
			!strings.Contains(out, "note: the checkpoints after entry 2 are in the database only") {
			t.Fatalf("anchor behind: %d %s %s", code, out, errOut)
		}
		finsam(t, nil, args("audit", "seal")...)
		if code, out, errOut := finsam(t, nil, args("audit", "verify")...); code != 0 || !strings.Contains(out, "anchored up to entry 3") || strings.Contains(out, "database only") {
			t.Fatalf("caught up: %d %s %s", code, out, errOut)
		}
	})
}

// serveBriefly starts the server, waits until it answers and stops it.
func serveBriefly(t *testing.T, args ...string) string {
	t.Helper()
	addr, err := loopback.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var logs syncbuf.Buffer
	done := make(chan int)
	go func() {
		done <- run(ctx, &env{stdout: &logs, stderr: &logs, getenv: func(string) string { return "" }},
			append([]string{"serve", "--addr", addr, "--log-format", "json", "--recompute-at", "off"}, args...))
	}()
	waitFor(t, "http://"+addr+"/healthz")
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exit %d\n%s", code, logs.String())
	}
	return logs.String()
}

func TestServeAnchorsTheAuditLog(t *testing.T) {
	eachAuditDB(t, func(t *testing.T, dir string, db []string, open func() *store.Store) {
		logs := serveBriefly(t, append(db, "--demo")...)
		if strings.Contains(logs, "beside the database") {
			t.Errorf("demo mode warned about the secret file:\n%s", logs)
		}
		// The demo's writes signed checkpoints up to entry 3000 as they
		// went, and the stop sealed the head.
		a, err := audit.ReadAnchorFile(filepath.Join(dir, "audit-anchor.log"))
		if err != nil || len(a.Checkpoints) < 30 || a.Checkpoints[0].Seq != 100 || a.Checkpoints[len(a.Checkpoints)-1].Seq < 3000 {
			t.Fatalf("anchor after serve: %v, %d checkpoints", err, len(a.Checkpoints))
		}
		code, out, errOut := finsam(t, nil, append([]string{"audit", "verify"}, db...)...)
		if code != 0 || !strings.Contains(out, "anchored up to entry 3000") || strings.Contains(out, "note:") {
			t.Fatalf("verify: %d %s %s", code, out, errOut)
		}
		// Outside demo mode, a secret file beside the SQLite database is
		// worth a warning.
		logs = serveBriefly(t, db...)
		if beside := strings.Contains(logs, "beside the database"); beside != !slices.Contains(db, "--database") {
			t.Errorf("warning about the secret file beside the database: %v, on %v:\n%s", beside, db, logs)
		}
	})
}
