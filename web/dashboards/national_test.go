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
	"github.com/finsam/finsam/web/dashboards"
	"github.com/finsam/finsam/web/internal/webtest"
)

// nationalOpenCases is finsam's scale target: the open sickness cases of
// the country (demo.NationalSize).
const nationalOpenCases = 200_000

// TestFiguresReconcileAtNationalScale is TestEveryFigureEqualsItsList on
// national data: with FINSAM_NATIONAL_TEST=1 it generates 200,000 open
// cases the way `finsam generate` does (demo.Populate in every region's
// two offices, the recompute, the case workers keeping up, the recompute
// again) on each database, and reconciles every figure of the director's
// dashboard, of the whole caseload and of one customer group, with the
// rows of its list. It takes long (see docs/performance.md, "Dashboards
// at national scale"), so it is skipped unless asked for.
func TestFiguresReconcileAtNationalScale(t *testing.T) {
	if os.Getenv("FINSAM_NATIONAL_TEST") == "" {
		t.Skip("set FINSAM_NATIONAL_TEST=1 to reconcile the dashboards on 200,000 generated open cases (long)")
	}
	n := nationalOpenCases
	if v, err := strconv.Atoi(os.Getenv("FINSAM_NATIONAL_CASES")); err == nil && v > 0 {
		n = v // a smaller run of the same test, to try it out
	}
	defer dashboards.SetListPage(2 * n)()
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s := webtest.Demo(t, st)
		start := time.Now()
		generateNational(t, st, n)
		t.Logf("%s: generated and evaluated %d open cases in %s", st.Dialect(), n, time.Since(start).Round(time.Second))
		fk, err := store.OrganisationBySlug(ctx, st, "fk")
		if err != nil {
			t.Fatal(err)
		}
		groups, err := store.CustomerGroups(ctx, st, fk.ID)
		if err != nil || len(groups) == 0 {
			t.Fatal("no customer groups", err)
		}
		c := s.SignedIn(t, director)
		for _, target := range []string{"/api/v1/dashboards/caseload",
			"/api/v1/dashboards/caseload?group=" + strconv.FormatInt(groups[0].ID, 10)} {
			start := time.Now()
			figures, nonzero := reconcile(t, c, director, target)
			t.Logf("%s: %s: %d figures (%d above zero) reconciled with their lists in %s", st.Dialect(), target, figures, nonzero,
				time.Since(start).Round(time.Second))
			if nonzero < figures/3 {
				t.Errorf("only %d of %d figures are above zero: the data set tests too little", nonzero, figures)
			}
		}
	})
}

// generateNational adds n open cases, closed cases of half as many
// persons again and their certificates (about 4.5 per open case: enough
// for the generator to add closed ones, so that the durations and the
// outflow count something) to the demo database and evaluates the open
// ones on the harness's day, as `finsam generate` does.
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
}
