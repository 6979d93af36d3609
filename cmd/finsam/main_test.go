package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/internal/syncbuf"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// finsam runs the command line in-process and returns exit code and output.
func finsam(t *testing.T, environ map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(k string) string { return environ[k] }}
	code := run(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

// usageCase is one call of the command line and what it must answer.
type usageCase struct {
	args []string
	code int
	out  string // expected in stdout
	err  string // expected in stderr
}

// checkUsage runs every case of tests and compares exit code and output.
func checkUsage(t *testing.T, tests []usageCase) {
	t.Helper()
	for _, tc := range tests {
		code, out, errOut := finsam(t, nil, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errOut, tc.err) {
			t.Errorf("finsam %v: exit %d (want %d)\nstdout: %s\nstderr: %s", tc.args, code, tc.code, out, errOut)
		}
	}
}

func TestUsageAndExitCodes(t *testing.T) {
	tests := []usageCase{
		{[]string{}, 2, "Commands:", ""},
		{[]string{"help"}, 0, "serve", ""},
		{[]string{"no-such-command"}, 2, "", `unknown command "no-such-command"`},
		{[]string{"version"}, 0, "finsam dev (schema", ""},
		{[]string{"serve", "--no-such-flag"}, 2, "", "flag provided but not defined"},
		{[]string{"migrate", "--bogus"}, 2, "", "Usage: finsam migrate"},
		{[]string{"backup"}, 2, "", "Usage: finsam backup"},
		{[]string{"restore", "a", "b"}, 2, "", "Usage: finsam restore"},
		{[]string{"version", "extra"}, 2, "", "unexpected argument"},
		{[]string{"serve", "--log-format", "xml"}, 2, "", `--log-format: unknown log format "xml"`},
		{[]string{"serve", "--trust-proxy", "--trusted-proxies", "10.0.0.0/33"}, 2, "", "--trusted-proxies: trusted proxy \"10.0.0.0/33\""},
		{[]string{"serve", "--trusted-proxies", "10.0.0.1"}, 2, "", "--trusted-proxies: set --trust-proxy too"},
	}
	for _, c := range commands() {
		tests = append(tests, usageCase{[]string{c.name, "--help"}, 0, "Usage: finsam " + c.name, ""})
	}
	checkUsage(t, tests)
}

func TestBackupHelpPointsToPgDump(t *testing.T) {
	_, out, _ := finsam(t, nil, "backup", "--help")
	if !strings.Contains(out, "pg_dump") {
		t.Fatal("backup --help must say that PostgreSQL is backed up with pg_dump")
	}
}

func TestDataFlagAndEnvMeanTheSameDatabase(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := finsam(t, nil, "migrate", "up", "--data", dir); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	code, out, _ := finsam(t, map[string]string{"FINSAM_DATA": dir}, "migrate", "status")
	if code != 0 || strings.Contains(out, "pending") || !strings.Contains(out, "settings and organisations") {
		t.Fatalf("status via FINSAM_DATA did not see the migrated database: %s", out)
	}
	// The flag wins over the variable.
	other := t.TempDir()
	_, out, _ = finsam(t, map[string]string{"FINSAM_DATA": dir}, "migrate", "status", "--data", other)
	if !strings.Contains(out, "pending") {
		t.Fatalf("--data did not override FINSAM_DATA: %s", out)
	}
}

func TestBadDatabaseInputIsOneClearLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o600)
	corrupt := t.TempDir()
	os.WriteFile(filepath.Join(corrupt, "finsam.db"), bytes.Repeat([]byte("garbage "), 1000), 0o600)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"unknown scheme", map[string]string{"FINSAM_DATABASE_URL": "mysql://x/y"}, []string{"migrate"}, "unknown database URL scheme"},
		{"unwritable data folder", nil, []string{"migrate", "--data", filepath.Join(file, "sub")}, "--data"},
		{"corrupt file", nil, []string{"demo", "--data", corrupt}, "finsam restore"},
		{"unreachable postgres", nil, []string{"migrate", "--database", "postgres://x@127.0.0.1:1/none?connect_timeout=2"}, "cannot reach PostgreSQL"},
	}
	for _, tc := range tests {
		code, _, errOut := finsam(t, tc.env, tc.args...)
		if code != 1 || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 and one line with %q", tc.name, code, errOut, tc.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(corrupt, "finsam.db")); !bytes.Equal(b, bytes.Repeat([]byte("garbage "), 1000)) {
		t.Fatal("the corrupt file was modified")
	}
}

func TestSchemaFromNewerFinsamIsRefused(t *testing.T) {
	dir := t.TempDir()
	finsam(t, nil, "migrate", "--data", dir)
	db, err := sql.Open("sqlite", filepath.Join(dir, "finsam.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', CURRENT_TIMESTAMP)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, args := range [][]string{{"migrate", "--data", dir}, {"serve", "--data", dir, "--addr", "127.0.0.1:0"}, {"serve", "--no-migrate", "--data", dir, "--addr", "127.0.0.1:0"}} {
		code, _, errOut := finsam(t, nil, args...)
		if code != 1 || !strings.Contains(errOut, "newer finsam") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
	_, out, _ := finsam(t, nil, "migrate", "status", "--data", dir)
	if !strings.Contains(out, "unknown to this finsam") {
		t.Errorf("status does not flag the unknown version: %s", out)
	}
}

func TestDemoLoadsOnceAndRefusesNonEmpty(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := finsam(t, nil, "demo", "--data", dir); code != 0 || !strings.Contains(out, "loaded demo data") {
		t.Fatalf("demo: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := finsam(t, nil, "demo", "--data", dir); code != 1 || !strings.Contains(errOut, "already holds data") {
		t.Fatalf("second demo: %d %s", code, errOut)
	}
}

// dump returns every row of every table, in a stable order, as text.
func dump(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var tables []string
	for rows.Next() {
		var name string
		var ddl sql.NullString
		rows.Scan(&name, &ddl)
		fmt.Fprintf(&b, "%s: %s\n", name, ddl.String)
		if strings.HasPrefix(strings.ToUpper(ddl.String), "CREATE TABLE") {
			tables = append(tables, name)
		}
	}
	rows.Close()
	for _, tbl := range tables {
		r, err := db.Query("SELECT * FROM " + tbl + " ORDER BY 1")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := r.Columns()
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			r.Scan(ptrs...)
			fmt.Fprintf(&b, "%s %v\n", tbl, vals)
		}
		r.Close()
	}
	return b.String()
}

func TestBackupRestoreRoundTripGivesIdenticalDatabase(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	if code, _, e := finsam(t, nil, "demo", "--data", src); code != 0 {
		t.Fatal(e)
	}
	// Back up while the database is open for writing elsewhere in this
	// process, as it would be under a running server.
	st, err := store.Open(context.Background(), store.Config{DataDir: src})
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "finsam-backup.db")
	code, _, errOut := finsam(t, nil, "backup", "--data", src, backup)
	if code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	// Restore refuses while a server holds the database.
	if code, _, errOut := finsam(t, nil, "restore", "--data", src, backup); code != 1 || !strings.Contains(errOut, "in use") {
		t.Fatalf("restore over a database in use: exit %d %q", code, errOut)
	}
	st.Close()
	if code, _, errOut := finsam(t, nil, "backup", "--data", src, backup); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("backup over an existing file: exit %d %q", code, errOut)
	}
	if code, _, errOut := finsam(t, nil, "restore", "--data", dst, backup); code != 0 {
		t.Fatalf("restore: %s", errOut)
	}
	want, got := dump(t, filepath.Join(src, "finsam.db")), dump(t, filepath.Join(dst, "finsam.db"))
	if want != got || !strings.Contains(got, "region-gotland") {
		t.Fatalf("restored database differs\nwant:\n%s\ngot:\n%s", want, got)
	}
}

func TestRestoreRefusesWhatIsNotAFinsamBackup(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, bytes.Repeat([]byte("hello\n"), 100), 0o600)
	other := filepath.Join(dir, "other.db")
	db, _ := sql.Open("sqlite", other)
	db.Exec("CREATE TABLE t (x)")
	db.Close()
	target := t.TempDir()
	finsam(t, nil, "demo", "--data", target)
	before := dump(t, filepath.Join(target, "finsam.db"))
	for _, f := range []string{text, other, filepath.Join(dir, "missing.db")} {
		code, _, errOut := finsam(t, nil, "restore", "--data", target, f)
		if code != 1 {
			t.Errorf("restore %s: exit %d %q", f, code, errOut)
		}
		if f != filepath.Join(dir, "missing.db") && !strings.Contains(errOut, "not a finsam backup") {
			t.Errorf("restore %s: %q", f, errOut)
		}
	}
	if dump(t, filepath.Join(target, "finsam.db")) != before {
		t.Fatal("a refused restore changed the database")
	}
}

func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	code, _, errOut := finsam(t, nil, "serve", "--data", dir, "--addr", ln.Addr().String())
	if code != 1 || !strings.Contains(errOut, "already in use") {
		t.Fatalf("exit %d %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "finsam.db")); err == nil {
		t.Fatal("a failed start created the database")
	}
}

// TestServeShutsDownGracefully starts the whole server, cancels its context
// (as SIGTERM does) and checks that it stops cleanly and lets the database go.
func TestServeShutsDownGracefully(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		cfg, db := handOver(t, st)
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		args := append([]string{"serve", "--addr", addr, "--demo", "--log-format", "json"}, db...)
		ctx, cancel := context.WithCancel(context.Background())
		var logs syncbuf.Buffer
		done := make(chan int)
		go func() {
			done <- run(ctx, &env{stdout: &logs, stderr: &logs, getenv: func(string) string { return "" }}, args)
		}()
		url := "http://" + addr
		waitFor(t, url+"/healthz")
		if r, err := http.Get(url + "/readyz"); err != nil || r.StatusCode != 200 {
			t.Fatalf("readyz: %v %v", r, err)
		}
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Fatalf("serve exit %d\n%s", code, logs.String())
			}
		case <-time.After(20 * time.Second):
			t.Fatal("serve did not stop")
		}
		// The database was closed: the SQLite lock is free again.
		if cfg.Dialect == store.SQLite {
			if err := store.Restore(context.Background(), store.Config{DataDir: filepath.Dir(cfg.Path)}, "/nonexistent"); err == nil || strings.Contains(err.Error(), "in use") {
				t.Fatalf("database still held after shutdown: %v", err)
			}
		}
		for _, want := range []string{"finsam listening", `"url":"http://` + addr, "shutting down", "stopped"} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("log lacks %q:\n%s", want, logs.String())
			}
		}
	})
}

func waitFor(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if r, err := http.Get(url); err == nil {
			r.Body.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never answered", url)
}

// TestInFlightRequestsFinishOnShutdown holds a request inside its handler
// while shutdown begins: the server must stop accepting, wait for the request
// and deliver its response.
func TestInFlightRequestsFinishOnShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	entered, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		fmt.Fprint(w, "finished")
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	var logs syncbuf.Buffer
	go func() { done <- serveHTTP(ctx, ln, h, slog.New(slog.NewTextHandler(&logs, nil)), 10*time.Second) }()
	url := "http://" + ln.Addr().String()
	type result struct {
		body string
		err  error
	}
	got := make(chan result)
	go func() {
		r, err := http.Get(url + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		got <- result{string(b), err}
	}()
	<-entered
	cancel()
	// New connections are refused once shutdown has begun.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), 200*time.Millisecond)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("serveHTTP returned (%v) with a request in flight", err)
	default:
	}
	close(release)
	if r := <-got; r.err != nil || r.body != "finished" {
		t.Fatalf("in-flight request: %q, %v", r.body, r.err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestTrustedProxiesComeFromTheEnvironmentToo(t *testing.T) {
	code, _, errOut := finsam(t, map[string]string{"FINSAM_TRUST_PROXY": "true", "FINSAM_TRUSTED_PROXIES": "proxy.example"}, "serve")
	if code != 2 || !strings.Contains(errOut, `--trusted-proxies: trusted proxy "proxy.example"`) {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

// TestServeWritesACPUProfile: with --cpuprofile the server profiles its
// whole run and leaves the profile (gzipped, as go tool pprof reads it)
// when it stops.
func TestServeWritesACPUProfile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "serve.cpu")
	serveBriefly(t, "--data", dir, "--cpuprofile", path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("profile of %d bytes is not gzipped: % x", len(b), b[:min(len(b), 8)])
	}
	// A file it cannot write is refused before the database is opened.
	code, _, errOut := finsam(t, nil, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--cpuprofile", filepath.Join(dir, "no", "such", "dir"))
	if code != 1 || !strings.Contains(errOut, "--cpuprofile") {
		t.Fatalf("exit %d %q", code, errOut)
	}
}
