package calculator

// Legislation parameters after the release: the public parameters page
// (every parameter, its values by date and their sources), the
// administration page where Försäkringskassan's administrators add a value
// (a new year's prisbasbelopp, a new level or cap) or a scenario, and the
// same as JSON. Package ruleset checks, stores and audits a value in one
// transaction; the server then rebuilds its engine at once, and other
// instances within WatchRules' interval.

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/ruleset"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/form"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
)

// paramNames lists the parameters in the order the pages show them: money
// first, then the days of the chain.
var paramNames = []string{"prisbasbelopp", "sgi_cap_pbb", "sgi_threshold_pbb", "sgi_rounding_kr", "benefit_base_factor",
	"rate_normal", "rate_continuation", "unemployed_daily_max_kr", "normal_level_max_days", "frame_window_days",
	"sjuklon_frame_days", "continuation_max_days", "sjukloneperiod_days", "karens_employee", "karens_days_self_employed",
	"recurrence_gap_days", "chain_join_gap_days", "rehab_chain_checkpoints", "serious_illness_exception"}

type paramValueRow struct {
	From, To, Value, Ref, Source, Note string
	Stored                             bool
	Scenario                           bool
}

type paramGroup struct {
	Name, Label string
	Rows        []paramValueRow
}

type scenarioRow struct {
	Name, Description, Overrides, Stored string
}

// paramGroups turns the engine's rows into one group per parameter, values
// newest first.
func paramGroups(lang string, rows []rules.ParamRow) []paramGroup {
	by := map[string][]paramValueRow{}
	for _, r := range rows {
		v := paramValueRow{From: r.From.String(), To: r.To.String(), Value: paramValueText(lang, r), Ref: r.Ref,
			Source: r.Source, Note: r.Note, Stored: r.Origin == rules.OriginStored, Scenario: r.Origin == rules.OriginScenario}
		if r.To.IsZero() {
			v.To = "–"
		}
		by[r.Name] = append(by[r.Name], v)
	}
	var out []paramGroup
	for _, name := range paramNames {
		vs := by[name]
		slices.Reverse(vs)
		out = append(out, paramGroup{Name: name, Label: rulesview.ParamLabel(lang, name), Rows: vs})
	}
	return out
}

// paramValueText is a value with its unit, in words where it is a rule.
func paramValueText(lang string, r rules.ParamRow) string {
	switch {
	case r.Value == "none":
		return translate(lang, "param.value.none")
	case r.Unit == "kr":
		if n, err := strconv.ParseInt(r.Value, 10, 64); err == nil {
			return rulesview.FormatInt(lang, n) + " kr"
		}
	case r.Unit == "days":
		return r.Value + " " + translate(lang, "param.unit.days")
	case r.Unit == "pbb":
		return decimalText(lang, r.Value) + " " + translate(lang, "param.unit.pbb")
	case r.Unit == "share" || r.Unit == "factor":
		return decimalText(lang, r.Value)
	}
	return r.Value
}

func decimalText(lang, v string) string {
	if lang == "sv" {
		return strings.Replace(v, ".", ",", 1)
	}
	return v
}

// scenarioRows lists the stored scenarios with what each overrides.
func scenarioRows(lang string, stored []store.RuleScenario) []scenarioRow {
	var out []scenarioRow
	for _, s := range stored {
		row := scenarioRow{Name: s.Name, Description: s.Description, Stored: civil.Of(s.CreatedAt).String()}
		if sc, problems := rules.ParseScenario([]byte(s.Body)); len(problems) == 0 {
			var parts []string
			for _, o := range sc.Overrides() {
				parts = append(parts, rulesview.ParamLabel(lang, o.Name)+" "+paramValueText(lang, o)+" ("+o.From.String()+"–"+o.To.String()+")")
			}
			row.Overrides = strings.Join(parts, "; ")
		}
		out = append(out, row)
	}
	return out
}

type paramsPage struct {
	KnownUntil string
	Groups     []paramGroup
	Scenarios  []scenarioRow
}

// ParamsPage is GET /regler/parametrar: every parameter the engine
// uses, each value with its dates, reference and source, built-in and
// stored alike, and the stored scenarios. Public: it is the law.
func (s *Handlers) ParamsPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	e := s.Engine()
	scs, err := store.RuleScenarios(r.Context(), s.Store)
	if err != nil {
		return site.Unavailable("rules scenarios", err)
	}
	d := paramsPage{KnownUntil: e.KnownUntil().String(), Groups: paramGroups(lang, e.Params()), Scenarios: scenarioRows(lang, scs)}
	s.Render(w, r, http.StatusOK, "rules_params", site.Page{Lang: lang, Title: translate(lang, "param.title"), Actor: a, Data: d})
	return nil
}

// paramForm is the administration page's form for a new value.
type paramForm struct {
	Name, From, To, Value, Ref, Source, Note string
}

type adminRulesPage struct {
	// Fields are the form's controls in page order: the parameter to
	// choose, then its dates, value and source.
	Fields    []form.Input
	Summary   []form.Link
	Scenario  string
	ScenErrs  []string
	Saved     string
	Warning   string
	Late      string
	LeftOut   []string
	Stored    []storedValueRow
	Scenarios []scenarioRow
	// LastRun is the provisional count of the latest recompute, "" when
	// none ran.
	LastRunProvisional string
	LastRunDate        string
}

type storedValueRow struct {
	Label, From, To, Value, Source, By, At string
}

// adminRulesData fills the administration page.
func (s *Handlers) adminRulesData(ctx context.Context, lang string, f paramForm, ps site.Problems) (adminRulesPage, error) {
	cur := s.Rules.Current()
	e := cur.Engine
	var d adminRulesPage
	d.fill(lang, f, ps)
	today := s.Today()
	y, m, _ := today.Civil()
	next, _ := civil.New(y+1, 1, 1)
	if missing := e.ProvisionalOn(next); m >= 11 && len(missing) > 0 {
		var labels []string
		for _, n := range missing {
			labels = append(labels, rulesview.ParamLabel(lang, n))
		}
		d.Warning = strings.ReplaceAll(translate(lang, "param.admin.warning"), "{year}", strconv.Itoa(y+1)) + " " + strings.Join(labels, ", ") + "."
	}
	if known := e.KnownUntil(); today.After(known) {
		d.Late = strings.ReplaceAll(translate(lang, "param.admin.late"), "{date}", known.String())
	}
	for _, p := range cur.Problems {
		msg := p.Errors[0].MessageSV
		if lang == "en" {
			msg = p.Errors[0].Message
		}
		d.LeftOut = append(d.LeftOut, rulesview.ParamLabel(lang, p.Value.Name)+" "+civil.Of(p.Value.From).String()+": "+msg)
	}
	for i := len(cur.Stored) - 1; i >= 0; i-- {
		v := cur.Stored[i]
		row := storedValueRow{Label: rulesview.ParamLabel(lang, v.Name), From: civil.Of(v.From).String(), To: "–", Value: v.Value,
			Source: v.Source, By: v.CreatedBy, At: civil.Of(v.CreatedAt).String()}
		if !v.To.IsZero() {
			row.To = civil.Of(v.To).String()
		}
		d.Stored = append(d.Stored, row)
	}
	scs, err := store.RuleScenarios(ctx, s.Store)
	if err != nil {
		return d, err
	}
	d.Scenarios = scenarioRows(lang, scs)
	run, ok, err := casework.LatestRun(ctx, s.Store)
	if err != nil {
		return d, err
	}
	if ok {
		d.LastRunDate, d.LastRunProvisional = civil.Of(run.EvalDate).String(), strconv.FormatInt(run.Provisional, 10)
	}
	return d, nil
}

// AdminPage is GET /admin/regler.
func (s *Handlers) AdminPage(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	if err := s.Rules.Refresh(r.Context()); err != nil {
		s.Log.ErrorContext(r.Context(), "refresh rules parameters", "err", err)
	}
	d, err := s.adminRulesData(r.Context(), lang, paramForm{}, nil)
	if err != nil {
		return site.Unavailable("rules administration", err)
	}
	switch r.URL.Query().Get("sparat") {
	case "varde":
		d.Saved = translate(lang, "param.admin.saved.value")
	case "scenario":
		d.Saved = translate(lang, "param.admin.saved.scenario")
	}
	return s.renderAdminRules(w, r, a, lang, http.StatusOK, d)
}

// paramFormFields are the form's fields in page order, for the error
// summary.
var paramFormFields = []string{"name", "from", "to", "value", "source", "ref", "note"}

// AdminAddValue is POST /admin/regler/varden: a new value. A refused one
// is answered 422 with each problem at its field, and nothing is stored.
func (s *Handlers) AdminAddValue(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	if err := r.ParseForm(); err != nil {
		return site.BadRequest()
	}
	f := paramForm{Name: r.PostForm.Get("name"), From: strings.TrimSpace(r.PostForm.Get("from")), To: strings.TrimSpace(r.PostForm.Get("to")),
		Value: r.PostForm.Get("value"), Ref: r.PostForm.Get("ref"), Source: r.PostForm.Get("source"), Note: r.PostForm.Get("note")}
	u := rules.ParamUpdate{Name: f.Name, From: f.From, To: f.To, Value: f.Value, Ref: f.Ref, Source: f.Source, Note: f.Note}
	_, err := ruleset.AddValue(r.Context(), s.Store, s.Audit.Keys(), a.Event(r, "", "", "", ""), u, a.AuditName(), s.Now())
	var inv *ruleset.Invalid
	if errors.As(err, &inv) {
		var ps site.Problems
		for _, p := range inv.Problems {
			ps.AddDetail(p.Field, p.Code, problemText("sv", p), problemText("en", p))
		}
		d, derr := s.adminRulesData(r.Context(), lang, f, ps)
		if derr != nil {
			return site.Unavailable("rules administration", derr)
		}
		return s.renderAdminRules(w, r, a, lang, http.StatusUnprocessableEntity, d)
	}
	if err != nil {
		return site.Unavailable("store rules parameter", err)
	}
	return s.rulesSaved(w, r, "varde")
}

// AdminAddScenario is POST /admin/regler/scenarier: a new scenario,
// written as JSON in a text box.
func (s *Handlers) AdminAddScenario(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	lang := site.Language(w, r)
	r.Body = http.MaxBytesReader(w, r.Body, 2*rules.MaxScenarioBytes)
	if err := r.ParseForm(); err != nil {
		return site.BadRequest()
	}
	body := r.PostForm.Get("scenario")
	_, err := ruleset.AddScenario(r.Context(), s.Store, s.Audit.Keys(), a.Event(r, "", "", "", ""), []byte(body), a.AuditName(), s.Now())
	var inv *ruleset.Invalid
	if errors.As(err, &inv) {
		d, derr := s.adminRulesData(r.Context(), lang, paramForm{}, nil)
		if derr != nil {
			return site.Unavailable("rules administration", derr)
		}
		d.Scenario = body
		for _, p := range inv.Problems {
			d.ScenErrs = append(d.ScenErrs, scenarioPlace(lang, p.Field)+problemText(lang, p))
		}
		return s.renderAdminRules(w, r, a, lang, http.StatusUnprocessableEntity, d)
	}
	if err != nil {
		return site.Unavailable("store rules scenario", err)
	}
	return s.rulesSaved(w, r, "scenario")
}

// renderAdminRules shows the rules administration page with d.
func (s *Handlers) renderAdminRules(w http.ResponseWriter, r *http.Request, a *site.Actor, lang string, status int, d adminRulesPage) error {
	s.Render(w, r, status, "admin_rules", site.Page{Lang: lang, Title: translate(lang, "param.admin.title"), Actor: a, Data: d})
	return nil
}

// rulesSaved reloads the rules after a stored parameter or scenario and
// sends the browser back to the administration page, which says what was
// saved ("varde" or "scenario").
func (s *Handlers) rulesSaved(w http.ResponseWriter, r *http.Request, saved string) error {
	s.reloadRules(r.Context())
	http.Redirect(w, r, "/admin/regler?sparat="+saved, http.StatusSeeOther)
	return nil
}

// reloadRules makes a stored parameter or scenario count from now on; a
// failed reload is logged, and the write stands.
func (s *Handlers) reloadRules(ctx context.Context) {
	if err := s.Rules.Reload(ctx); err != nil {
		s.Log.ErrorContext(ctx, "reload rules parameters", "err", err)
	}
}

// problemText is a problem's message in the page's language.
func problemText(lang string, p *rules.Error) string {
	if lang == "sv" && p.MessageSV != "" {
		return p.MessageSV
	}
	return p.Message
}

// scenarioPlace says in words where in a scenario a problem is: "parameter
// 1, value 2: " for params[0].values[1].value; "" when it concerns the
// whole.
func scenarioPlace(lang, field string) string {
	var out []string
	for _, part := range strings.Split(field, ".") {
		name, idx, ok := strings.Cut(part, "[")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSuffix(idx, "]"))
		if err != nil {
			continue
		}
		out = append(out, translate(lang, "param.scenario.at."+name)+" "+strconv.Itoa(n+1))
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, ", ") + ": "
}

// fill prepares the form for a new value: what was typed, and each
// problem at its field and, in page order, in the summary.
func (d *adminRulesPage) fill(lang string, f paramForm, ps site.Problems) {
	values := map[string]string{"name": f.Name, "from": f.From, "to": f.To, "value": f.Value, "source": f.Source, "ref": f.Ref, "note": f.Note}
	for _, field := range paramFormFields {
		c := form.Input{ID: "param-" + field, Name: field, Kind: "text", Label: translate(lang, "param.field."+field), Value: values[field]}
		if hint := translate(lang, "param.field."+field+".hint"); hint != "param.field."+field+".hint" {
			c.Hint = hint
		}
		for _, p := range ps {
			if p.Field == field {
				c.Error = p.Message(feature.Words, lang, "")
				d.Summary = append(d.Summary, form.Link{ID: c.ID, Text: c.Label + ": " + c.Error})
				break
			}
		}
		if field == "name" {
			c.Kind, c.Hint = "select", ""
			for _, n := range paramNames {
				c.Options = append(c.Options, site.Choice{Value: n, Label: rulesview.ParamLabel(lang, n), Selected: n == f.Name})
			}
		}
		d.Fields = append(d.Fields, c)
	}
}
