package dashboards_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web"
	"github.com/finsam/finsam/web/internal/fixture"
	"github.com/finsam/finsam/web/internal/webtest"
)

// nationalOpenCases is finsam's scale target: the open sickness cases of
// the country (demo.NationalSize).
const nationalOpenCases = 200_000

// TestFiguresReconcileAtNationalScale is TestEveryFigureEqualsItsList on
// national data, and reconciles every figure of the director's dashboard,
// of the whole caseload and of one customer group, with the cases of its
// list (see reconcile). It takes long (see docs/performance.md,
// "Dashboards at national scale"), so it is skipped unless asked for:
//
//   - FINSAM_NATIONAL_SQLITE=DIR and FINSAM_NATIONAL_POSTGRES=URL run it on
//     data made by `finsam generate` (a copy: the test signs in and audits
//     its reads), each whose database is named; FINSAM_NATIONAL_TODAY is
//     the day the data was generated for (its --today; default
//     2026-12-07), the server's clock in the morning of that day.
//   - Otherwise FINSAM_NATIONAL_TEST=1 generates 200,000 open cases
//     (FINSAM_NATIONAL_CASES: another number) the way `finsam generate`
//     does on each test database (demo.Populate in every region's two
//     offices, the recompute, the case workers keeping up, the recompute
//     again) and reconciles them.
func TestFiguresReconcileAtNationalScale(t *testing.T) {
	sqliteDir, pgURL := os.Getenv("FINSAM_NATIONAL_SQLITE"), os.Getenv("FINSAM_NATIONAL_POSTGRES")
	if sqliteDir != "" || pgURL != "" {
		today := nationalToday(t)
		for _, db := range []struct{ name, dir, url string }{{"sqlite", sqliteDir, ""}, {"postgres", "", pgURL}} {
			if db.dir == "" && db.url == "" {
				continue
			}
			t.Run(db.name, func(t *testing.T) {
				st, err := store.Open(context.Background(), store.Config{DataDir: db.dir, DatabaseURL: db.url})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				// As autovacuum would have after the generator's
				// recomputes (data generated before the generator
				// refreshed them itself has the statistics of its load).
				start := time.Now()
				if err := store.RefreshCaseStatistics(context.Background(), st); err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: refreshed the statistics of the recomputed tables in %s", st.Dialect(), time.Since(start).Round(time.Second))
				clock := fixture.NewClock(today.Add(9 * time.Hour))
				s := webtest.Bare(t, st, func(cfg *web.Config) { cfg.Demo, cfg.Now = true, clock.Now })
				reconcileNational(t, s)
			})
		}
		return
	}
	if os.Getenv("FINSAM_NATIONAL_TEST") == "" {
		t.Skip("set FINSAM_NATIONAL_SQLITE and/or FINSAM_NATIONAL_POSTGRES to copies of generated data, or FINSAM_NATIONAL_TEST=1 to generate 200,000 open cases, to reconcile the dashboards at national scale (long)")
	}
	n := nationalOpenCases
	if v, err := strconv.Atoi(os.Getenv("FINSAM_NATIONAL_CASES")); err == nil && v > 0 {
		n = v // a smaller run of the same test, to try it out
	}
	webtest.EachDemo(t, func(t *testing.T, s *webtest.Server) {
		start := time.Now()
		generateNational(t, s.Store, n)
		t.Logf("%s: generated and evaluated %d open cases in %s", s.Store.Dialect(), n, time.Since(start).Round(time.Second))
		reconcileNational(t, s)
	})
}

// nationalToday is FINSAM_NATIONAL_TODAY, the day shared national data
// was generated for (2026-12-07 unless set).
func nationalToday(t *testing.T) time.Time {
	v := os.Getenv("FINSAM_NATIONAL_TODAY")
	if v == "" {
		v = "2026-12-07"
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		t.Fatalf("FINSAM_NATIONAL_TODAY: %v", err)
	}
	return d
}

// reconcileNational reconciles the director's dashboard of the whole
// caseload and of the first customer group.
func reconcileNational(t *testing.T, s *webtest.Server) {
	ctx := context.Background()
	st := s.Store
	fk := webtest.OrgNamed(t, st, "fk")
	groups, err := store.CustomerGroups(ctx, st, fk.ID)
	if err != nil || len(groups) == 0 {
		t.Fatal("no customer groups", err)
	}
	c := s.SignedIn(t, director)
	for _, target := range []string{"/api/v1/dashboards/caseload",
		"/api/v1/dashboards/caseload?group=" + strconv.FormatInt(groups[0].ID, 10)} {
		start := time.Now()
		figures, nonzero := reconcile(t, s, c, director, target)
		t.Logf("%s: %s: %d figures (%d above zero) reconciled with their lists in %s", st.Dialect(), target, figures, nonzero,
			time.Since(start).Round(time.Second))
		if nonzero < figures/3 {
			t.Errorf("only %d of %d figures are above zero: the data set tests too little", nonzero, figures)
		}
	}
}

// generateNational adds n open cases, closed cases of half as many
// persons again and their certificates (about 4.5 per open case: enough
// for the generator to add closed ones, so that the durations and the
// outflow count something) to the demo database and evaluates the open
// ones on the harness's day, then refreshes the statistics of the tables
// the recompute wrote, as `finsam generate` does.
func generateNational(t *testing.T, st *store.Store, n int) {
	t.Helper()
	ctx := context.Background()
	today := civil.Of(webtest.Start)
	got, err := demo.Populate(ctx, st, demo.PopulateConfig{Seed: demo.DefaultSeed, Today: today.Time(),
		Size: demo.Size{Persons: n + n/2, OpenCases: n, Certificates: 9 * n / 2, Associations: 2}})
	if err != nil {
		t.Fatal(err)
	}
	engine, err := rules.New()
	if err != nil {
		t.Fatal(err)
	}
	fmb, _, err := intake.StoredFMB(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	rc := &casework.Recomputer{Store: st, Engine: engine, FMB: fmb, Now: func() time.Time { return webtest.Start }}
	if _, err := rc.Run(ctx, today, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.KeepUp(ctx, st, got.FirstCaseID, got.LastCaseID, today.Time(), webtest.Start); err != nil {
		t.Fatal(err)
	}
	if _, err := rc.Run(ctx, today, "test"); err != nil {
		t.Fatal(err)
	}
	if err := store.RefreshCaseStatistics(ctx, st); err != nil {
		t.Fatal(err)
	}
}
