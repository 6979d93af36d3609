package casework_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

var testNow = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

func day(s string) time.Time { return civil.MustParse(s).Time() }

type fixture struct {
	st     *store.Store
	fk     int64
	office int64
	worker int64
	rc     *casework.Recomputer
}

func setup(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	engine, err := rules.New()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st}
	storetest.Write(t, st, func(tx *store.Tx) error {
		fk, err := store.CreateOrganisation(ctx, tx, organisation.Organisation{Slug: "fk", Name: "Försäkringskassan", Type: organisation.FK})
		if err != nil {
			return err
		}
		f.fk = fk.ID
		if f.office, err = store.CreateOffice(ctx, tx, store.Office{OrgID: fk.ID, Slug: "visby", Name: "Visby", Kind: store.OfficeLocal}); err != nil {
			return err
		}
		f.worker, err = store.CreateUser(ctx, tx, store.User{Username: "h", Name: "Hanna Handläggare", OrgID: fk.ID, OfficeID: f.office,
			Roles: account.RolesOf(account.CaseWorker)})
		return err
	})
	f.rc = &casework.Recomputer{Store: st, Engine: engine, Now: func() time.Time { return testNow }}
	return f
}

// addCases stores one person and one open case per period list.
func (f *fixture) addCases(t *testing.T, periods ...[]store.Period) []int64 {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	err := f.st.Tx(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM persons").Scan(&n); err != nil {
			return err
		}
		ps := make([]store.Person, len(periods))
		for i := range ps {
			ps[i] = store.Person{Personnummer: fmt.Sprintf("19700101%04d", n+i), Name: "Test Testsson"}
		}
		pids, err := store.InsertPersons(ctx, tx, ps, testNow)
		if err != nil {
			return err
		}
		cs := make([]store.NewCase, len(periods))
		for i, p := range periods {
			cs[i] = store.NewCase{PersonID: pids[i], FirstDay: p[0].From, LastDay: p[len(p)-1].To, OfficeID: f.office,
				AssignedUserID: f.worker, AnnualIncomeOre: 40000000, Periods: p}
		}
		ids, err = store.InsertCases(ctx, tx, cs, testNow)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func period(from, to string, degree int) []store.Period {
	return []store.Period{{From: day(from), To: day(to), Degree: degree}}
}

func deadlines(t *testing.T, st *store.Store, caseID int64) map[string]store.CaseDeadline {
	t.Helper()
	ds, err := store.CaseDeadlines(context.Background(), st, caseID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.CaseDeadline{}
	for _, d := range ds {
		out[d.Kind+"/"+d.Key] = d
	}
	return out
}

func TestRunResumesAfterCancelAndDoesEveryCaseOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := context.Background()
		var ps [][]store.Period
		for i := range 23 {
			ps = append(ps, period(fmt.Sprintf("2026-%02d-01", 1+i%10), "2026-12-31", 100))
		}
		f.addCases(t, ps...)
		date := civil.MustParse("2026-11-30")

		cctx, cancel := context.WithCancel(ctx)
		var seen []casework.Progress
		f.rc.BatchSize = 5
		f.rc.Progress = func(p casework.Progress) {
			seen = append(seen, p)
			cancel() // stop after the first batch
		}
		run, err := f.rc.Run(cctx, date, "command")
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled run: %v", err)
		}
		if len(seen) != 1 || seen[0].Done != 5 || seen[0].Total != 23 {
			t.Fatalf("progress of the cancelled run: %+v", seen)
		}
		stored, err := store.UnfinishedRecomputeRun(ctx, st, date.Time())
		if err != nil || stored.ID != run.ID || stored.Processed != 5 || !stored.FinishedAt.IsZero() {
			t.Fatalf("the cancelled run as stored: %+v %v", stored, err)
		}

		seen = nil
		f.rc.Progress = func(p casework.Progress) { seen = append(seen, p) }
		again, err := f.rc.Run(ctx, date, "command")
		if err != nil {
			t.Fatal(err)
		}
		if again.ID != run.ID || again.Processed != 23 || again.Failed != 0 || again.FinishedAt.IsZero() {
			t.Errorf("resumed run: %+v", again)
		}
		if len(seen) != 4 || seen[0].Done != 10 || seen[len(seen)-1].Done != 23 || seen[len(seen)-1].Total != 23 {
			t.Errorf("progress of the resumed run: %+v", seen)
		}
		var n int
		if err := st.QueryRow(ctx, "SELECT COUNT(*) FROM sickness_cases WHERE eval_date IS NULL OR recomputed_at IS NULL").Scan(&n); err != nil || n != 0 {
			t.Errorf("%d cases not recomputed (%v)", n, err)
		}
		latest, ok, err := casework.LatestRun(ctx, st)
		if err != nil || !ok || latest.ID != run.ID || latest.Processed != 23 {
			t.Errorf("latest run %+v %v %v", latest, ok, err)
		}

		// A finished run is not resumed: the same date again is a new run.
		third, err := f.rc.Run(ctx, date, "command")
		if err != nil || third.ID == run.ID || third.Processed != 23 {
			t.Errorf("a new run for the same date: %+v %v", third, err)
		}
	})
}

func TestAFailedCaseIsMarkedAndTheRunGoesOn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := context.Background()
		// A period before the first day the rules know the counting rules
		// of cannot be evaluated.
		tooOld := append(period("1990-01-01", "1990-01-31", 100), period("2026-10-01", "2026-12-31", 50)...)
		ids := f.addCases(t, period("2026-09-01", "2026-12-31", 100), tooOld, period("2026-10-01", "2026-12-31", 50))
		f.rc.BatchSize = 2
		run, err := f.rc.Run(ctx, civil.MustParse("2026-11-30"), "command")
		if err != nil {
			t.Fatal(err)
		}
		if run.Processed != 3 || run.Failed != 1 || run.FinishedAt.IsZero() {
			t.Errorf("run %+v", run)
		}
		for i, id := range ids {
			c, err := store.CaseByID(ctx, st, id)
			if err != nil {
				t.Fatal(err)
			}
			want := ""
			if i == 1 {
				want = rules.CodeDateOutOfRange
			}
			if c.EvalError != want || !c.EvalDate.Equal(day("2026-11-30")) {
				t.Errorf("case %d: eval error %q on %v, want %q", i, c.EvalError, c.EvalDate, want)
			}
			if want == "" && (!c.Sick || c.ChainDay == 0) {
				t.Errorf("case %d not evaluated: %+v", i, c.CaseState)
			}
		}

		// A date outside the rules' parameters fails every case, and the
		// cases keep their deadlines.
		before := deadlines(t, st, ids[0])
		_, last := f.rc.Engine.DateRange()
		run, err = f.rc.Run(ctx, last.AddDays(1), "command")
		if err != nil || run.Failed != 3 {
			t.Fatalf("run past the parameters: %+v %v", run, err)
		}
		c, _ := store.CaseByID(ctx, st, ids[0])
		if c.EvalError != rules.CodeDateOutOfRange {
			t.Errorf("eval error %q", c.EvalError)
		}
		after := deadlines(t, st, ids[0])
		if len(before) == 0 || fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("deadlines changed by a failed evaluation:\n%v\n%v", before, after)
		}
	})
}

func TestRecomputeKeepsClosedDeadlinesClosesVanishedOnesAndDropsWarnings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := context.Background()
		// Day 91 of a case from 2026-06-01 is 2026-08-30: it is on chain
		// day 183 on 2026-11-30, with no contact ever.
		id := f.addCases(t, period("2026-06-01", "2026-12-15", 100))[0]
		if _, err := f.rc.Run(ctx, civil.MustParse("2026-11-30"), "command"); err != nil {
			t.Fatal(err)
		}
		ds := deadlines(t, st, id)
		end, ok := ds[casework.DeadlineCertificateEnd+"/2026-12-15"]
		if !ok || end.Done {
			t.Fatalf("no open certificate-end deadline: %+v", ds)
		}
		ws, _ := store.CaseWarnings(ctx, st, id)
		if !hasWarning(ws, casework.WarningNoContact) {
			t.Fatalf("no no-contact warning: %+v", ws)
		}
		var open store.CaseDeadline
		for _, d := range ds {
			if !d.Done && d.Kind != casework.DeadlineCertificateEnd {
				open = d
			}
		}
		if open.ID == 0 {
			t.Fatalf("no open deadline besides the certificate end: %+v", ds)
		}

		// A person closes a deadline and records a contact; a new period
		// continues the sick leave.
		c, _ := store.CaseByID(ctx, st, id)
		storetest.Write(t, st, func(tx *store.Tx) error {
			if err := store.CloseDeadline(ctx, tx, id, c.Version, open.ID, f.worker, "Klart", testNow); err != nil {
				return err
			}
			if _, err := store.AddCaseNote(ctx, tx, id, c.Version+1, store.CaseNote{Kind: store.NoteContact, ContactOn: day("2026-11-30"),
				Channel: "phone", Body: "Samtal"}, f.worker, testNow); err != nil {
				return err
			}
			_, err := store.AddManualPeriod(ctx, tx, id, c.Version+2, store.Period{From: day("2026-12-16"), To: day("2027-01-31"), Degree: 50, Source: "manual"}, testNow)
			return err
		})
		if _, err := f.rc.Run(ctx, civil.MustParse("2026-12-01"), "command"); err != nil {
			t.Fatal(err)
		}
		ds = deadlines(t, st, id)
		if d := ds[open.Kind+"/"+open.Key]; !d.Done || d.Auto || d.ClosedBy != "Hanna Handläggare" {
			t.Errorf("the deadline the person closed: %+v", d)
		}
		if d := ds[casework.DeadlineCertificateEnd+"/2026-12-15"]; !d.Done || !d.Auto || d.ClosedBy != "" {
			t.Errorf("the vanished certificate-end deadline: %+v", d)
		}
		if d, ok := ds[casework.DeadlineCertificateEnd+"/2027-01-31"]; !ok || d.Done {
			t.Errorf("the new certificate-end deadline: %+v", d)
		}
		ws, _ = store.CaseWarnings(ctx, st, id)
		if hasWarning(ws, casework.WarningNoContact) {
			t.Errorf("the no-contact warning stayed after a contact: %+v", ws)
		}
		c, _ = store.CaseByID(ctx, st, id)
		if c.WarningCount != len(ws) || c.NextKind == "" || c.OpenDeadlines == 0 {
			t.Errorf("case state after the second run: %+v", c.CaseState)
		}
	})
}

func hasWarning(ws []store.CaseWarning, kind string) bool {
	for _, w := range ws {
		if w.Kind == kind {
			return true
		}
	}
	return false
}

func TestRefreshCaseInTheCallersTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := context.Background()
		id := f.addCases(t, period("2026-10-01", "2026-12-31", 100))[0]
		storetest.Write(t, st, func(tx *store.Tx) error {
			return f.rc.RefreshCase(ctx, tx, id, civil.MustParse("2026-11-30"))
		})
		c, _ := store.CaseByID(ctx, st, id)
		if !c.Sick || c.ChainDay != 61 || c.Phase != rules.Phase1To90 || c.OpenDeadlines == 0 || c.Version != 1 {
			t.Errorf("refreshed case: %+v version %d", c.CaseState, c.Version)
		}
		err := st.Tx(ctx, func(tx *store.Tx) error { return f.rc.RefreshCase(ctx, tx, id+1000, civil.MustParse("2026-11-30")) })
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a missing case: %v", err)
		}
	})
}

// TestExclusiveRunStepsAside: of two instances, the second finds the
// first's run in progress and does nothing.
func TestExclusiveRunStepsAside(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := context.Background()
		f.addCases(t, period("2026-10-01", "2026-12-31", 100), period("2026-11-01", "2026-12-31", 100))
		date := civil.MustParse("2026-11-30")
		var once sync.Once
		f.rc.BatchSize = 1
		f.rc.Progress = func(casework.Progress) {
			once.Do(func() {
				other := *f.rc
				other.Progress = nil
				if _, err := other.RunExclusive(ctx, date, "nightly"); !errors.Is(err, casework.ErrBusy) {
					t.Errorf("a second exclusive run during the first: %v, want ErrBusy", err)
				}
			})
		}
		if _, err := f.rc.RunExclusive(ctx, date, "nightly"); err != nil {
			t.Fatal(err)
		}
		// Finished: the next one runs.
		f.rc.Progress = nil
		if run, err := f.rc.RunExclusive(ctx, date, "nightly"); err != nil || run.Processed != 2 {
			t.Errorf("after the first finished: %+v %v", run, err)
		}
		// An unfinished run older than the busy window is resumed, not
		// waited for.
		storetest.Write(t, st, func(tx *store.Tx) error {
			_, err := store.StartRecomputeRun(ctx, tx, day("2026-12-01"), "nightly", testNow.Add(-2*casework.BusyWindow))
			return err
		})
		run, err := f.rc.RunExclusive(ctx, civil.MustParse("2026-12-01"), "nightly")
		if err != nil || run.Processed != 2 || run.FinishedAt.IsZero() {
			t.Errorf("a stale unfinished run: %+v %v", run, err)
		}
	})
}

// A year past the newest prisbasbelopp no case fails: each is evaluated
// with the last value carried forward and counted as provisional, until
// the value is stored and the next run makes them final.
func TestRunPastTheNewestParameterIsProvisionalUntilTheValueArrives(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := setup(t, st)
		ids := f.addCases(t, period("2028-01-10", "2028-04-30", 100), period("2028-02-01", "2028-03-31", 50))
		date := civil.MustParse("2028-03-01")
		run, err := f.rc.Run(ctx, date, "command")
		if err != nil || run.Failed != 0 || run.Provisional != 2 {
			t.Fatalf("run %+v %v: want 2 provisional, none failed", run, err)
		}
		c, _ := store.CaseByID(ctx, st, ids[0])
		if c.EvalError != "" || c.Provisional != "prisbasbelopp" || c.DailyAmountKr == 0 {
			t.Errorf("case %+v", c.CaseState)
		}
		final, _, err := rules.NewWithUpdates([]rules.ParamUpdate{{Name: "prisbasbelopp", From: "2028-01-01", Value: "60500", Source: "SFS 2027:999"}})
		if err != nil {
			t.Fatal(err)
		}
		f.rc.Engine = final
		run, err = f.rc.Run(ctx, date, "command")
		if err != nil || run.Failed != 0 || run.Provisional != 0 || run.Processed != 2 {
			t.Fatalf("second run %+v %v", run, err)
		}
		if c, _ := store.CaseByID(ctx, st, ids[0]); c.Provisional != "" || c.EvalError != "" {
			t.Errorf("still provisional: %+v", c.CaseState)
		}
	})
}
