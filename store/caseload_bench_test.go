package store_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/finsam/finsam/caseload"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// TestCaseloadSpeed measures the customer-group dashboard beside the plain
// worklist query of the same group, in the same run, over generated open
// cases: FINSAM_BENCH_CASES=200000 go test -run CaseloadSpeed -v ./store
// (with FINSAM_TEST_POSTGRES for PostgreSQL too). The dashboard reads every
// case of the group a few times (grouped passes); the worklist reads a
// page by index and counts the group.
func TestCaseloadSpeed(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("FINSAM_BENCH_CASES"))
	if n <= 0 {
		t.Skip("set FINSAM_BENCH_CASES to the number of open cases to generate, e.g. 200000")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
		if _, err := demo.LoadIfEmpty(ctx, st, demo.DefaultSeed, "demo"); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := demo.GenerateCases(ctx, st, n, 1, today); err != nil {
			t.Fatal(err)
		}
		t.Logf("generated %d open cases in %s", n, time.Since(start).Round(time.Millisecond))
		fk, err := store.OrganisationBySlug(ctx, st, "fk")
		if err != nil {
			t.Fatal(err)
		}
		groups, err := store.CustomerGroups(ctx, st, fk.ID)
		if err != nil || len(groups) == 0 {
			t.Fatal("no customer groups", err)
		}
		group := groups[0].ID
		scope := store.CaseloadScope{CustomerGroupID: group, From: today.AddDate(0, 0, -7*26+1), To: today, Today: today}
		measure := func(name string, f func(tx *store.Tx) error) time.Duration {
			best := time.Duration(1 << 62)
			for range 3 {
				start := time.Now()
				if err := st.ReadTx(ctx, f); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				best = min(best, time.Since(start))
			}
			return best
		}
		var open, listed int
		dash := measure("dashboard", func(tx *store.Tx) error {
			sum, err := store.CaseloadSummaryOf(ctx, tx, scope)
			open = 0
			for _, p := range sum.Places {
				open += p.Open
			}
			return err
		})
		list := measure("worklist", func(tx *store.Tx) error {
			rows, _, err := store.Worklist(ctx, tx, store.WorklistQuery{CustomerGroupID: group, Limit: 50})
			if err != nil {
				return err
			}
			listed, err = store.WorklistCount(ctx, tx, store.WorklistQuery{CustomerGroupID: group})
			_ = rows
			return err
		})
		figure := measure("figure list", func(tx *store.Tx) error {
			_, _, err := store.CaseloadList(ctx, tx, scope, caseload.Figure{Kind: caseload.Open}, 0, 100)
			return err
		})
		if open != listed {
			t.Errorf("the dashboard counts %d open cases in the group, the worklist %d", open, listed)
		}
		t.Logf("%s, %d open cases in the group: dashboard %s, worklist page and count %s, a figure's list page %s (best of 3)",
			st.Dialect(), open, dash.Round(time.Millisecond), list.Round(time.Millisecond), figure.Round(time.Millisecond))
	})
}
