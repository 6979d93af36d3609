package calculator

import (
	"errors"
	"net/http"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/ruleset"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// APIParams is GET /api/v1/rules/parameters: every value of every
// parameter the engine uses, built-in and stored, and the last date on
// which none is carried forward.
func (s *Handlers) APIParams(w http.ResponseWriter, r *http.Request, _ *site.Actor) error {
	e := s.Engine()
	out := struct {
		KnownUntil rules.Date       `json:"known_until"`
		Parameters []rules.ParamRow `json:"parameters"`
	}{KnownUntil: e.KnownUntil(), Parameters: e.Params()}
	site.WriteJSON(w, http.StatusOK, out)
	return nil
}

// APIAddParam is POST /api/v1/rules/parameters: a value added
// after the release, {"name","from","to","value","ref","source","note"}
// with dates as YYYY-MM-DD. 201 with the stored value's id; 422 with
// every problem under "fields" (stable codes), nothing stored.
func (s *Handlers) APIAddParam(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var body struct {
		Name   string `json:"name"`
		From   string `json:"from"`
		To     string `json:"to"`
		Value  string `json:"value"`
		Ref    string `json:"ref"`
		Source string `json:"source"`
		Note   string `json:"note"`
	}
	if err := site.ReadJSON(w, r, &body, maxParamsAPIBytes); err != nil {
		return err
	}
	u := rules.ParamUpdate(body)
	id, err := ruleset.AddValue(r.Context(), s.Store, s.Audit.Keys(), a.Event(r, "", "", "", ""), u, a.AuditName(), s.Now())
	if answered, err := s.rulesWritten(w, r, err); answered || err != nil {
		return err
	}
	site.WriteJSON(w, http.StatusCreated, struct {
		ID int64 `json:"id"`
	}{id})
	return nil
}

// maxParamsAPIBytes bounds the body of a new value or scenario.
const maxParamsAPIBytes = 64 << 10

// rulesWritten answers a refused value or scenario (422 with every
// problem), returns a failed write's error, and reloads the engine after a
// stored one.
func (s *Handlers) rulesWritten(w http.ResponseWriter, r *http.Request, err error) (answered bool, _ error) {
	var inv *ruleset.Invalid
	if errors.As(err, &inv) {
		e := site.APIError{Code: inv.Problems[0].Code, Message: inv.Problems[0].Message, Field: inv.Problems[0].Field}
		for _, p := range inv.Problems {
			e.Fields = append(e.Fields, site.FieldError{Field: p.Field, Code: p.Code, Message: p.Message})
		}
		site.WriteAPIError(w, http.StatusUnprocessableEntity, e)
		return true, nil
	}
	if err != nil {
		return false, site.Unavailable("store rules parameters", err)
	}
	s.reloadRules(r.Context())
	return false, nil
}

// apiScenario is a stored scenario in the API.
type apiScenario struct {
	Name        string           `json:"name"`
	Description string           `json:"description"`
	Overrides   []rules.ParamRow `json:"overrides"`
	CreatedAt   string           `json:"created_at"`
}

// APIScenarios is GET /api/v1/rules/scenarios: the stored scenarios
// with the values each overrides.
func (s *Handlers) APIScenarios(w http.ResponseWriter, r *http.Request, _ *site.Actor) error {
	all, err := store.RuleScenarios(r.Context(), s.Store)
	if err != nil {
		return site.Unavailable("rules scenarios", err)
	}
	out := struct {
		Scenarios []apiScenario `json:"scenarios"`
	}{Scenarios: []apiScenario{}}
	for _, sc := range all {
		v := apiScenario{Name: sc.Name, Description: sc.Description, Overrides: []rules.ParamRow{}, CreatedAt: sc.CreatedAt.Format("2006-01-02T15:04:05Z")}
		if parsed, problems := rules.ParseScenario([]byte(sc.Body)); len(problems) == 0 {
			v.Overrides = append(v.Overrides, parsed.Overrides()...)
		}
		out.Scenarios = append(out.Scenarios, v)
	}
	site.WriteJSON(w, http.StatusOK, out)
	return nil
}

// APIAddScenario is POST /api/v1/rules/scenarios: the body is the
// scenario's JSON, which must have a name no stored scenario has.
func (s *Handlers) APIAddScenario(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var raw jsonRaw
	if err := site.ReadJSON(w, r, &raw, maxParamsAPIBytes); err != nil {
		return err
	}
	sc, err := ruleset.AddScenario(r.Context(), s.Store, s.Audit.Keys(), a.Event(r, "", "", "", ""), raw, a.AuditName(), s.Now())
	if answered, err := s.rulesWritten(w, r, err); answered || err != nil {
		return err
	}
	site.WriteJSON(w, http.StatusCreated, struct {
		Name string `json:"name"`
	}{sc.Name})
	return nil
}

// jsonRaw keeps a JSON body as it came, after ReadJSON checked that
// it is one JSON value.
type jsonRaw []byte

func (j *jsonRaw) UnmarshalJSON(b []byte) error {
	*j = append((*j)[:0], b...)
	return nil
}
