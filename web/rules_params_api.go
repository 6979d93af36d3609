package web

import (
	"errors"
	"net/http"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/ruleset"
	"github.com/finsam/finsam/store"
)

// apiParamValue is one value of a parameter in the API.
type apiParamValue struct {
	Name   string     `json:"name"`
	From   rules.Date `json:"from"`
	To     rules.Date `json:"to"`
	Value  string     `json:"value"`
	Unit   string     `json:"unit"`
	Ref    string     `json:"ref"`
	Source string     `json:"source"`
	Note   string     `json:"note"`
	Origin string     `json:"origin"`
}

// apiRulesParameters is GET /api/v1/rules/parameters: every value of every
// parameter the engine uses, built-in and stored, and the last date on
// which none is carried forward.
func (s *Server) apiRulesParameters(w http.ResponseWriter, r *http.Request, _ *actor) {
	e := s.engine()
	rows := e.Params()
	out := struct {
		KnownUntil rules.Date      `json:"known_until"`
		Parameters []apiParamValue `json:"parameters"`
	}{KnownUntil: e.KnownUntil(), Parameters: make([]apiParamValue, len(rows))}
	for i, p := range rows {
		out.Parameters[i] = apiParamValue(p)
	}
	writeJSON(w, http.StatusOK, out)
}

// apiAddRulesParameter is POST /api/v1/rules/parameters: a value added
// after the release, {"name","from","to","value","ref","source","note"}
// with dates as YYYY-MM-DD. 201 with the stored value's id; 422 with
// every problem under "fields" (stable codes), nothing stored.
func (s *Server) apiAddRulesParameter(w http.ResponseWriter, r *http.Request, a *actor) {
	var body struct {
		Name   string `json:"name"`
		From   string `json:"from"`
		To     string `json:"to"`
		Value  string `json:"value"`
		Ref    string `json:"ref"`
		Source string `json:"source"`
		Note   string `json:"note"`
	}
	if !s.readCaseJSON(w, r, &body) {
		return
	}
	u := rules.ParamUpdate(body)
	id, err := ruleset.AddValue(r.Context(), s.store, s.audit.Keys(), a.Event(r, "", "", "", ""), u, a.AuditName(), s.now())
	if s.rulesWriteFailed(w, r, err) {
		return
	}
	writeJSON(w, http.StatusCreated, struct {
		ID int64 `json:"id"`
	}{id})
}

// rulesWriteFailed answers a refused value or scenario (422 with every
// problem) or a failed write, and reloads the engine after a stored one.
func (s *Server) rulesWriteFailed(w http.ResponseWriter, r *http.Request, err error) bool {
	var inv *ruleset.Invalid
	if errors.As(err, &inv) {
		e := APIError{Code: inv.Problems[0].Code, Message: inv.Problems[0].Message, Field: inv.Problems[0].Field}
		for _, p := range inv.Problems {
			e.Fields = append(e.Fields, FieldError{Field: p.Field, Code: p.Code, Message: p.Message})
		}
		writeAPIError(w, http.StatusUnprocessableEntity, e)
		return true
	}
	if err != nil {
		s.unavailable(w, r, "store rules parameters", err)
		return true
	}
	if err := s.ruleset.Reload(r.Context()); err != nil {
		s.log.ErrorContext(r.Context(), "reload rules parameters", "err", err)
	}
	return false
}

// apiScenario is a stored scenario in the API.
type apiScenario struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Overrides   []apiParamValue `json:"overrides"`
	CreatedAt   string          `json:"created_at"`
}

// apiRulesScenarios is GET /api/v1/rules/scenarios: the stored scenarios
// with the values each overrides.
func (s *Server) apiRulesScenarios(w http.ResponseWriter, r *http.Request, _ *actor) {
	all, err := store.RuleScenarios(r.Context(), s.store)
	if err != nil {
		s.unavailable(w, r, "rules scenarios", err)
		return
	}
	out := struct {
		Scenarios []apiScenario `json:"scenarios"`
	}{Scenarios: []apiScenario{}}
	for _, sc := range all {
		v := apiScenario{Name: sc.Name, Description: sc.Description, Overrides: []apiParamValue{}, CreatedAt: sc.CreatedAt.Format("2006-01-02T15:04:05Z")}
		if parsed, problems := rules.ParseScenario([]byte(sc.Body)); len(problems) == 0 {
			for _, o := range parsed.Overrides() {
				v.Overrides = append(v.Overrides, apiParamValue(o))
			}
		}
		out.Scenarios = append(out.Scenarios, v)
	}
	writeJSON(w, http.StatusOK, out)
}

// apiAddRulesScenario is POST /api/v1/rules/scenarios: the body is the
// scenario's JSON, which must have a name no stored scenario has.
func (s *Server) apiAddRulesScenario(w http.ResponseWriter, r *http.Request, a *actor) {
	var raw jsonRaw
	if !s.readCaseJSON(w, r, &raw) {
		return
	}
	sc, err := ruleset.AddScenario(r.Context(), s.store, s.audit.Keys(), a.Event(r, "", "", "", ""), raw, a.AuditName(), s.now())
	if s.rulesWriteFailed(w, r, err) {
		return
	}
	writeJSON(w, http.StatusCreated, struct {
		Name string `json:"name"`
	}{sc.Name})
}

// jsonRaw keeps a JSON body as it came, after readCaseJSON checked that
// it is one JSON value.
type jsonRaw []byte

func (j *jsonRaw) UnmarshalJSON(b []byte) error {
	*j = append((*j)[:0], b...)
	return nil
}
