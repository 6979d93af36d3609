package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// handOver closes st, which the test has filled, so that the command line
// under test can open it, and returns the flags that name it to finsam: its
// data folder, or for PostgreSQL its URL and a data folder of the test's
// own, where finsam.key and the audit anchor live (never the source
// tree's).
func handOver(t *testing.T, st *store.Store) (store.Target, []string) {
	t.Helper()
	target := st.Target()
	st.Close()
	if target.Dialect == store.Postgres {
		return target, []string{"--database", target.URL, "--data", t.TempDir()}
	}
	return target, []string{"--data", filepath.Dir(target.Path)}
}

// reopen opens the database handOver handed to the command line again, for
// the test to look at what it left; it is closed when the test ends.
func reopen(t *testing.T, target store.Target) *store.Store {
	t.Helper()
	cfg := store.Config{DataDir: filepath.Dir(target.Path)}
	if target.Dialect == store.Postgres {
		cfg = store.Config{DatabaseURL: target.URL}
	}
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// day is a date of the tests' calendar.
func day(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }

// insertSickCases adds seven persons, each with a case at 100% from first
// (the next one step days later) to the end of 2026, and income (öre a
// year; 0 for none known).
func insertSickCases(t *testing.T, st *store.Store, now time.Time, first string, step int, income int64) {
	t.Helper()
	ctx := context.Background()
	storetest.Write(t, st, func(tx *store.Tx) error {
		var ps []store.Person
		for i := range 7 {
			ps = append(ps, store.Person{Personnummer: fmt.Sprintf("19700101%04d", i), Name: "Test Testsson"})
		}
		ids, err := store.InsertPersons(ctx, tx, ps, now)
		if err != nil {
			return err
		}
		var cs []store.NewCase
		for i, id := range ids {
			from := day(first).AddDate(0, 0, step*i)
			cs = append(cs, store.NewCase{PersonID: id, FirstDay: from, LastDay: day("2026-12-31"), AnnualIncomeOre: income,
				Periods: []store.Period{{From: from, To: day("2026-12-31"), Degree: 100}}})
		}
		_, err = store.InsertCases(ctx, tx, cs, now)
		return err
	})
}
