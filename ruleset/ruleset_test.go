package ruleset_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/ruleset"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func keys(t *testing.T) *audit.Keys {
	k, err := audit.NewKeys([]byte("test master secret, 32 bytes at least........"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var now = time.Date(2027, 11, 2, 10, 0, 0, 0, time.UTC)

func auditCount(t *testing.T, st *store.Store, action string) int {
	t.Helper()
	es, err := store.SearchAudit(context.Background(), st, store.AuditQuery{Action: action, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// A value stored through one instance is in force in another after its
// next refresh; a refused value stores nothing and writes no audit entry.
func TestAStoredValueReachesEveryInstance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		log := slog.New(slog.DiscardHandler)
		b, err := ruleset.NewHolder(ctx, st, log)
		if err != nil {
			t.Fatal(err)
		}
		in, _ := rules.ParseInput([]byte(`{"date":"2028-03-01","employment":"employee","annual_income":1000000,"periods":[]}`))
		if r, _ := b.Engine().Evaluate(in, rules.Options{}); !slices.Equal(r.Provisional, []string{"prisbasbelopp"}) {
			t.Fatalf("before: provisional %q", r.Provisional)
		}

		bad := rules.ParamUpdate{Name: "prisbasbelopp", From: "2028-01-01", Value: "-5", Source: ""}
		_, err = ruleset.AddValue(ctx, st, keys(t), audit.Event{ActorName: "test"}, bad, "test", now)
		var inv *ruleset.Invalid
		if !errors.As(err, &inv) || len(inv.Problems) != 2 {
			t.Fatalf("bad value: %v", err)
		}
		if vs, _ := store.RuleParamValues(ctx, st); len(vs) != 0 || auditCount(t, st, "add_rule_param_value") != 0 {
			t.Fatalf("a refused value left %d rows", len(vs))
		}

		good := rules.ParamUpdate{Name: "prisbasbelopp", From: "2028-01-01", Value: "60500", Source: "SFS 2027:999"}
		if _, err := ruleset.AddValue(ctx, st, keys(t), audit.Event{ActorName: "test"}, good, "test", now); err != nil {
			t.Fatal(err)
		}
		if auditCount(t, st, "add_rule_param_value") != 1 {
			t.Error("no audit entry")
		}
		if err := b.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		r, _ := b.Engine().Evaluate(in, rules.Options{})
		if len(r.Provisional) != 0 || r.SGI != 605000 {
			t.Errorf("after: provisional %q, SGI %d", r.Provisional, r.SGI)
		}
		if cur := b.Current(); len(cur.Stored) != 1 || cur.Stored[0].To.Year() != 2028 || cur.Stored[0].To.Month() != 12 {
			t.Errorf("stored %+v", cur.Stored)
		}
		// The same value again overlaps the stored one.
		_, err = ruleset.AddValue(ctx, st, keys(t), audit.Event{ActorName: "test"}, good, "test", now)
		if !errors.As(err, &inv) || inv.Problems[0].Code != rules.CodeOverlappingValue {
			t.Errorf("again: %v", err)
		}
	})
}

func TestScenariosAreStoredAndUsedByName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		body := []byte(`{"name": "SGI cap 12 pbb", "params": [{"name": "sgi_cap_pbb", "values": [{"from": "2022-01-01", "value": "12.0"}]}]}`)
		if _, err := ruleset.AddScenario(ctx, st, keys(t), audit.Event{ActorName: "test"}, body, "test", now); err != nil {
			t.Fatal(err)
		}
		var inv *ruleset.Invalid
		if _, err := ruleset.AddScenario(ctx, st, keys(t), audit.Event{ActorName: "test"}, body, "test", now); !errors.As(err, &inv) || inv.Problems[0].Code != "scenario_exists" {
			t.Errorf("the same name again: %v", err)
		}
		unknown := []byte(`{"name": "x", "params": [{"name": "karensvecka", "values": [{"from": "2022-01-01", "value": "7"}]}]}`)
		if _, err := ruleset.AddScenario(ctx, st, keys(t), audit.Event{ActorName: "test"}, unknown, "test", now); !errors.As(err, &inv) || inv.Problems[0].Code != rules.CodeUnknownParameter {
			t.Errorf("unknown parameter: %v", err)
		}
		if n := auditCount(t, st, "add_rule_scenario"); n != 1 {
			t.Errorf("%d audit entries", n)
		}
		e, _ := rules.New()
		se, err := ruleset.WithScenario(ctx, st, e, "SGI cap 12 pbb")
		if err != nil || se.Scenario() != "SGI cap 12 pbb" {
			t.Fatalf("stored: %v", err)
		}
		if _, err := ruleset.WithScenario(ctx, st, e, "nothing"); !errors.Is(err, ruleset.ErrNoScenario) {
			t.Errorf("unknown name: %v", err)
		}
		inline, err := ruleset.WithScenario(ctx, st, e, string(body))
		if err != nil || inline.Scenario() != "SGI cap 12 pbb" {
			t.Errorf("inline: %v", err)
		}
	})
}
