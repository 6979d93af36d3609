package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

var populateDay = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

func populate(t *testing.T, st *store.Store, seed uint64) demo.Populated {
	t.Helper()
	ctx := context.Background()
	if loaded, err := demo.LoadIfEmpty(ctx, st, demo.DefaultSeed, "demo"); err != nil || !loaded {
		t.Fatalf("LoadIfEmpty: %v %v", loaded, err)
	}
	got, err := demo.Populate(ctx, st, demo.PopulateConfig{Seed: seed, Today: populateDay,
		Size: demo.Size{Persons: 400, OpenCases: 150, Certificates: 700, Associations: 2}})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestPopulateIsDeterministicBySeed: the same seed writes the same rows;
// another seed writes others.
func TestPopulateIsDeterministicBySeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		populate(t, st, 7)
		again := storetest.Open(t, st.Dialect())
		populate(t, again, 7)
		other := storetest.Open(t, st.Dialect())
		populate(t, other, 8)
		a, b, c := storetest.Snapshot(t, st), storetest.Snapshot(t, again), storetest.Snapshot(t, other)
		for _, table := range []string{"persons", "sickness_cases", "certificates", "sick_leave_periods", "insatser", "participants",
			"consents", "consent_parties", "coordinations", "coordination_parties", "meetings", "plan_actions"} {
			if len(a[table]) == 0 {
				t.Errorf("%s: no rows", table)
			}
			if !slices.Equal(a[table], b[table]) {
				t.Errorf("%s differs between two runs with the same seed", table)
			}
		}
		if slices.Equal(a["persons"], c["persons"]) {
			t.Errorf("persons are the same with another seed")
		}
	})
}

// TestPopulateShape: test-series personnummer; open cases current on the
// day, mostly short with a tail past a year; every certificate valid,
// inside its case, its periods stored as it says.
func TestPopulateShape(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		got := populate(t, st, 11)
		if got.Persons != 400 || got.OpenCases != 150 || got.Associations != 1 || got.Participants == 0 {
			t.Errorf("populated %+v", got)
		}
		if got.Certificates < 500 || got.Certificates > 900 {
			t.Errorf("%d certificates, want about 700", got.Certificates)
		}
		for id := got.FirstPersonID; id <= got.LastPersonID; id++ {
			p, err := store.PersonByID(ctx, st, id)
			if err != nil {
				t.Fatal(err)
			}
			n, err := personnummer.Parse(p.Personnummer, populateDay)
			if err != nil || !n.IsTestSeries() {
				t.Fatalf("person %d: %s is not a valid test-series number (%v)", id, p.Personnummer, err)
			}
		}
		cases, err := store.OpenCaseBatch(ctx, st, 0, 10000)
		if err != nil {
			t.Fatal(err)
		}
		if len(cases) != 150 {
			t.Fatalf("%d open cases, want 150", len(cases))
		}
		today := certificate.DateOf(populateDay)
		var elapsed []int
		for _, c := range cases {
			if c.FirstDay.After(populateDay) || c.LastDay.Before(populateDay.AddDate(0, 0, -14)) {
				t.Errorf("case %d (%s–%s) is not current on %s", c.ID, c.FirstDay.Format(time.DateOnly), c.LastDay.Format(time.DateOnly), today)
			}
			elapsed = append(elapsed, int(populateDay.Sub(c.FirstDay).Hours()/24)+1)
			if len(c.Certificates) == 0 {
				t.Errorf("case %d has no certificate", c.ID)
			}
			for _, rc := range c.Certificates {
				if rc.FirstDay.Before(c.FirstDay) || rc.LastDay.After(c.LastDay) {
					t.Errorf("case %d: certificate %d (%s–%s) outside the case (%s–%s)", c.ID, rc.ID, rc.FirstDay.Format(time.DateOnly),
						rc.LastDay.Format(time.DateOnly), c.FirstDay.Format(time.DateOnly), c.LastDay.Format(time.DateOnly))
				}
				cert, err := certificate.ParseJSON(rc.Body)
				if err != nil {
					t.Fatalf("certificate %d: %v", rc.ID, err)
				}
				if errs := certificate.Validate(cert, today); len(errs) > 0 {
					t.Errorf("certificate %d is not valid: %v", rc.ID, errs)
				}
				for _, p := range cert.Periods() {
					if p.From.Time().Before(c.FirstDay) || p.To.Time().After(c.LastDay) {
						t.Errorf("case %d: certificate %d's period %s–%s outside the case", c.ID, rc.ID, p.From, p.To)
					}
				}
			}
			for _, p := range c.Periods {
				if p.CertificateID == 0 {
					t.Errorf("case %d: a period entered by hand", c.ID)
				}
			}
		}
		slices.Sort(elapsed)
		if median := elapsed[len(elapsed)/2]; median > 120 {
			t.Errorf("median open case has lasted %d days, want most cases short", median)
		}
		if longest := elapsed[len(elapsed)-1]; longest <= 365 {
			t.Errorf("the longest open case has lasted %d days, want a tail past a year", longest)
		}
	})
}

// TestDemoIncludesGeneratedDataEvaluated: the demo is its stories and the
// generator at the demo's size, whose open cases are evaluated on the
// day while the stories' cases keep the dates they were shown on.
func TestDemoIncludesGeneratedDataEvaluated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		loadDemo(t, st, now)
		if _, err := demo.LoadAssociation(ctx, st, demo.DefaultSeed, now); err != nil {
			t.Fatal(err)
		}
		before, err := store.OpenCaseBatch(ctx, st, 0, 100000)
		if err != nil {
			t.Fatal(err)
		}
		got, err := demo.LoadGenerated(ctx, st, demo.DefaultSeed, now)
		if err != nil {
			t.Fatal(err)
		}
		if got.OpenCases != demo.DemoSize.OpenCases || got.Associations != demo.DemoSize.Associations-1 {
			t.Errorf("generated %+v", got)
		}
		after, err := store.OpenCaseBatch(ctx, st, 0, 100000)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before)+demo.DemoSize.OpenCases {
			t.Errorf("%d open cases after, %d before", len(after), len(before))
		}
		for id := got.FirstCaseID; id <= got.LastCaseID; id++ {
			c, err := store.CaseByID(ctx, st, id)
			if err != nil {
				t.Fatal(err)
			}
			if c.Status == store.CaseOpen && (!c.EvalDate.Equal(populateDay) || c.EvalError != "") {
				t.Errorf("generated case %d evaluated on %v: %q", id, c.EvalDate, c.EvalError)
			}
		}
		assertOpenCasesCurrent(t, st, populateDay)
	})
}
