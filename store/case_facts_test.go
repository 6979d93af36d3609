package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func TestBulkCasesAndTheFactsOfOneCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := caseSetup(t, s)
		ctx := context.Background()
		var persons, cases []int64
		storetest.Write(t, s, func(tx *store.Tx) error {
			var err error
			persons, err = store.InsertPersons(ctx, tx, []store.Person{
				{Personnummer: "199001019802", Name: "Anna Testsson", MunicipalityCode: "0980"},
				{Personnummer: "199002029801", Name: "Erik Demosson", ProtectedIdentity: true},
			}, f.now)
			if err != nil {
				return err
			}
			cases, err = store.InsertCases(ctx, tx, []store.NewCase{
				{PersonID: persons[1], FirstDay: day("2026-10-01"), LastDay: day("2026-12-31"), OfficeID: f.slite, CustomerGroupID: f.group,
					AssignedUserID: f.worker, Employment: "unemployed", AnnualIncomeOre: 25000000, EmployerName: "Slite Fisk AB",
					Periods: []store.Period{{From: day("2026-10-01"), To: day("2026-10-31"), Degree: 100}, {From: day("2026-11-01"), To: day("2026-12-31"), Degree: 50, Source: "manual: pappersintyg"}}},
				{PersonID: persons[0], FirstDay: day("2025-01-01"), LastDay: day("2025-02-28"), Status: store.CaseClosed,
					Periods: []store.Period{{From: day("2025-01-01"), To: day("2025-02-28"), Degree: 100}}},
				{PersonID: persons[0], FirstDay: day("2026-11-01"), LastDay: day("2026-12-15"),
					Periods: []store.Period{{From: day("2026-11-01"), To: day("2026-12-15"), Degree: 75}}},
			}, f.now)
			return err
		})
		p, err := store.PersonByID(ctx, s, persons[1])
		if err != nil || p.Personnummer != "199002029801" || !p.ProtectedIdentity {
			t.Errorf("person %+v %v", p, err)
		}
		c, err := store.CaseByID(ctx, s, cases[0])
		if err != nil || c.PersonID != persons[1] || c.OfficeID != f.slite || c.AssignedUserID != f.worker || c.Employment != "unemployed" ||
			c.EmployerName != "Slite Fisk AB" || c.Status != store.CaseOpen || c.Version != 1 || !c.NextDue.Equal(store.NoDue) {
			t.Errorf("case %+v %v", c, err)
		}
		err = s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.InsertPersons(ctx, tx, []store.Person{{Personnummer: "199001019802"}}, f.now)
			return err
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("a person stored twice: %v", err)
		}

		// Facts of one case, closed or open: a contact (whose date SQLite
		// gives back as text from MAX) and the person's case starts.
		if _, err := addNote(ctx, s, cases[0], 1, f.now); err != nil {
			t.Fatal(err)
		}
		rc, err := store.CaseFactsByID(ctx, s, cases[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(rc.Periods) != 2 || rc.Periods[1].Source != "manual: pappersintyg" || !rc.LastContact.Equal(day("2026-11-29")) ||
			rc.AnnualIncomeOre != 25000000 || len(rc.CaseStarts) != 1 {
			t.Errorf("facts of the open case: %+v", rc)
		}
		closed, err := store.CaseFactsByID(ctx, s, cases[1])
		if err != nil || len(closed.Periods) != 1 || len(closed.CaseStarts) != 2 || !closed.CaseStarts[0].Equal(day("2025-01-01")) {
			t.Errorf("facts of the closed case: %+v %v", closed, err)
		}
		if _, err := store.CaseFactsByID(ctx, s, 999999); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing case: %v", err)
		}
		batch, err := store.OpenCaseBatch(ctx, s, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range batch {
			if b.ID == cases[1] {
				t.Error("the batch of open cases holds a closed one")
			}
			if b.ID == cases[0] && !b.LastContact.Equal(day("2026-11-29")) {
				t.Errorf("batch: last contact %v", b.LastContact)
			}
		}
		// The rules' batch holds the same open cases with the same periods
		// and certificates (without findings and body); the marks split the
		// open cases into batches that hold each once.
		rules, err := store.OpenCaseRulesBatch(ctx, s, 0, 100)
		if err != nil || len(rules) != len(batch) {
			t.Fatalf("rules' batch: %d cases (%v), the full batch %d", len(rules), err, len(batch))
		}
		for i, r := range rules {
			b := batch[i]
			if r.ID != b.ID || r.Personnummer != b.Personnummer || !reflect.DeepEqual(r.Periods, b.Periods) ||
				len(r.Certificates) != len(b.Certificates) || r.LastContact != (time.Time{}) || r.Deadlines != nil {
				t.Errorf("rules' batch: case %+v, the full batch's %+v", r, b)
			}
			for j, c := range r.Certificates {
				if c.ID != b.Certificates[j].ID || c.DiagnosisCode != b.Certificates[j].DiagnosisCode || c.Body != nil {
					t.Errorf("case %d: certificate %+v, the full batch's %+v", r.ID, c, b.Certificates[j])
				}
			}
		}
		marks, err := store.OpenCaseMarks(ctx, s, 3)
		if err != nil || len(marks) != 2 || marks[0] != 0 {
			t.Fatalf("marks of 4 open cases every 3: %v %v", marks, err)
		}
		var again []int64
		for _, m := range marks {
			part, err := store.OpenCaseRulesBatch(ctx, s, m, 3)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range part {
				again = append(again, c.ID)
			}
		}
		if len(again) != len(batch) {
			t.Errorf("the batches after the marks hold %v, want the %d open cases once", again, len(batch))
		}
		for i, id := range again {
			if id != batch[i].ID {
				t.Errorf("the batches after the marks hold %v", again)
				break
			}
		}
		// caseSetup's two and the two open ones here.
		if n, err := store.CountOpenCases(ctx, s, 0); err != nil || n != 4 {
			t.Errorf("open cases: %d %v", n, err)
		}

		storetest.Write(t, s, func(tx *store.Tx) error {
			return store.PlaceCases(ctx, tx, []store.CasePlacement{
				{ID: cases[2], OfficeID: f.visby, CustomerGroupID: f.group, AssignedUserID: f.other, Status: store.CaseClosed,
					Employment: "self_employed", AnnualIncomeOre: 1234500},
				{ID: cases[0], OfficeID: f.visby, Status: store.CaseOpen, Employment: "employee", EmployerName: "Visby Bygg AB"},
			})
		})
		c2, _ := store.CaseByID(ctx, s, cases[2])
		c0, _ := store.CaseByID(ctx, s, cases[0])
		if c2.Status != store.CaseClosed || c2.AssignedUserID != f.other || c2.Employment != "self_employed" || c2.AnnualIncomeOre != 1234500 || c2.Version != 1 {
			t.Errorf("placed case: %+v", c2)
		}
		if c0.OfficeID != f.visby || c0.CustomerGroupID != 0 || c0.AssignedUserID != 0 || c0.EmployerName != "Visby Bygg AB" {
			t.Errorf("placed case: %+v", c0)
		}
	})
}

func TestActiveRecomputeRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 11, 30, 2, 30, 0, 0, time.UTC)
		var old, recent store.RecomputeRun
		storetest.Write(t, s, func(tx *store.Tx) error {
			var err error
			if old, err = store.StartRecomputeRun(ctx, tx, day("2026-11-29"), "nightly", now.Add(-25*time.Hour)); err != nil {
				return err
			}
			recent, err = store.StartRecomputeRun(ctx, tx, day("2026-11-30"), "nightly", now)
			return err
		})
		if r, err := store.ActiveRecomputeRun(ctx, s, now.Add(-time.Hour)); err != nil || r.ID != recent.ID {
			t.Errorf("active run %+v %v", r, err)
		}
		if err := s.Tx(ctx, func(tx *store.Tx) error { return store.FinishRecomputeRun(ctx, tx, recent.ID, now.Add(time.Minute)) }); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ActiveRecomputeRun(ctx, s, now.Add(-time.Hour)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after finishing: %v", err)
		}
		if r, err := store.ActiveRecomputeRun(ctx, s, now.Add(-48*time.Hour)); err != nil || r.ID != old.ID {
			t.Errorf("the old unfinished run: %+v %v", r, err)
		}
		if r, err := store.LatestRecomputeRunFor(ctx, s, day("2026-11-30")); err != nil || r.ID != recent.ID || r.FinishedAt.IsZero() {
			t.Errorf("the run for 2026-11-30: %+v %v", r, err)
		}
		if _, err := store.LatestRecomputeRunFor(ctx, s, day("2026-12-01")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("no run for 2026-12-01: %v", err)
		}
	})
}

// TestSaveRecomputedLeavesAPersonsClosingAlone: a person closes a deadline
// between the recompute's read and its write; neither the deadline
// vanishing from the facts nor a new due date reopens or re-closes it.
func TestSaveRecomputedLeavesAPersonsClosingAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := caseSetup(t, s)
		ctx := context.Background()
		batch, _ := store.OpenCaseBatch(ctx, s, 0, 10)
		d91 := store.StoredDeadline{Kind: "assess_day_91", Due: day("2026-11-29"), Ref: "SFB 27 kap. 47 §"}
		d181 := store.StoredDeadline{Kind: "assess_day_181", Due: day("2027-02-27"), Ref: "SFB 27 kap. 48 §"}
		first := []store.CaseUpdate{recomputed(f.caseA, day("2026-11-30"), 91, d91.Due, []store.StoredDeadline{d91, d181}, nil),
			recomputed(f.caseB, day("2026-11-30"), 61, store.NoDue, nil, nil)}
		if err := s.Tx(ctx, func(tx *store.Tx) error { return store.SaveRecomputed(ctx, tx, batch, first, f.now) }); err != nil {
			t.Fatal(err)
		}
		batch, _ = store.OpenCaseBatch(ctx, s, 0, 10) // the next run reads …
		var ids = map[string]int64{}
		for _, d := range batch[0].Deadlines {
			ids[d.Kind] = d.ID
		}
		err := s.Tx(ctx, func(tx *store.Tx) error { // … a person closes both …
			if err := store.CloseDeadline(ctx, tx, f.caseA, 1, ids["assess_day_91"], f.worker, "Gjort", f.now); err != nil {
				return err
			}
			return store.CloseDeadline(ctx, tx, f.caseA, 2, ids["assess_day_181"], f.worker, "Gjort", f.now)
		})
		if err != nil {
			t.Fatal(err)
		}
		// … and the run writes what it derived from the older read: day 91
		// gone from the facts, day 181 moved and still open.
		moved := d181
		moved.Due = day("2027-03-01")
		second := []store.CaseUpdate{recomputed(f.caseA, day("2026-12-01"), 92, moved.Due, []store.StoredDeadline{moved}, nil), first[1]}
		if err := s.Tx(ctx, func(tx *store.Tx) error { return store.SaveRecomputed(ctx, tx, batch, second, f.now) }); err != nil {
			t.Fatal(err)
		}
		ds, _ := store.CaseDeadlines(ctx, s, f.caseA)
		for _, d := range ds {
			if !d.Done || d.Auto || d.ClosedBy != "Hanna Handläggare" || d.Note != "Gjort" {
				t.Errorf("%s after the stale write: done=%v auto=%v by %q note %q", d.Kind, d.Done, d.Auto, d.ClosedBy, d.Note)
			}
		}
	})
}

// TestSaveRecomputedWritesTheWorklistKeysThatMove: night after night the
// state is written whole, also when only one of the worklist indexes'
// columns (phase, next due date, warning count) moves, or none does.
func TestSaveRecomputedWritesTheWorklistKeysThatMove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := caseSetup(t, s)
		ctx := context.Background()
		due := day("2027-02-27")
		d181 := store.StoredDeadline{Kind: "assess_day_181", Due: due, Ref: "SFB 27 kap. 48 §"}
		warning := store.StoredWarning{Kind: "no_contact", Rule: "no_contact", Ref: "Process", Args: []int{30}}
		nights := []struct {
			name     string
			phase    string
			warnings []store.StoredWarning
		}{
			{"first", "91-180", nil},
			{"the phase moves", "181-365", nil},
			{"a warning is raised", "181-365", []store.StoredWarning{warning}},
			{"nothing of the keys moves", "181-365", []store.StoredWarning{warning}},
		}
		for i, n := range nights {
			batch, err := store.OpenCaseBatch(ctx, s, 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			up := recomputed(f.caseA, day("2026-11-30").AddDate(0, 0, i), 91+i, due, []store.StoredDeadline{d181}, n.warnings)
			up.State.Phase = n.phase
			storetest.Write(t, s, func(tx *store.Tx) error {
				return store.SaveRecomputed(ctx, tx, batch[:1], []store.CaseUpdate{up}, f.now)
			})
			c, err := store.CaseByID(ctx, s, f.caseA)
			if err != nil {
				t.Fatal(err)
			}
			if c.Phase != n.phase || c.WarningCount != len(n.warnings) || c.ChainDay != 91+i || !c.NextDue.Equal(due) {
				t.Errorf("%s: phase %q, %d warnings, chain day %d, next due %v", n.name, c.Phase, c.WarningCount, c.ChainDay, c.NextDue)
			}
			for _, phase := range []string{"91-180", "181-365"} {
				want := 0
				if phase == n.phase {
					want = 1
				}
				got, err := store.WorklistCount(ctx, s, store.WorklistQuery{OfficeID: f.visby, Phase: phase})
				if err != nil || got != want {
					t.Errorf("%s: the worklist of phase %s counts %d (%v), want %d", n.name, phase, got, err, want)
				}
			}
		}
	})
}
