// Package ruleset is the rules engine as an installation runs it: the
// parameters built into the release, the values administrators added
// since (stored), and the stored scenarios. The store keeps rows; package
// rules validates them and builds immutable engines; this package moves
// the one into the other, writes new values and scenarios with their
// audit entry, and keeps a running server's engine current (Holder).
package ruleset

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
)

// Loaded is the engine built from the stored values at Version.
type Loaded struct {
	Engine  *rules.Engine
	Version int64
	// Stored are the stored values, in the order they apply.
	Stored []store.RuleParamValue
	// Problems are stored values the engine left out: usually a release
	// that now carries a different value for the same day. The built-in
	// value prevails; an administrator should know.
	Problems []Problem
}

// Problem is a stored value that could not be applied.
type Problem struct {
	Value  store.RuleParamValue
	Errors []*rules.Error
}

// Load builds the engine from the built-in parameters and every stored
// value.
func Load(ctx context.Context, q store.Querier) (*Loaded, error) {
	version, err := store.RuleParamsVersion(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("rules parameters version: %w", err)
	}
	stored, err := store.RuleParamValues(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("stored rules parameters: %w", err)
	}
	e, probs, err := build(stored)
	if err != nil {
		return nil, err
	}
	return &Loaded{Engine: e, Version: version, Stored: stored, Problems: probs}, nil
}

func build(stored []store.RuleParamValue) (*rules.Engine, []Problem, error) {
	ups := make([]rules.ParamUpdate, len(stored))
	for i, v := range stored {
		ups[i] = UpdateOf(v)
	}
	e, probs, err := rules.NewWithUpdates(ups)
	if err != nil {
		return nil, nil, err
	}
	var out []Problem
	for _, p := range probs {
		out = append(out, Problem{Value: stored[p.Index], Errors: p.Errors})
	}
	return e, out, nil
}

// UpdateOf is a stored value as the engine takes it.
func UpdateOf(v store.RuleParamValue) rules.ParamUpdate {
	u := rules.ParamUpdate{Name: v.Name, From: civil.Of(v.From).String(), Value: v.Value, Ref: v.Ref, Source: v.Source, Note: v.Note}
	if !v.To.IsZero() {
		u.To = civil.Of(v.To).String()
	}
	return u
}

// Invalid is the answer to a value or scenario that is refused: every
// problem, each with its field and stable code. Nothing was stored.
type Invalid struct{ Problems []*rules.Error }

func (e *Invalid) Error() string {
	var parts []string
	for _, p := range e.Problems {
		parts = append(parts, p.Error())
	}
	return strings.Join(parts, "; ")
}

// lockedEngine begins a change of the stored values or scenarios in tx: it
// bumps their version first, so that its row lock orders concurrent
// writers and the engine it then builds from every stored value sees each
// value stored before this change.
func lockedEngine(ctx context.Context, tx *store.Tx) (*rules.Engine, error) {
	if _, err := store.BumpRuleParamsVersion(ctx, tx); err != nil {
		return nil, err
	}
	stored, err := store.RuleParamValues(ctx, tx)
	if err != nil {
		return nil, err
	}
	e, _, err := build(stored)
	return e, err
}

// AddValue validates u against the built-in and every stored value and
// stores it, with its audit entry ev (its action, resource and purpose are
// filled in here), in one transaction. A refused value is *Invalid.
func AddValue(ctx context.Context, st *store.Store, keys *audit.Keys, ev audit.Event, u rules.ParamUpdate, by string, now time.Time) (int64, error) {
	var id int64
	err := st.Tx(ctx, func(tx *store.Tx) error {
		e, err := lockedEngine(ctx, tx)
		if err != nil {
			return err
		}
		if _, probs := e.WithUpdate(u); len(probs) > 0 {
			return &Invalid{Problems: probs}
		}
		// WithUpdate accepted the dates, so they parse.
		from, _ := rules.ParseDate(u.From)
		v := store.RuleParamValue{Name: u.Name, From: from.Time(), Value: strings.TrimSpace(u.Value), Ref: strings.TrimSpace(u.Ref),
			Source: strings.TrimSpace(u.Source), Note: strings.TrimSpace(u.Note), CreatedAt: now, CreatedBy: by}
		if u.To != "" {
			to, _ := rules.ParseDate(u.To)
			v.To = to.Time()
		} else if u.Name == "prisbasbelopp" {
			v.To = time.Date(from.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
		}
		if id, err = store.InsertRuleParamValue(ctx, tx, v); err != nil {
			return err
		}
		ev.Action, ev.Outcome, ev.ResourceType, ev.ResourceID = "add_rule_param_value", audit.OutcomeOK, "rule_param_value", fmt.Sprint(id)
		ev.Purpose = u.Name + " = " + v.Value + " from " + u.From + "; source " + v.Source
		return store.AppendAudit(ctx, tx, keys, ev)
	})
	return id, err
}

// Scenario names and descriptions are short texts.
const maxScenarioName = 100

// AddScenario validates a scenario's JSON and stores it under its name,
// with its audit entry, in one transaction. A refused scenario (invalid,
// unnamed, or named like a stored one) is *Invalid.
func AddScenario(ctx context.Context, st *store.Store, keys *audit.Keys, ev audit.Event, body []byte, by string, now time.Time) (rules.Scenario, error) {
	sc, probs := rules.ParseScenario(body)
	if len(probs) == 0 {
		switch name := strings.TrimSpace(sc.Name); {
		case name == "":
			probs = []*rules.Error{{Code: rules.CodeMissingField, Field: "name", Message: "a stored scenario needs a name",
				MessageSV: "ett scenario som sparas måste ha ett namn"}}
		case len(name) > maxScenarioName || name != sc.Name || strings.HasPrefix(name, "{"):
			probs = []*rules.Error{{Code: rules.CodeInvalidScenario, Field: "name",
				Message:   fmt.Sprintf("a name is at most %d characters, without spaces at either end, and does not start with {", maxScenarioName),
				MessageSV: fmt.Sprintf("namnet får vara högst %d tecken, utan mellanslag först eller sist, och får inte börja med {", maxScenarioName)}}
		}
	}
	if len(probs) > 0 {
		return rules.Scenario{}, &Invalid{Problems: probs}
	}
	err := st.Tx(ctx, func(tx *store.Tx) error {
		e, err := lockedEngine(ctx, tx)
		if err != nil {
			return err
		}
		if _, perr := e.WithScenario(sc); perr != nil {
			return &Invalid{Problems: []*rules.Error{perr}}
		}
		id, err := store.InsertRuleScenario(ctx, tx, store.RuleScenario{Name: sc.Name, Description: sc.Description,
			Body: string(body), CreatedAt: now, CreatedBy: by})
		if errors.Is(err, store.ErrConflict) {
			return &Invalid{Problems: []*rules.Error{{Code: "scenario_exists", Field: "name",
				Message: "a scenario called " + sc.Name + " is already stored", MessageSV: "det finns redan ett scenario som heter " + sc.Name}}}
		}
		if err != nil {
			return err
		}
		ev.Action, ev.Outcome, ev.ResourceType, ev.ResourceID = "add_rule_scenario", audit.OutcomeOK, "rule_scenario", fmt.Sprint(id)
		ev.Purpose = sc.Name
		return store.AppendAudit(ctx, tx, keys, ev)
	})
	return sc, err
}

// ErrNoScenario means no scenario of that name is stored.
var ErrNoScenario = errors.New("no stored scenario of that name")

// CodeUnknownScenario is the stable code of a scenario name that is not
// stored.
const CodeUnknownScenario = "unknown_scenario"

// WithScenario returns e under a scenario: a stored one by name, or an
// inline one when ref is a JSON object. A stored name that is not found is
// ErrNoScenario; an inline scenario that is refused is *Invalid.
func WithScenario(ctx context.Context, q store.Querier, e *rules.Engine, ref string) (*rules.Engine, error) {
	body := []byte(ref)
	if !strings.HasPrefix(strings.TrimSpace(ref), "{") {
		sc, err := store.RuleScenarioByName(ctx, q, ref)
		if errors.Is(err, store.ErrNotFound) {
			return nil, ErrNoScenario
		}
		if err != nil {
			return nil, err
		}
		body = []byte(sc.Body)
	}
	sc, probs := rules.ParseScenario(body)
	if len(probs) > 0 {
		return nil, &Invalid{Problems: probs}
	}
	se, perr := e.WithScenario(sc)
	if perr != nil {
		return nil, &Invalid{Problems: []*rules.Error{perr}}
	}
	return se, nil
}
