package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func TestRuleParamValuesAreKeptInOrderAndVersioned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2027, 11, 2, 10, 0, 0, 0, time.UTC)
		if v, err := store.RuleParamsVersion(ctx, s); err != nil || v != 0 {
			t.Fatalf("version %d %v", v, err)
		}
		pbb := store.RuleParamValue{Name: "prisbasbelopp", From: time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC),
			To: time.Date(2028, 12, 31, 0, 0, 0, 0, time.UTC), Value: "60500", Source: "SFS 2027:999", CreatedAt: now, CreatedBy: "admin"}
		rate := store.RuleParamValue{Name: "rate_normal", From: time.Date(2028, 7, 1, 0, 0, 0, 0, time.UTC), Value: "0.85",
			Ref: "SFB 28 kap. 7 §", Source: "SFS 2028:1", Note: "a note", CreatedAt: now, CreatedBy: "admin"}
		for _, v := range []store.RuleParamValue{pbb, rate} {
			storetest.Write(t, s, func(tx *store.Tx) error {
				if _, err := store.BumpRuleParamsVersion(ctx, tx); err != nil {
					return err
				}
				_, err := store.InsertRuleParamValue(ctx, tx, v)
				return err
			})
		}
		err := s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.InsertRuleParamValue(ctx, tx, pbb)
			return err
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("a second value for the same day: %v", err)
		}
		got, err := store.RuleParamValues(ctx, s)
		if err != nil || len(got) != 2 {
			t.Fatalf("values %+v %v", got, err)
		}
		if g := got[0]; g.Name != "prisbasbelopp" || !g.From.Equal(pbb.From) || !g.To.Equal(pbb.To) || g.Value != "60500" ||
			g.Source != "SFS 2027:999" || !g.CreatedAt.Equal(now) || g.CreatedBy != "admin" {
			t.Errorf("first %+v", g)
		}
		if g := got[1]; g.Name != "rate_normal" || !g.To.IsZero() || g.Ref != "SFB 28 kap. 7 §" || g.Note != "a note" {
			t.Errorf("second %+v", g)
		}
		if v, err := store.RuleParamsVersion(ctx, s); err != nil || v != 2 {
			t.Errorf("version %d %v, want 2", v, err)
		}
	})
}

func TestRuleScenariosAreStoredByName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2027, 11, 2, 10, 0, 0, 0, time.UTC)
		for _, name := range []string{"SGI cap 12 pbb", "A time limit"} {
			storetest.Write(t, s, func(tx *store.Tx) error {
				_, err := store.InsertRuleScenario(ctx, tx, store.RuleScenario{Name: name, Description: "d", Body: `{"name":"` + name + `"}`,
					CreatedAt: now, CreatedBy: "admin"})
				return err
			})
		}
		err := s.Tx(ctx, func(tx *store.Tx) error {
			_, err := store.InsertRuleScenario(ctx, tx, store.RuleScenario{Name: "A time limit", Body: "{}", CreatedAt: now, CreatedBy: "x"})
			return err
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("a second scenario of the same name: %v", err)
		}
		all, err := store.RuleScenarios(ctx, s)
		if err != nil || len(all) != 2 || all[0].Name != "A time limit" || all[1].Body != `{"name":"SGI cap 12 pbb"}` {
			t.Fatalf("scenarios %+v %v", all, err)
		}
		one, err := store.RuleScenarioByName(ctx, s, "SGI cap 12 pbb")
		if err != nil || one.Description != "d" || !one.CreatedAt.Equal(now) {
			t.Errorf("by name %+v %v", one, err)
		}
		if _, err := store.RuleScenarioByName(ctx, s, "none"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown name: %v", err)
		}
		// A name PostgreSQL's text cannot hold matches nothing, on both
		// databases, instead of failing the query.
		for _, name := range []string{"nul\x00byte", "bad \xff utf-8"} {
			if _, err := store.RuleScenarioByName(ctx, s, name); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("name %q: %v", name, err)
			}
		}
	})
}

// A recompute run counts provisional results, and a case keeps the names
// of the parameters its result carried forward.
func TestRecomputeRunCountsProvisionalResults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2028, 3, 1, 2, 0, 0, 0, time.UTC)
		day := time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC)
		var caseID int64
		storetest.Write(t, s, func(tx *store.Tx) error {
			person, err := store.SavePerson(ctx, tx, store.Person{Personnummer: "197001019801", Name: "P"}, now)
			if err != nil {
				return err
			}
			if caseID, err = store.InsertCase(ctx, tx, person, day, day, now); err != nil {
				return err
			}
			run, err := store.StartRecomputeRun(ctx, tx, day, "command", now)
			if err != nil {
				return err
			}
			up := store.CaseUpdate{ID: caseID, State: store.CaseState{EvalDate: day, Provisional: "prisbasbelopp"}}
			if err := store.SaveRecomputed(ctx, tx, []store.RecomputeCase{{ID: caseID}}, []store.CaseUpdate{up}, now); err != nil {
				return err
			}
			return store.ProgressRecomputeRun(ctx, tx, run.ID, caseID, 1, 0, 1)
		})
		run, err := store.LatestRecomputeRun(ctx, s)
		if err != nil || run.Provisional != 1 || run.Processed != 1 {
			t.Errorf("run %+v %v", run, err)
		}
		c, err := store.CaseByID(ctx, s, caseID)
		if err != nil || c.Provisional != "prisbasbelopp" {
			t.Errorf("case provisional %q %v", c.Provisional, err)
		}
	})
}
