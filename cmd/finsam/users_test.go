package main

import (
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/internal/syncbuf"
)

func finsamIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut syncbuf.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code := run(t.Context(), e, args)
	return code, out.String(), errOut.String()
}

func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := finsam(t, nil, "demo", "--data", dir); code != 0 {
		t.Fatal(e)
	}
	code, out, errOut := finsamIn(t, "", "user", "add", "--data", dir, "--org", "fk", "--username", "ny", "--name", "Ny Handläggare (test)", "--roles", "case_worker,manager", "--office", "lfc-visby")
	if code != 0 || !strings.Contains(out, "password (shown once): ") {
		t.Fatalf("user add: %d %s %s", code, out, errOut)
	}
	pw := strings.TrimSpace(out[strings.Index(out, "(shown once): ")+len("(shown once): "):])
	if len(pw) < account.MinPasswordLen {
		t.Fatalf("generated password %q too short", pw)
	}
	bad := [][]string{
		{"user", "add", "--data", dir, "--org", "fk", "--username", "ny", "--name", "X", "--roles", "case_worker"},   // taken
		{"user", "add", "--data", dir, "--org", "nope", "--username", "x2", "--name", "X", "--roles", "case_worker"}, // no org
		{"user", "add", "--data", dir, "--org", "fk", "--username", "x3", "--name", "X", "--roles", "wizard"},        // no role
		{"user", "add", "--data", dir, "--org", "fk", "--username", "x4", "--name", "X", "--roles", "admin", "--office", "nowhere"},
		{"user", "passwd", "--data", dir, "--username", "nobody"},
	}
	for _, args := range bad {
		if code, _, errOut := finsam(t, nil, args...); code != 1 || errOut == "" {
			t.Errorf("%v: exit %d %q", args[1:], code, errOut)
		}
	}
	if code, _, _ := finsamIn(t, "too-short\n", "user", "passwd", "--data", dir, "--username", "ny", "--password-stdin"); code != 1 {
		t.Error("a password breaking the rules was accepted")
	}
	if code, out, _ := finsamIn(t, "a-good-long-password\n", "user", "passwd", "--data", dir, "--username", "ny", "--password-stdin"); code != 0 || !strings.Contains(out, "password set") {
		t.Errorf("passwd: %d %s", code, out)
	}
	if code, out, _ := finsam(t, nil, "user", "disable", "--data", dir, "--username", "ny"); code != 0 || !strings.Contains(out, "disabled") {
		t.Errorf("disable: %d %s", code, out)
	}
	_, list, _ := finsam(t, nil, "user", "list", "--data", dir, "--org", "fk")
	if !strings.Contains(list, "ny") || !strings.Contains(list, "disabled") || !strings.Contains(list, "handlaggare") {
		t.Errorf("list:\n%s", list)
	}
	if code, _, _ := finsam(t, nil, "user", "frobnicate"); code != 2 {
		t.Error("unknown subcommand did not exit 2")
	}
	// Every change is in the audit log, and the log verifies.
	code, out, errOut = finsam(t, nil, "audit", "verify", "--data", dir)
	if code != 0 || !strings.Contains(out, "audit log intact") {
		t.Fatalf("audit verify: %d %s %s", code, out, errOut)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "finsam.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, action := range []string{"create_user", "set_password", "disable_user"} {
		var n int
		db.QueryRow("SELECT count(*) FROM audit_log WHERE action = ? AND actor_name LIKE 'cli%'", action).Scan(&n)
		if n != 1 {
			t.Errorf("%d %s entries in the audit log, want 1", n, action)
		}
	}
	// The intake steward is a role like the others.
	if code, out, errOut := finsamIn(t, "", "user", "add", "--data", dir, "--org", "region-gotland", "--username", "intyg2", "--name", "Ivar Intyg (test)", "--roles", "intake_steward"); code != 0 {
		t.Fatalf("user add --roles intake_steward: %d %s %s", code, out, errOut)
	}
	if _, list, _ := finsam(t, nil, "user", "list", "--data", dir, "--org", "region-gotland"); !strings.Contains(list, "intake_steward") {
		t.Errorf("list of the region:\n%s", list)
	}
}

func TestTokenCreatePrintsTheTokenAlone(t *testing.T) {
	dir := t.TempDir()
	finsam(t, nil, "demo", "--data", dir)
	code, out, errOut := finsam(t, nil, "token", "create", "--data", dir, "--org", "region-gotland", "--scope", "certificates:write")
	if code != 0 {
		t.Fatalf("token create: %s", errOut)
	}
	tok := strings.TrimSuffix(out, "\n")
	if strings.Contains(tok, "\n") || !account.LooksLikeToken(tok) {
		t.Fatalf("stdout is not the token alone: %q", out)
	}
	// Only the hash is stored.
	db, _ := sql.Open("sqlite", filepath.Join(dir, "finsam.db"))
	defer db.Close()
	var hash string
	db.QueryRow("SELECT token_hash FROM api_tokens").Scan(&hash)
	if hash != account.HashSecret(tok) {
		t.Fatal("stored token is not the hash of the printed one")
	}
	for _, args := range [][]string{
		{"token", "create", "--data", dir, "--org", "region-gotland", "--scope", "everything"},
		{"token", "create", "--data", dir, "--org", "nope", "--scope", "certificates:write"},
	} {
		if code, _, _ := finsam(t, nil, args...); code != 1 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	if code, _, _ := finsam(t, nil, "token", "create", "--data", dir); code != 2 {
		t.Error("missing flags did not exit 2")
	}
	_, list, _ := finsam(t, nil, "token", "list", "--data", dir)
	if !strings.Contains(list, tok[:10]) || strings.Contains(list, tok) {
		t.Errorf("list must show the prefix only:\n%s", list)
	}
	if code, _, _ := finsam(t, nil, "token", "revoke", "--data", dir, "--id", "1"); code != 0 {
		t.Error("revoke failed")
	}
}

// TestAuditVerifyCatchesEveryEditedRow edits each audit row in turn, as
// someone with the sqlite3 shell could, and checks verify names it.
func TestAuditVerifyCatchesEveryEditedRow(t *testing.T) {
	dir := t.TempDir()
	finsam(t, nil, "demo", "--data", dir)
	for i := range 4 {
		finsam(t, nil, "token", "create", "--data", dir, "--org", "fk", "--scope", "certificates:read", "--name", strings.Repeat("t", i+1))
	}
	finsam(t, nil, "audit", "seal", "--data", dir)
	db, err := sql.Open("sqlite", filepath.Join(dir, "finsam.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var last int
	db.QueryRow("SELECT max(seq) FROM audit_log").Scan(&last)
	if code, out, _ := finsam(t, nil, "audit", "verify", "--data", dir); code != 0 || !strings.Contains(out, "signed up to entry "+strconv.Itoa(last)) {
		t.Fatalf("fresh log: %d %s", code, out)
	}
	// The first entries (demo certificates received), one in the middle and
	// the last four (tokens created), each edited alone.
	seqs := []int{1, 2, last / 2, last - 3, last - 2, last - 1, last}
	for _, column := range []string{"actor_name", "action", "purpose", "resource_id", "outcome"} {
		for _, seq := range seqs {
			var old string
			db.QueryRow("SELECT "+column+" FROM audit_log WHERE seq = ?", seq).Scan(&old)
			if _, err := db.Exec("UPDATE audit_log SET "+column+" = ? WHERE seq = ?", old+"!", seq); err != nil {
				t.Fatal(err)
			}
			code, _, errOut := finsam(t, nil, "audit", "verify", "--data", dir)
			want := "audit log entry " + strconv.Itoa(seq) + ":"
			if code != 1 || !strings.Contains(errOut, want) {
				t.Errorf("%s of entry %d edited: exit %d %q", column, seq, code, errOut)
			}
			db.Exec("UPDATE audit_log SET "+column+" = ? WHERE seq = ?", old, seq)
		}
	}
	if code, _, _ := finsam(t, nil, "audit", "verify", "--data", dir); code != 0 {
		t.Fatal("restored log does not verify")
	}
	// Without the secret the log cannot be verified, and verify says so.
	code, _, errOut := finsam(t, nil, "audit", "verify", "--data", dir, "--secret-file", filepath.Join(dir, "missing.key"))
	if code != 1 || !strings.Contains(errOut, "secret file") {
		t.Fatalf("missing key: %d %q", code, errOut)
	}
}
