package main

import (
	"context"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func TestGenerateFillsAnEmptyDatabaseOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		target, db := handOver(t, st)
		args := append([]string{"generate", "--persons", "300", "--open-cases", "100", "--certificates", "400",
			"--associations", "2", "--today", "2026-11-30"}, db...)
		code, out, errOut := finsam(t, nil, args...)
		if code != 0 || !strings.Contains(out, "generated 300 persons") || !strings.Contains(out, "recomputed 100 open cases for 2026-11-30") ||
			!strings.Contains(out, "recomputed 100 open cases again") {
			t.Fatalf("generate: %d %q %q", code, out, errOut)
		}
		if !strings.Contains(errOut, "persons: 100%") || strings.Contains(errOut, "\r") {
			t.Errorf("progress outside a terminal: %q", errOut)
		}
		code, _, errOut = finsam(t, nil, args...)
		if code != 1 || !strings.Contains(errOut, "already holds data") {
			t.Errorf("a second run: %d %q", code, errOut)
		}
		// The case workers kept up: a handful of open cases is overdue.
		st2 := reopen(t, target)
		var overdue int
		err := st2.QueryRow(context.Background(), "SELECT COUNT(*) FROM sickness_cases WHERE status = 'open' AND next_due < $1", "2026-11-30").Scan(&overdue)
		if err != nil || overdue == 0 || overdue > 15 {
			t.Errorf("%d of 100 open cases overdue (%v), want a handful", overdue, err)
		}
	})
}
