package audit

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func testKeys(t *testing.T, secret string) *Keys {
	t.Helper()
	k, err := NewKeys([]byte(secret + strings.Repeat(".", 32)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// chain makes n chained entries and a checkpoint of every tenth.
func chain(k *Keys, n int64) ([]Entry, []Checkpoint) {
	var entries []Entry
	var cps []Checkpoint
	prev := GenesisHash
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for seq := int64(1); seq <= n; seq++ {
		e := Entry{Seq: seq, Event: Event{At: at.Add(time.Duration(seq) * time.Second), ActorName: "u", Action: "read_person", Outcome: OutcomeOK}, PrevHash: prev}
		e.Hash = ComputeHash(prev, seq, &e.Event)
		entries = append(entries, e)
		if seq%10 == 0 {
			cps = append(cps, k.Sign(seq, e.Hash, e.At))
		}
		prev = e.Hash
	}
	return entries, cps
}

func verify(key PublicKey, entries []Entry, cps []Checkpoint, anchors ...*AnchorLog) (Result, error) {
	v, err := NewVerifier(key, cps)
	if err != nil {
		return Result{}, err
	}
	for _, a := range anchors {
		if err := v.Anchor(a); err != nil {
			return Result{}, err
		}
	}
	for i := range entries {
		if err := v.Entry(&entries[i]); err != nil {
			return Result{}, err
		}
	}
	return v.Finish()
}

func TestVerifierComparesTheAnchor(t *testing.T) {
	k := testKeys(t, "installation")
	entries, cps := chain(k, 45) // checkpoints of 10, 20, 30 and 40
	anchor := func(cps ...Checkpoint) *AnchorLog { return &AnchorLog{Name: "anchor.log", Checkpoints: cps} }
	rewritten := append([]Entry(nil), entries[:25]...)
	prev := rewritten[24].Hash
	for seq := int64(26); seq <= 45; seq++ { // the tail rebuilt with other events
		e := Entry{Seq: seq, Event: Event{At: entries[seq-1].At, ActorName: "someone else"}, PrevHash: prev}
		e.Hash = ComputeHash(prev, seq, &e.Event)
		rewritten, prev = append(rewritten, e), e.Hash
	}
	var rewrittenCps []Checkpoint
	for _, e := range rewritten {
		if e.Seq%10 == 0 {
			rewrittenCps = append(rewrittenCps, k.Sign(e.Seq, e.Hash, e.At))
		}
	}
	other := testKeys(t, "another installation")

	tests := []struct {
		name         string
		entries      []Entry
		cps          []Checkpoint
		anchors      []*AnchorLog
		wantSeq      int64  // a TamperError at this entry
		wantAnchor   string // an AnchorError containing this
		wantAnchored int64
	}{
		{name: "anchor up to date", entries: entries, cps: cps, anchors: []*AnchorLog{anchor(cps...)}, wantAnchored: 40},
		{name: "anchor behind after a crash", entries: entries, cps: cps, anchors: []*AnchorLog{anchor(cps[:2]...)}, wantAnchored: 20},
		{name: "anchor holding only the newest", entries: entries, cps: cps, anchors: []*AnchorLog{anchor(cps[3])}, wantAnchored: 40},
		{name: "two anchors, each with a part", entries: entries, cps: cps, anchors: []*AnchorLog{anchor(cps[0], cps[2]), anchor(cps[1], cps[3])}, wantAnchored: 40},
		{name: "fresh installation without an anchor file", entries: entries[:9], anchors: []*AnchorLog{{Name: "anchor.log", Missing: true}}},
		{name: "tail and its checkpoints removed", entries: entries[:25], cps: cps[:2], anchors: []*AnchorLog{anchor(cps...)}, wantSeq: 26},
		{name: "tail rewound and rewritten", entries: rewritten, cps: rewrittenCps, anchors: []*AnchorLog{anchor(cps...)}, wantSeq: 30},
		{name: "checkpoint row removed", entries: entries, cps: []Checkpoint{cps[0], cps[1], cps[3]}, anchors: []*AnchorLog{anchor(cps...)}, wantSeq: 30},
		{name: "anchor file missing", entries: entries, cps: cps, anchors: []*AnchorLog{{Name: "anchor.log", Missing: true}}, wantAnchor: "is missing"},
		{name: "anchor record edited", entries: entries, cps: cps, anchors: []*AnchorLog{anchor(Checkpoint{Seq: 40, Hash: cps[2].Hash, At: cps[3].At, KeyID: cps[3].KeyID, Signature: cps[3].Signature})}, wantAnchor: "not valid"},
		{name: "another installation's records skipped", entries: entries, cps: cps, anchors: []*AnchorLog{anchor(append([]Checkpoint{other.Sign(50, "x", time.Now())}, cps...)...)}, wantAnchored: 40},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := verify(k.PublicKey(), tc.entries, tc.cps, tc.anchors...)
			var te *TamperError
			var ae *AnchorError
			switch {
			case tc.wantSeq != 0:
				if !errors.As(err, &te) || te.Seq != tc.wantSeq {
					t.Fatalf("err = %v, want tampering at entry %d", err, tc.wantSeq)
				}
			case tc.wantAnchor != "":
				if !errors.As(err, &ae) || !strings.Contains(err.Error(), tc.wantAnchor) {
					t.Fatalf("err = %v, want an anchor error %q", err, tc.wantAnchor)
				}
			case err != nil:
				t.Fatal(err)
			case res.Anchored != tc.wantAnchored:
				t.Fatalf("anchored up to %d, want %d", res.Anchored, tc.wantAnchored)
			}
		})
	}
}

func TestPublicKeyVerifiesWithoutTheSecret(t *testing.T) {
	k := testKeys(t, "installation")
	pub, err := ParsePublicKey(k.PublicKey().String())
	if err != nil {
		t.Fatal(err)
	}
	entries, cps := chain(k, 30)
	if res, err := verify(pub, entries, cps, &AnchorLog{Checkpoints: cps}); err != nil || res.Sealed != 30 || res.Anchored != 30 {
		t.Fatalf("%+v %v", res, err)
	}
	for _, bad := range []string{"", "ed25519:", "ed25519:AAAA", k.PublicKey().KeyID()} {
		if _, err := ParsePublicKey(bad); err == nil {
			t.Errorf("ParsePublicKey(%q) accepted", bad)
		}
	}
}

func TestFileAnchorSurvivesATornLastLine(t *testing.T) {
	ctx := context.Background()
	k := testKeys(t, "installation")
	_, cps := chain(k, 40)
	path := filepath.Join(t.TempDir(), "anchors", "audit-anchor.log")

	a, created, err := OpenFileAnchor(path)
	if err != nil || !created {
		t.Fatalf("open: %v, created %v", err, created)
	}
	if err := a.Append(ctx, cps[0], cps[1]); err != nil {
		t.Fatal(err)
	}
	a.Close()
	// A crash in the middle of the next append leaves half a record.
	line := AnchorLine(cps[2])
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(line[:len(line)/2])
	f.Close()

	got, err := ReadAnchorFile(path)
	if err != nil || got.Torn != 1 || len(got.Checkpoints) != 2 {
		t.Fatalf("after the crash: %+v %v, want 2 checkpoints and 1 torn line", got, err)
	}
	// The next writer ends the torn line before it appends.
	a, created, err = OpenFileAnchor(path)
	if err != nil || created {
		t.Fatalf("reopen: %v, created %v", err, created)
	}
	if err := a.Append(ctx, cps[3]); err != nil {
		t.Fatal(err)
	}
	a.Close()
	got, err = ReadAnchorFile(path)
	if err != nil || got.Torn != 1 || len(got.Checkpoints) != 3 || got.Checkpoints[2] != cps[3] {
		t.Fatalf("after the restart: %+v %v, want checkpoints 10, 20, 40 and 1 torn line", got, err)
	}
}

func TestReadAnchorFile(t *testing.T) {
	k := testKeys(t, "installation")
	_, cps := chain(k, 20)
	dir := t.TempDir()
	t.Run("missing", func(t *testing.T) {
		got, err := ReadAnchorFile(filepath.Join(dir, "none.log"))
		if err != nil || !got.Missing {
			t.Fatalf("%+v %v, want Missing", got, err)
		}
	})
	t.Run("syslog export", func(t *testing.T) {
		p := filepath.Join(dir, "syslog")
		text := "Dec  1 09:00:00 host sshd[1]: Accepted publickey\n" +
			"Dec  1 09:00:01 host finsam-audit[42]: " + AnchorLine(cps[0]) + "\n" +
			"2026-12-01T09:00:02+01:00 host2 finsam-audit[7]: " + AnchorLine(cps[1]) + "\n"
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := ReadAnchorFile(p)
		if err != nil || got.Torn != 0 || len(got.Checkpoints) != 2 || got.Checkpoints[0] != cps[0] || got.Checkpoints[1] != cps[1] {
			t.Fatalf("%+v %v", got, err)
		}
	})
	t.Run("newer format", func(t *testing.T) {
		p := filepath.Join(dir, "newer")
		line := strings.Replace(AnchorLine(cps[0]), `"finsam_audit_anchor":1`, `"finsam_audit_anchor":2`, 1)
		if err := os.WriteFile(p, []byte(line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadAnchorFile(p); err == nil || !strings.Contains(err.Error(), "newer") {
			t.Fatalf("err = %v, want a newer format refused", err)
		}
	})
}
