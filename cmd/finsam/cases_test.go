package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func TestCasesRecomputeAndStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		insertSickCases(t, st, now, "2026-06-01", 10, 0)
		target, db := handOver(t, st)
		args := func(a ...string) []string { return append(a, db...) }

		code, out, errOut := finsam(t, nil, args("cases", "status")...)
		if code != 0 || !strings.Contains(out, "no recompute has run yet") {
			t.Errorf("status before any run: %d %q %q", code, out, errOut)
		}
		profile := filepath.Join(t.TempDir(), "recompute.cpu")
		code, out, errOut = finsam(t, nil, args("cases", "recompute", "--date", "2026-11-30", "--batch", "3", "--cpuprofile", profile)...)
		if code != 0 || !regexp.MustCompile(`^recomputed 7 cases for 2026-11-30 in [0-9.]+s \([0-9]+/s\), 0 failed, 0 provisional\n$`).MatchString(out) {
			t.Fatalf("recompute: %d %q %q", code, out, errOut)
		}
		if b, err := os.ReadFile(profile); err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			t.Errorf("--cpuprofile wrote no gzipped profile: %v, %d bytes", err, len(b))
		}
		if errOut != "" {
			t.Errorf("progress outside a terminal: %q", errOut)
		}
		code, out, _ = finsam(t, nil, args("cases", "status")...)
		if code != 0 || !strings.Contains(out, "for 2026-11-30 (command)") || !strings.Contains(out, "7 cases, 0 failed") || !strings.Contains(out, "finished") {
			t.Errorf("status: %d %q", code, out)
		}

		// Past the rules' parameters every case fails, and the run still
		// finishes.
		code, out, errOut = finsam(t, nil, args("cases", "recompute", "--date", "2100-01-01")...)
		if code != 0 || !strings.Contains(out, "recomputed 7 cases for 2100-01-01") || !strings.Contains(out, ", 7 failed") {
			t.Errorf("recompute out of range: %d %q %q", code, out, errOut)
		}

		// An interrupted run is resumed where it stopped.
		st2 := reopen(t, target)
		err := st2.Tx(ctx, func(tx *store.Tx) error {
			run, err := store.StartRecomputeRun(ctx, tx, day("2026-12-01"), "nightly", now)
			if err != nil {
				return err
			}
			batch, err := store.OpenCaseBatch(ctx, tx, 0, 4)
			if err != nil {
				return err
			}
			return store.ProgressRecomputeRun(ctx, tx, run.ID, batch[3].ID, 4, 0, 0)
		})
		st2.Close()
		if err != nil {
			t.Fatal(err)
		}
		code, out, errOut = finsam(t, nil, args("cases", "recompute", "--date", "2026-12-01")...)
		if code != 0 || !strings.Contains(out, "recomputed 3 cases for 2026-12-01") || !strings.Contains(out, "7 cases in all") {
			t.Errorf("resumed: %d %q %q", code, out, errOut)
		}

		for _, bad := range [][]string{{"cases", "recompute", "--date", "30/11/2026"}, {"cases", "recompute", "--batch", "0"}, {"cases", "recount"}} {
			if code, _, _ := finsam(t, nil, args(bad...)...); code != 2 {
				t.Errorf("%v: exit %d, want 2", bad, code)
			}
		}
	})
}

func TestNightlyRecomputeTime(t *testing.T) {
	for _, s := range []string{"24:00", "2:30", "02:60", "0230", "noon", ""} {
		if _, _, _, err := parseDailyAt(s); err == nil {
			t.Errorf("--recompute-at %q accepted", s)
		}
	}
	if code, _, errOut := finsam(t, nil, "serve", "--recompute-at", "25:00", "--addr", "127.0.0.1:0"); code != 2 || !strings.Contains(errOut, "HH:MM") {
		t.Errorf("serve --recompute-at 25:00: %d %q", code, errOut)
	}
	if _, _, on, err := parseDailyAt("off"); on || err != nil {
		t.Errorf("off: %v %v", on, err)
	}
	h, m, on, err := parseDailyAt("02:30")
	if !on || err != nil || h != 2 || m != 30 {
		t.Fatalf("02:30: %d %d %v %v", h, m, on, err)
	}
	tests := []struct {
		now  string
		want []string
	}{
		{"2026-11-30T00:00:00Z", []string{"2026-11-30T02:30:00+01:00"}}, // 01:00 in Sweden: today
		{"2026-11-30T01:30:00Z", []string{"2026-12-01T02:30:00+01:00"}}, // 02:30 in Sweden: tomorrow
		// 02:30 does not exist on the night summer time starts.
		{"2026-03-28T12:00:00Z", []string{"2026-03-29T03:30:00+02:00"}},
		// The autumn night has it twice: either will do, once.
		{"2026-10-24T12:00:00Z", []string{"2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00"}},
	}
	for _, tc := range tests {
		now, _ := time.Parse(time.RFC3339, tc.now)
		got := nextDaily(now, h, m).Format(time.RFC3339)
		if !slices.Contains(tc.want, got) {
			t.Errorf("after %s: %s, want %s", tc.now, got, strings.Join(tc.want, " or "))
		}
	}
	for _, tc := range []struct {
		now  string
		want bool
	}{{"2026-11-30T01:29:00Z", false}, {"2026-11-30T01:30:00Z", true}, {"2026-11-30T22:59:00Z", true}, {"2026-11-30T23:10:00Z", false}} {
		now, _ := time.Parse(time.RFC3339, tc.now)
		if day, passed := passedToday(now, h, m); passed != tc.want || day != swedishToday(now) {
			t.Errorf("at %s: passed %v on %s", tc.now, passed, day)
		}
	}
	// A day has passed after every run, across both changes of time.
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for range 300 {
		next := nextDaily(at, h, m)
		if d := next.Sub(at); d <= 0 || d > 25*time.Hour {
			t.Fatalf("after %s the next run is %s", at, next)
		}
		at = next
	}
}
