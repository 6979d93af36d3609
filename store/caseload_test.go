package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/finsam/finsam/caseload"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// caseloadDemo loads the demo's organisations, certificates and cases
// laid out around now.
func caseloadDemo(t *testing.T, st *store.Store, now time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.LoadIfEmpty(ctx, st, demo.DefaultSeed, "demo"); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadCertificates(ctx, st, storetest.AuditKeys(t), demo.DefaultSeed); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadCases(ctx, st, demo.DefaultSeed, now); err != nil {
		t.Fatal(err)
	}
}

// countList counts the rows of a figure's list, page by page, and checks
// that CaseloadIDs streams the same cases in the same order.
func countList(t *testing.T, st *store.Store, s store.CaseloadScope, f caseload.Figure) int {
	t.Helper()
	var paged, streamed []int64
	if err := st.ReadTx(context.Background(), func(tx *store.Tx) error {
		return store.CaseloadIDs(context.Background(), tx, s, f, func(id int64) error {
			streamed = append(streamed, id)
			return nil
		})
	}); err != nil {
		t.Fatalf("ids %+v: %v", f, err)
	}
	defer func() {
		if !slices.Equal(paged, streamed) {
			t.Errorf("%+v: the list pages %d cases, CaseloadIDs streams %d others or in another order", f, len(paged), len(streamed))
		}
	}()
	n := 0
	var after int64
	for {
		var rows []store.CaseloadRow
		err := st.ReadTx(context.Background(), func(tx *store.Tx) error {
			var err error
			rows, after, err = store.CaseloadList(context.Background(), tx, s, f, after, 97)
			return err
		})
		if err != nil {
			t.Fatalf("list %+v: %v", f, err)
		}
		n += len(rows)
		for _, r := range rows {
			paged = append(paged, r.ID)
		}
		if after == 0 {
			return n
		}
	}
}

func TestCaseloadFiguresEqualTheirListsAndCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		caseloadDemo(t, st, now)
		ctx := context.Background()
		today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
		s := store.CaseloadScope{From: time.Date(2025, 11, 24, 0, 0, 0, 0, time.UTC), To: today, Today: today}
		var sum store.CaseloadSummary
		if err := st.ReadTx(ctx, func(tx *store.Tx) error {
			var err error
			sum, err = store.CaseloadSummaryOf(ctx, tx, s)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		count := func(f caseload.Figure) int {
			var n int
			if err := st.ReadTx(ctx, func(tx *store.Tx) error {
				var err error
				n, err = store.CaseloadCount(ctx, tx, s, f)
				return err
			}); err != nil {
				t.Fatalf("count %+v: %v", f, err)
			}
			return n
		}
		check := func(name string, f caseload.Figure, want int) {
			t.Helper()
			if got := count(f); got != want {
				t.Errorf("%s: count %d, summary %d", name, got, want)
			}
			if got := countList(t, st, s, f); got != want {
				t.Errorf("%s: list has %d rows, summary %d", name, got, want)
			}
		}
		var open, overdue, warnings int
		past := make([]int, len(caseload.PastDays))
		phases := map[string]int{}
		for _, p := range sum.Places {
			open += p.Open
			overdue += p.Overdue
			warnings += p.Warnings
			phases[p.Phase] += p.Open
			for i, n := range p.Past {
				past[i] += n
			}
		}
		if open < 100 {
			t.Fatalf("only %d open cases in the demo", open)
		}
		check("open", caseload.Figure{Kind: caseload.Open}, open)
		check("overdue", caseload.Figure{Kind: caseload.Overdue}, overdue)
		check("warnings", caseload.Figure{Kind: caseload.Warnings}, warnings)
		for ph, n := range phases {
			check("phase "+ph, caseload.Figure{Kind: caseload.Phase, Phase: ph}, n)
		}
		for i, d := range caseload.PastDays {
			check("past", caseload.Figure{Kind: caseload.Past, Day: d}, past[i])
		}
		started, ended := 0, 0
		for _, n := range sum.Flow.StartedBefore {
			started += n
		}
		for _, n := range sum.Flow.EndedBefore {
			ended += n
		}
		for _, d := range sum.Flow.Started {
			started += d.Count
		}
		for _, d := range sum.Flow.Closed {
			if d.Day.Before(today) {
				ended += d.Count
			}
		}
		check("ongoing today", caseload.Figure{Kind: caseload.Ongoing, On: "2026-11-23"}, started-ended)
		inflow := 0
		for _, d := range sum.Flow.Started {
			inflow += d.Count
		}
		check("inflow", caseload.Figure{Kind: caseload.Inflow, From: "2025-11-24", To: "2026-11-23"}, inflow)
		byChapter := map[string]int{}
		bySex := map[string]int{}
		endedN := 0
		for _, e := range sum.Durations {
			byChapter[e.Chapter] += e.Count
			bySex[e.Sex] += e.Count
			endedN += e.Count
		}
		if endedN == 0 || len(byChapter) < 2 || len(bySex) != 2 {
			t.Fatalf("durations: %d cases, chapters %v, sexes %v", endedN, byChapter, bySex)
		}
		check("ended", caseload.Figure{Kind: caseload.Ended}, endedN)
		for ch, n := range byChapter {
			check("ended chapter "+ch, caseload.Figure{Kind: caseload.Ended, Chapter: ch}, n)
		}
		for sx, n := range bySex {
			check("ended sex "+sx, caseload.Figure{Kind: caseload.Ended, Sex: sx}, n)
		}
		for _, d := range sum.Deadlines {
			check("deadline "+d.Kind, caseload.Figure{Kind: caseload.Deadline, Deadline: d.Kind}, d.Cases)
			check("deadline met "+d.Kind, caseload.Figure{Kind: caseload.Deadline, Deadline: d.Kind, Met: true}, d.Met)
		}
		check("supplement", caseload.Figure{Kind: caseload.Supplement}, sum.SupplementCases)
		t.Logf("open %d overdue %d warnings %d past %v ended %d chapters %v deadlines %+v supplements %d/%d",
			open, overdue, warnings, past, endedN, byChapter, sum.Deadlines, sum.SupplementCases, sum.SupplementRequests)
	})
}
