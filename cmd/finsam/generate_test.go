package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func TestGenerateFillsAnEmptyDatabaseOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		target := st.Target()
		st.Close()
		db := []string{"--data", filepath.Dir(target.Path)}
		if target.Dialect == store.Postgres {
			db = []string{"--database", target.URL, "--data", t.TempDir()}
		}
		args := append([]string{"generate", "--persons", "300", "--open-cases", "100", "--certificates", "400",
			"--associations", "2", "--today", "2026-11-30"}, db...)
		code, out, errOut := finsam(t, nil, args...)
		if code != 0 || !strings.Contains(out, "generated 300 persons") || !strings.Contains(out, "recomputed 100 open cases for 2026-11-30") {
			t.Fatalf("generate: %d %q %q", code, out, errOut)
		}
		if !strings.Contains(errOut, "persons: 100%") || strings.Contains(errOut, "\r") {
			t.Errorf("progress outside a terminal: %q", errOut)
		}
		code, _, errOut = finsam(t, nil, args...)
		if code != 1 || !strings.Contains(errOut, "already holds data") {
			t.Errorf("a second run: %d %q", code, errOut)
		}
	})
}
