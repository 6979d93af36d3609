package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

// loadDemo loads the whole demo as `finsam serve --demo` does, on the day
// now, and returns how long it took.
func loadDemo(t *testing.T, st *store.Store, now time.Time) (demo.CasesLoaded, time.Duration) {
	t.Helper()
	ctx := context.Background()
	keys := storetest.AuditKeys(t)
	start := time.Now()
	if loaded, err := demo.LoadIfEmpty(ctx, st, demo.DefaultSeed, "demo"); err != nil || !loaded {
		t.Fatalf("LoadIfEmpty: %v %v", loaded, err)
	}
	if _, err := demo.LoadCertificates(ctx, st, keys, demo.DefaultSeed); err != nil {
		t.Fatal(err)
	}
	got, err := demo.LoadCases(ctx, st, demo.DefaultSeed, now)
	if err != nil {
		t.Fatal(err)
	}
	return got, time.Since(start)
}

// TestDemoWorklistShowsEveryPhaseDeadlineAndWarning: the demo case
// worker's worklist holds every phase of the chain, every kind of
// deadline and every kind of early warning of today's rules, on the day
// the demo is loaded, with a handful of cases overdue; the time limit's
// deadline and warning are on the cases of its era, closed.
func TestDemoWorklistShowsEveryPhaseDeadlineAndWarning(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 30, 7, 45, 0, 0, time.UTC)
		got, took := loadDemo(t, st, now)
		t.Logf("demo loaded in %s: %d cases, %d open, evaluated on %s", took.Round(time.Millisecond), got.Cases, got.Open, got.Date)
		if got.Date.String() != "2026-11-30" || got.Cases < 3000 || got.Open < 300 {
			t.Errorf("loaded %+v", got)
		}
		worker, err := store.UserByName(ctx, st, "handlaggare")
		if err != nil {
			t.Fatal(err)
		}
		today := got.Date.Time()
		var rows []store.WorklistRow
		q := store.WorklistQuery{AssignedUserID: worker.ID, Limit: store.MaxWorklistPage, Today: today}
		for {
			page, next, err := store.Worklist(ctx, st, q)
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, page...)
			if next.IsZero() {
				break
			}
			q.After = next
		}
		if len(rows) < 130 || len(rows) > 180 {
			t.Errorf("the demo worker has %d open cases, want about 150", len(rows))
		}
		phases, warnings, deadlines := map[string]int{}, map[string]int{}, map[string]int{}
		protected, failed, overdue := 0, 0, 0
		for _, r := range rows {
			phases[r.Phase]++
			for _, w := range r.Warnings {
				warnings[w]++
			}
			if r.ProtectedIdentity {
				protected++
			}
			if r.EvalError != "" {
				failed++
				t.Errorf("case %d: %s", r.ID, r.EvalError)
			}
			if r.NextDue.Before(today) {
				overdue++
			}
			ds, err := store.CaseDeadlines(ctx, st, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				if !d.Done {
					deadlines[d.Kind]++
				}
			}
		}
		t.Logf("phases %v\nwarnings %v\nopen deadlines %v\n%d protected, %d overdue", phases, warnings, deadlines, protected, overdue)
		for _, p := range []string{rules.Phase1To90, rules.Phase91To180, rules.Phase181To365, rules.Phase366On} {
			if phases[p] == 0 {
				t.Errorf("no case in phase %s", p)
			}
		}
		// The time limit (bortre tidsgräns) was abolished on 2016-02-01: no
		// case of today can near it.
		for _, k := range casework.WarningKinds {
			if warnings[k] == 0 && k != casework.WarningTimeLimitNearing {
				t.Errorf("no %s warning", k)
			}
		}
		for _, k := range casework.DeadlineKinds {
			if deadlines[k] == 0 && k != casework.DeadlineTimeLimit {
				t.Errorf("no open %s deadline", k)
			}
		}
		if warnings[casework.WarningTimeLimitNearing] != 0 || deadlines[casework.DeadlineTimeLimit] != 0 {
			t.Errorf("a case of today nears the time limit: %d warnings, %d deadlines", warnings[casework.WarningTimeLimitNearing],
				deadlines[casework.DeadlineTimeLimit])
		}
		if protected == 0 || overdue == 0 || overdue*8 > len(rows) {
			t.Errorf("%d protected persons, %d of %d cases overdue (want a handful)", protected, overdue, len(rows))
		}
		assertOpenCasesCurrent(t, st, today)

		// The time limit's era: closed cases, each evaluated on a day before
		// its limit, the time limit's deadline and warning on them.
		var historic, nearing int
		if err := st.QueryRow(ctx, `SELECT COUNT(*) FROM sickness_cases c WHERE c.status = 'closed' AND c.eval_date < $1
			AND EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.kind = 'time_limit' AND d.done AND NOT d.auto)`,
			"2016-02-01").Scan(&historic); err != nil || historic < 3 {
			t.Errorf("%d closed cases of the time limit's era with its deadline closed by a case worker (%v)", historic, err)
		}
		if err := st.QueryRow(ctx, `SELECT COUNT(*) FROM case_warnings w JOIN sickness_cases c ON c.id = w.case_id
			WHERE c.status = 'closed' AND w.kind = 'time_limit_near'`).Scan(&nearing); err != nil || nearing == 0 {
			t.Errorf("%d time-limit warnings on the cases of its era (%v)", nearing, err)
		}

		// Deadlines a case worker closed, and another office's cases.
		var closedByPerson int
		if err := st.QueryRow(ctx, "SELECT COUNT(*) FROM case_deadlines WHERE done AND NOT auto AND closed_by IS NOT NULL").Scan(&closedByPerson); err != nil || closedByPerson < 50 {
			t.Errorf("%d deadlines closed by a case worker (%v)", closedByPerson, err)
		}
		roma, err := store.UserByName(ctx, st, "handlaggare-roma")
		if err != nil || roma.PasswordHash == "" || roma.PasswordHash != worker.PasswordHash || roma.OfficeID == worker.OfficeID {
			t.Fatalf("the case worker in Roma signs in with the demo password at another office: %+v %v", roma, err)
		}
		n, err := store.WorklistCount(ctx, st, store.WorklistQuery{OfficeID: roma.OfficeID})
		if err != nil || n < 20 {
			t.Errorf("Roma's office has %d open cases (%v)", n, err)
		}
		n, err = store.WorklistCount(ctx, st, store.WorklistQuery{AssignedUserID: roma.ID})
		if err != nil || n < 10 {
			t.Errorf("Roma's case worker has %d open cases (%v)", n, err)
		}
		run, ok, err := casework.LatestRun(ctx, st)
		if err != nil || !ok || run.FinishedAt.IsZero() || run.Failed != 0 {
			t.Errorf("the demo's recompute: %+v %v", run, err)
		}
	})
}

// assertOpenCasesCurrent checks that the demo's open cases are current
// work on today: each started within the last two years, and only a
// handful (under one in ten) has a deadline past due.
func assertOpenCasesCurrent(t *testing.T, st *store.Store, today time.Time) {
	t.Helper()
	ctx := context.Background()
	var open, old, overdue int
	err := st.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN first_day < $1 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN next_due < $2 THEN 1 ELSE 0 END), 0) FROM sickness_cases WHERE status = 'open'`,
		today.AddDate(-2, 0, 0).Format(time.DateOnly), today.Format(time.DateOnly)).Scan(&open, &old, &overdue)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d open cases, %d overdue", open, overdue)
	if old != 0 {
		t.Errorf("%d of %d open cases started more than two years before %s", old, open, today.Format(time.DateOnly))
	}
	if overdue == 0 || overdue*10 > open {
		t.Errorf("%d of %d open cases overdue, want a handful", overdue, open)
	}
}
