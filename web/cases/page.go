package cases

// The case page, GET /arenden/{id}: the person and who
// owns the case, the rules engine's result for today with the rules it
// applied, a timeline picture of the whole case, deadlines, early
// warnings, periods, certificates, facts, decisions, the rehabilitation
// plan and notes, each with its form for those who may write. The forms
// post to the handlers of forms.go, which show this page again with
// their errors (422) or a conflict (409).
//
// The result is evaluated live (not read from the nightly recompute) for
// the case's periods and facts, so that it equals what `finsam rules
// evaluate` answers for the same input, which the page shows as JSON.

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/form"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
)

// casePageState is how a form's answer shows the page again: the status,
// a message above the page, and the submitted form with its problems.
type casePageState struct {
	Status             int
	Notice, NoticeKind string
	// Form names the submitted form ("facts", "period", "note",
	// "decision", "action", "deadline-<id>", "action-<id>"); its inputs'
	// ids start with it.
	Form     string
	Problems site.Problems
	Values   url.Values
	// Print shows the page for paper (GET /arenden/{id}/utskrift).
	Print bool
}

// caseForm is the state of one form on the page: the values to show and
// the errors by field.
type caseForm struct {
	Lang   string
	Prefix string
	Values url.Values
	Errors map[string]string
}

// V is the value of a field as submitted, or def.
func (f caseForm) V(field, def string) string {
	if f.Values != nil {
		if _, ok := f.Values[field]; ok {
			return f.Values.Get(field)
		}
	}
	return def
}

// E is the error message of a field, or "".
func (f caseForm) E(field string) string { return f.Errors[field] }

// ID is the input id of a field.
func (f caseForm) ID(field string) string { return f.Prefix + "-" + field }

// Label is the label of a field's input.
func (f caseForm) Label(field string) string { return translate(f.Lang, "case.field."+field) }

// Summary is the error summary of the form's problems: each names its
// field and links to its input.
func (f caseForm) Summary(ps site.Problems) []form.Link {
	return form.Summary(ps, f.ID, f.Label, func(p site.Problem) string { return p.Message(feature.Words, f.Lang, "case.err.") })
}

// Open tells whether the form was submitted with problems, so that a
// folded form is shown open.
func (f caseForm) Open() bool { return len(f.Errors) > 0 }

// Input is a control of the form: kind is "text", "date", "textarea" or
// "checkbox"; def the value before anything was submitted; hint a
// message id or "". The label is the message "case.field.<field>".
func (f caseForm) Input(field, kind, def, hint string) form.Input {
	in := form.Input{ID: f.ID(field), Name: field, Kind: kind, Value: f.V(field, def), Error: f.E(field),
		Label: f.Label(field)}
	if hint != "" {
		in.Hint = translate(f.Lang, hint)
	}
	switch kind {
	case "date":
		in.Max = 10
		if in.Hint == "" {
			in.Hint = translate(f.Lang, "case.hint.date")
		}
	case "textarea":
		in = in.Counted(f.Lang, maxCaseText)
	case "checkbox":
		in.Checked = isChecked(in.Value)
	default:
		in.Max = maxCaseLine
	}
	return in
}

// Select is a select of the form with its options (already marked
// selected).
func (f caseForm) Select(field string, options []site.Choice) form.Input {
	return form.Input{ID: f.ID(field), Name: field, Kind: "select", Error: f.E(field),
		Label: translate(f.Lang, "case.field."+field), Options: options}
}

// GroupSelect is a select with option groups.
func (f caseForm) GroupSelect(field string, groups []site.ChoiceGroup) form.Input {
	return form.Input{ID: f.ID(field), Name: field, Kind: "select", Error: f.E(field),
		Label: translate(f.Lang, "case.field."+field), Groups: groups}
}

// caseData is what case.html shows.
type caseData struct {
	ID                                                  int64
	Version                                             int
	Person                                              personView
	Municipality, Office, Group, Assignee, Status, Span string
	Recomputed                                          string
	MayWrite, MayAssign, ShowDiagnoses                  bool
	Closed                                              bool
	Notice, NoticeKind                                  string
	Errors                                              []form.Link

	// Print is the print view: read only, "Så räknade vi" open, and a
	// header on every printed page with who printed it and when.
	Print                bool
	PrintedBy, PrintedAt string

	Today    string
	Date     string // the date evaluated, today unless ?datum= asks for another
	Result   *caseResult
	Problem  string // the rules engine's refusal, in words
	DateForm caseForm

	Timeline      template.HTML
	TimelineItems []rulesview.TimelineItem
	Legend        []rulesview.LegendItem

	Deadlines    []deadlineView
	Warnings     []warningView
	Periods      []periodView
	Certificates []certificateRow
	Facts        []fact
	Decisions    []decisionView
	Actions      []actionView
	Notes        []noteView

	FactsForm, PeriodForm, NoteForm, DecisionForm, ActionForm, MoveForm caseForm

	Employments, Degrees, Outcomes, NoteKinds, Channels, ActionStatuses []site.Choice
	Owners                                                              []site.ChoiceGroup
	Assignees                                                           []site.Choice
	// MoveOffice is the select of where a manager may move the case: it
	// starts on "Välj kontor", never on an office.
	MoveOffice form.Input
}

// caseResult is the rules engine's answer on the page.
type caseResult struct {
	Facts      []fact
	Milestones []fact
	Trace      []traceRow
	InputJSON  string
	// Provisional names the parameters carried forward past their newest
	// value, for the notice.
	Provisional []string
}

type deadlineView struct {
	ID                             int64
	Label, Ref, Due, Days          string
	Status, StatusText, BadgeClass string
	Done, Overdue                  bool
	Closed                         string // who closed it and when, or "automatically"
	Note                           string
	Form                           caseForm
}

type warningView struct {
	Label, Reason, Rule, Ref, Raised string
}

type periodView struct {
	From, To, Degree string
	CertificateID    int64
	Source           string
	// Disagreed lists the other periods in force on these days with
	// another degree ("Läkarintyg 12: 100 %").
	Disagreed []string
}

// decidedPeriodViews are the case's periods as the rules engine takes
// them, each with the certificate (or the period entered by hand) that
// decides it and where the others disagreed.
func decidedPeriodViews(lang string, periods []store.Period) []periodView {
	byID := make(map[int64]store.Period, len(periods))
	for _, p := range periods {
		byID[p.ID] = p
	}
	source := func(periodID, certID int64) string {
		if certID != 0 {
			return translate(lang, "case.period.certificate") + " " + strconv.FormatInt(certID, 10)
		}
		return translate(lang, "case.period.manual") + ": " + byID[periodID].Source
	}
	var out []periodView
	for _, d := range casework.ConsolidatePeriods(periods) {
		pv := periodView{From: d.From.String(), To: d.To.String(), Degree: strconv.Itoa(d.Degree) + " %",
			CertificateID: d.CertificateID, Source: byID[d.PeriodID].Source}
		for _, o := range d.Overruled {
			pv.Disagreed = append(pv.Disagreed, source(o.PeriodID, o.CertificateID)+": "+strconv.Itoa(o.Degree)+" %")
		}
		out = append(out, pv)
	}
	return out
}

type decisionView struct {
	Outcome, DecidedOn, Paragraph, Justification, Author, Created string
}

type actionView struct {
	ID                 int64
	Title, Owner, Due  string
	Status, StatusText string
	Overdue            bool
	Form               caseForm
	Statuses           []site.Choice
	CreatedBy, Updated string
}

type noteView struct {
	Kind, ContactOn, Channel, Body, Author, Created string
	Contact                                         bool
}

// Page is GET /arenden/{id}, with the message of a write that redirected
// here (a flash) above it.
func (s *Handlers) Page(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	st := casePageState{Status: http.StatusOK}
	if n := s.TakeFlash(w, r, site.Language(w, r)); n != "" {
		st.Notice, st.NoticeKind = n, "success"
	}
	return s.renderCase(w, r, a, st)
}

// renderCase reads the case afresh and shows its page in state st.
func (s *Handlers) renderCase(w http.ResponseWriter, r *http.Request, a *site.Actor, st casePageState) error {
	c, fk, err := s.LoadCase(w, r, a, policy.ReadPerson)
	if err != nil {
		return err
	}
	purpose, asked, err := s.PurposeOrAsk(w, r, a, c)
	if asked || err != nil {
		return err
	}
	lang := site.Language(w, r)
	d, err := s.caseView(r.Context(), lang, a, fk, c, r.URL.Query(), st)
	if err != nil {
		return site.Unavailable("case page", err)
	}
	events := s.caseReadEvents(r, a, c, d.ShowDiagnoses)
	if st.Print {
		d.printView(a, s.Now())
		e := s.CaseEvent(r, a, "print_case", c)
		e.Purpose = events[0].Purpose
		events = append(events, e)
	}
	for i := range events {
		events[i].Purpose += purpose
	}
	s.AuditRead(r, a, events...)
	s.Render(w, r, st.Status, "case", site.Page{Lang: lang, Title: translate(lang, "case.title") + " " + itoa(c.ID), Actor: a, Data: d})
	return nil
}

// rulesInputOf is the rules engine's input for a case on date: its periods
// (those of the person within the case's first and last day, as the
// recompute reads them) and facts.
func rulesInputOf(c store.Case, periods []store.Period, date civil.Date) rules.Input {
	in := rules.Input{Date: date, Employment: rules.Employment(c.Employment),
		AnnualIncome: float64(c.AnnualIncomeOre) / 100, SeriousIllness: c.SeriousIllness,
		BirthDate: casework.BirthDate(c.Personnummer, date)}
	// Overlapping certificates are consolidated as case work does: the
	// engine gets one degree per day.
	in.Periods = casework.RulesPeriods(casework.ConsolidatePeriods(periods))
	return in
}

// casePeriods reads the case's periods.
func (s *Handlers) casePeriods(ctx context.Context, q store.Querier, c store.Case) ([]store.Period, error) {
	return store.PersonPeriods(ctx, q, c.PersonID, c.FirstDay, c.LastDay)
}

// caseView gathers everything the page shows: the case's heading, its
// forms in state st, the rules engine's result on the date asked for, the
// case's records, the timeline and the forms' choices.
func (s *Handlers) caseView(ctx context.Context, lang string, a *site.Actor, fk organisation.Organisation, c store.Case, q url.Values, st casePageState) (caseData, error) {
	T := func(id string) string { return translate(lang, id) }
	today := s.Today()
	d := caseData{ID: c.ID, Version: c.Version, Person: newPersonView(lang, a, c), Office: c.OfficeName, Group: c.CustomerGroupName,
		Assignee: c.Assignee, Status: T("case.status." + c.Status), Closed: c.Status == store.CaseClosed, Span: period(c.FirstDay, c.LastDay),
		MayWrite: s.may(a, policy.WritePerson, fk, c), MayAssign: s.may(a, policy.AssignCases, fk, c),
		ShowDiagnoses: s.may(a, policy.ReadDiagnoses, fk, c), Notice: st.Notice, NoticeKind: st.NoticeKind,
		Today: today.String()}
	if d.Person.Hidden {
		d.Municipality = "–"
	} else {
		d.Municipality = c.MunicipalityCode
	}
	if d.Assignee == "" {
		d.Assignee = T("case.unassigned")
	}
	if !c.RecomputedAt.IsZero() {
		d.Recomputed = site.LocalTime(c.RecomputedAt)
	}
	formFor := d.setForms(lang, st)

	periods, err := s.casePeriods(ctx, s.Store, c)
	if err != nil {
		return d, err
	}
	if err := s.evaluateOn(&d, lang, c, periods, today, q.Get("datum")); err != nil {
		return d, err
	}
	r, err := s.readCaseRecords(ctx, c.ID)
	if err != nil {
		return d, err
	}
	r.periods = periods
	d.setRecords(lang, today, c, r, formFor)

	// The timeline of the whole case.
	tl := s.buildCaseTimeline(lang, c, periods, r.certs, r.deadlines, r.decisions, r.actions, today)
	d.Timeline = rulesview.TimelineSVG(tl, lang, "case-timeline")
	d.TimelineItems = rulesview.TimelineItems(tl, lang)
	d.Legend = rulesview.TimelineLegend(tl, lang)

	d.setChoices(lang, c)
	if d.MayWrite {
		if err := s.setPlanOwners(ctx, &d, lang, c); err != nil {
			return d, err
		}
	}
	if d.MayAssign {
		if err := s.setAssignment(ctx, &d, lang, fk, c); err != nil {
			return d, err
		}
	}
	return d, nil
}

// setForms gives each of the page's forms its state: the submitted form
// (st.Form) keeps what was typed and shows its problems, the others start
// empty. It returns the same step for the forms of one row (a deadline's,
// an action's).
func (d *caseData) setForms(lang string, st casePageState) func(prefix string) caseForm {
	formFor := func(prefix string) caseForm {
		f := caseForm{Lang: lang, Prefix: prefix}
		if st.Form == prefix {
			f.Values = st.Values
			f.Errors = map[string]string{}
			for _, p := range st.Problems {
				f.Errors[p.Field] = p.Message(feature.Words, lang, "case.err.")
			}
		}
		return f
	}
	forms := map[string]*caseForm{"facts": &d.FactsForm, "period": &d.PeriodForm, "note": &d.NoteForm,
		"decision": &d.DecisionForm, "action": &d.ActionForm, "move": &d.MoveForm}
	for prefix, f := range forms {
		*f = formFor(prefix)
	}
	d.Errors = caseForm{Lang: lang, Prefix: st.Form}.Summary(st.Problems)
	return formFor
}

// evaluateOn puts the rules engine's result for the case on the page, on
// the date asked for (?datum=) or today when none or an invalid one is
// asked for; an invalid date is shown in the date form with its problem.
// The engine refusing the case's input is shown in words, not as an error.
func (s *Handlers) evaluateOn(d *caseData, lang string, c store.Case, periods []store.Period, today civil.Date, asked string) error {
	T := func(id string) string { return translate(lang, id) }
	d.DateForm = caseForm{Lang: lang, Prefix: "eval"}
	date := today
	if asked != "" {
		if dd, err := civil.Parse(asked); err == nil {
			date = dd
		} else {
			d.DateForm.Values = url.Values{"datum": {asked}}
			d.DateForm.Errors = map[string]string{"datum": T("case.err.invalid_date")}
		}
	}
	d.Date = date.String()
	in := rulesInputOf(c, periods, date)
	res, err := s.Engine().Evaluate(in, rules.Options{Trace: true})
	var re *rules.Error
	switch {
	case errors.As(err, &re):
		// The engine's own message names its input's fields: the page
		// says what is wrong in the case's words.
		d.Problem = T("case.rules_problem")
		if m := T("case.rules_problem." + re.Code); m != "case.rules_problem."+re.Code {
			d.Problem = m
		}
	case err != nil:
		return err
	default:
		d.Result = caseResultView(lang, in, res)
	}
	return nil
}

// caseRecords are the case's stored records the page lists and the
// timeline draws.
type caseRecords struct {
	periods   []store.Period
	deadlines []store.CaseDeadline
	warnings  []store.CaseWarning
	certs     []store.CertificateSummary
	decisions []store.CaseDecision
	actions   []store.PlanAction
	notes     []store.CaseNote
}

// readCaseRecords reads the case's deadlines, warnings, certificates,
// decisions, plan actions and notes (the periods are read before, for
// the rules engine).
func (s *Handlers) readCaseRecords(ctx context.Context, caseID int64) (r caseRecords, err error) {
	if r.deadlines, err = store.CaseDeadlines(ctx, s.Store, caseID); err != nil {
		return r, err
	}
	if r.warnings, err = store.CaseWarnings(ctx, s.Store, caseID); err != nil {
		return r, err
	}
	if r.certs, err = store.CaseCertificates(ctx, s.Store, caseID); err != nil {
		return r, err
	}
	if r.decisions, err = store.CaseDecisions(ctx, s.Store, caseID); err != nil {
		return r, err
	}
	if r.actions, err = store.PlanActions(ctx, s.Store, caseID); err != nil {
		return r, err
	}
	r.notes, err = store.CaseNotes(ctx, s.Store, caseID)
	return r, err
}

// setRecords lays out the case's records in lang: deadlines, warnings,
// periods, certificates, the facts (and the facts form's values when it
// was not submitted), decisions, plan actions and notes.
func (d *caseData) setRecords(lang string, today civil.Date, c store.Case, r caseRecords, formFor func(string) caseForm) {
	T := func(id string) string { return translate(lang, id) }
	for _, dl := range r.deadlines {
		d.Deadlines = append(d.Deadlines, newDeadlineView(lang, today, dl, formFor("deadline-"+itoa(dl.ID))))
	}
	for _, wn := range r.warnings {
		cw := casework.Warning{Kind: wn.Kind, Rule: wn.Rule, Ref: wn.Ref, Args: wn.Args}
		d.Warnings = append(d.Warnings, warningView{Label: casework.WarningLabel(wn.Kind, lang), Reason: cw.Reason(lang),
			Rule: wn.Rule, Ref: wn.Ref, Raised: storedDay(wn.RaisedOn).String()})
	}
	d.Periods = decidedPeriodViews(lang, r.periods)
	for _, ct := range r.certs {
		d.Certificates = append(d.Certificates, newCertificateRow(ct, d.ShowDiagnoses))
	}

	d.Facts = []fact{
		{T("calc.employment"), T("calc.employment." + c.Employment)},
		{T("case.facts.income"), rulesview.FormatInt(lang, c.AnnualIncomeOre/100) + " kr"},
		{T("case.facts.employer"), employerText(lang, c)},
		{T("calc.serious"), yesNo(lang, c.SeriousIllness)},
	}
	if d.FactsForm.Values == nil {
		d.FactsForm.Values = url.Values{"employment": {c.Employment}, "annual_income_kr": {strconv.FormatInt(c.AnnualIncomeOre/100, 10)},
			"employer_org_number": {c.EmployerOrgNumber}, "employer_name": {c.EmployerName}}
		if c.SeriousIllness {
			d.FactsForm.Values.Set("serious_illness", "on")
		}
	}

	for _, x := range r.decisions {
		d.Decisions = append(d.Decisions, decisionView{Outcome: T("case.outcome." + x.Outcome), DecidedOn: storedDay(x.DecidedOn).String(),
			Paragraph: x.Paragraph, Justification: x.Justification, Author: x.Author, Created: site.LocalTime(x.CreatedAt)})
	}
	for _, x := range r.actions {
		av := actionView{ID: x.ID, Title: x.Title, Owner: x.OwnerName, Due: storedDay(x.Due).String(), Status: x.Status,
			StatusText: T("case.action.status." + x.Status), CreatedBy: x.CreatedBy, Updated: site.LocalTime(x.UpdatedAt),
			Form: formFor("action-" + itoa(x.ID))}
		av.Overdue = (x.Status == store.ActionPlanned || x.Status == store.ActionOngoing) && today.After(storedDay(x.Due))
		cur := av.Form.V("status", x.Status)
		for _, s := range caseActionStatuses {
			av.Statuses = append(av.Statuses, site.Choice{Value: s, Label: T("case.action.status." + s), Selected: s == cur})
		}
		d.Actions = append(d.Actions, av)
	}
	for _, n := range r.notes {
		nv := noteView{Kind: T("case.note.kind." + n.Kind), Body: n.Body, Author: n.Author, Created: site.LocalTime(n.CreatedAt),
			Contact: n.Kind == store.NoteContact}
		if nv.Contact {
			nv.ContactOn = storedDay(n.ContactOn).String()
			nv.Channel = T("case.note.channel." + n.Channel)
		}
		d.Notes = append(d.Notes, nv)
	}
}

// setChoices fills the selects of the page's forms, each on what its form
// holds or on its default.
func (d *caseData) setChoices(lang string, c store.Case) {
	T := func(id string) string { return translate(lang, id) }
	sel := func(f caseForm, field, def string, values []string, label func(string) string) []site.Choice {
		cur := f.V(field, def)
		var out []site.Choice
		for _, v := range values {
			out = append(out, site.Choice{Value: v, Label: label(v), Selected: v == cur})
		}
		return out
	}
	d.Employments = sel(d.FactsForm, "employment", c.Employment, caseEmployments, func(v string) string { return T("calc.employment." + v) })
	d.Degrees = sel(d.PeriodForm, "degree", "100", caseDegrees, func(v string) string { return v + " %" })
	d.Outcomes = sel(d.DecisionForm, "outcome", "", caseOutcomes, func(v string) string { return T("case.outcome." + v) })
	d.NoteKinds = sel(d.NoteForm, "kind", store.NoteContact, caseNoteKinds, func(v string) string { return T("case.note.kind." + v) })
	d.Channels = sel(d.NoteForm, "channel", "phone", caseChannels, func(v string) string { return T("case.note.channel." + v) })
	d.ActionStatuses = sel(d.ActionForm, "status", store.ActionPlanned, caseActionStatuses, func(v string) string { return T("case.action.status." + v) })
}

// setPlanOwners fills the plan action form's owners, grouped by kind of
// organisation, for a reader who may write.
func (s *Handlers) setPlanOwners(ctx context.Context, d *caseData, lang string, c store.Case) error {
	owners, err := s.planOwners(ctx, c)
	if err != nil {
		return err
	}
	cur := d.ActionForm.V("owner_org_id", "")
	for _, o := range owners {
		label := s.T(lang, "admin.orgtype."+string(o.Type))
		if len(d.Owners) == 0 || d.Owners[len(d.Owners)-1].Label != label {
			d.Owners = append(d.Owners, site.ChoiceGroup{Label: label})
		}
		g := &d.Owners[len(d.Owners)-1]
		g.Options = append(g.Options, site.Choice{Value: itoa(o.ID), Label: o.Name, Selected: itoa(o.ID) == cur})
	}
	return nil
}

// setAssignment fills what a manager may change about who handles the
// case: its case worker, and the office it may be moved to (starting on
// "Välj kontor", never on an office; no select where there is none).
func (s *Handlers) setAssignment(ctx context.Context, d *caseData, lang string, fk organisation.Organisation, c store.Case) (err error) {
	T := func(id string) string { return translate(lang, id) }
	if d.Assignees, err = s.assigneeChoices(ctx, lang, c.OfficeID); err != nil {
		return err
	}
	for i := range d.Assignees {
		d.Assignees[i].Selected = d.Assignees[i].Value == itoa(c.AssignedUserID) || (c.AssignedUserID == 0 && d.Assignees[i].Value == "")
	}
	offices, err := store.Offices(ctx, s.Store, fk.ID)
	if err != nil {
		return err
	}
	targets := moveTargets(offices, c.OfficeID)
	d.MoveOffice = form.Input{ID: d.MoveForm.ID("office"), Name: "office", Kind: "select", Error: d.MoveForm.E("office"),
		Label: T("case.move"), Hint: T("case.move.hint"), Options: []site.Choice{{Value: "", Label: T("case.move.choose")}}}
	for _, o := range targets {
		d.MoveOffice.Options = append(d.MoveOffice.Options, site.Choice{Value: itoa(o.ID), Label: o.Name})
	}
	if len(targets) == 0 {
		d.MoveOffice.Options = nil
	}
	d.MoveOffice.Options = form.Selecting(d.MoveOffice.Options, d.MoveForm.V("office", ""))
	return nil
}

// caseResultView lays out the engine's answer with the rules it applied,
// in the calculator's words.
func caseResultView(lang string, in rules.Input, res rules.Result) *caseResult {
	T := func(id string) string { return translate(lang, id) }
	kr := func(n int64) string { return rulesview.FormatInt(lang, n) + " kr" }
	v := &caseResult{Provisional: rulesview.ProvisionalLabels(lang, res)}
	if b, err := json.Marshal(in); err == nil {
		v.InputJSON = string(b)
	}
	v.Facts = append(v.Facts, fact{T("calc.sick"), yesNo(lang, res.Sick)})
	if res.Sick {
		v.Facts = append(v.Facts, fact{T("calc.chain_day"), strconv.Itoa(res.ChainDay)},
			fact{T("case.phase"), phaseText(res.ChainPhase)})
	}
	v.Facts = append(v.Facts,
		fact{T("calc.payer"), T("calc.payer." + res.Payer)},
		fact{T("calc.level"), T("calc.level." + res.Level)},
		fact{T("calc.daily_amount"), kr(res.DailyAmount)},
		fact{T("calc.full_daily_amount"), kr(res.FullDailyAmount.Normal) + " " + T("calc.at_normal") + ", " +
			kr(res.FullDailyAmount.Continuation) + " " + T("calc.at_continuation")},
		fact{T("calc.sgi"), kr(res.SGI)},
		fact{T("calc.frame_days"), strconv.Itoa(res.FrameDays) + " " + T("calc.frame_days.of")},
		fact{T("calc.time_limit"), yesNo(lang, res.TimeLimitReached)},
	)
	date := func(d rules.Date) string {
		if d.IsZero() {
			return T("calc.not_applicable")
		}
		days := daysText(lang, res.Date, d)
		return d.String() + " (" + days + ")"
	}
	ms := res.Milestones
	v.Milestones = []fact{
		{T("calc.ms.day_91"), date(ms.Day91)},
		{T("calc.ms.day_181"), date(ms.Day181)},
		{T("calc.ms.day_366"), date(ms.Day366)},
		{T("calc.ms.continuation_level"), date(ms.ContinuationLevel)},
		{T("calc.ms.time_limit"), date(ms.TimeLimit)},
	}
	for _, st := range res.Trace {
		v.Trace = append(v.Trace, traceRow{Step: T("calc.step." + st.Step), Ref: st.Ref, Value: rulesview.TraceValueText(lang, st)})
	}
	return v
}

func yesNo(lang string, b bool) string {
	if b {
		return translate(lang, "calc.yes")
	}
	return translate(lang, "calc.no")
}

// employerText is the employer as the facts list shows it.
func employerText(lang string, c store.Case) string {
	switch {
	case c.EmployerName != "" && c.EmployerOrgNumber != "":
		return c.EmployerName + " (" + c.EmployerOrgNumber + ")"
	case c.EmployerName != "":
		return c.EmployerName
	case c.EmployerOrgNumber != "":
		return c.EmployerOrgNumber
	}
	return translate(lang, "case.facts.no_employer")
}

// newDeadlineView lays out one deadline with its status in words: open,
// overdue (with how late) or done (by whom, or automatically because the
// facts show it met).
func newDeadlineView(lang string, today civil.Date, dl store.CaseDeadline, f caseForm) deadlineView {
	T := func(id string) string { return translate(lang, id) }
	due := storedDay(dl.Due)
	v := deadlineView{ID: dl.ID, Label: casework.DeadlineLabel(dl.Kind, lang), Ref: dl.Ref, Due: due.String(),
		Done: dl.Done, Note: dl.Note, Form: f}
	switch {
	case dl.Done:
		v.Status, v.BadgeClass = "done", "badge--success"
		if dl.Auto || dl.ClosedBy == "" {
			v.Closed = T("case.deadline.auto")
		} else {
			v.Closed = dl.ClosedBy + ", " + site.LocalTime(dl.ClosedAt)
		}
	case today.After(due):
		v.Status, v.BadgeClass, v.Overdue = "overdue", "badge--error", true
		v.Days = daysText(lang, today, due)
	default:
		v.Status, v.BadgeClass = "open", "badge--warning"
		v.Days = daysText(lang, today, due)
	}
	v.StatusText = T("case.deadline.status." + v.Status)
	return v
}

// planOwners are the organisations a plan action may belong to: FK and AF,
// and the region and municipality where the person lives (every region and
// municipality when that is not known).
func (s *Handlers) planOwners(ctx context.Context, c store.Case) ([]organisation.Organisation, error) {
	var out []organisation.Organisation
	for _, t := range []organisation.Type{organisation.FK, organisation.AF} {
		orgs, err := store.Organisations(ctx, s.Store, t)
		if err != nil {
			return nil, err
		}
		out = append(out, orgs...)
	}
	if c.MunicipalityCode != "" {
		m, err := store.OrganisationByCode(ctx, s.Store, organisation.Municipality, c.MunicipalityCode)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return nil, err
		default:
			if m.ParentID != 0 {
				region, err := store.OrganisationByID(ctx, s.Store, m.ParentID)
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					return nil, err
				}
				if err == nil {
					out = append(out, region)
				}
			}
			return append(out, m), nil
		}
	}
	for _, t := range []organisation.Type{organisation.Region, organisation.Municipality} {
		orgs, err := store.Organisations(ctx, s.Store, t)
		if err != nil {
			return nil, err
		}
		out = append(out, orgs...)
	}
	return out, nil
}

// planOwnerIDs are the ids of planOwners, for validation.
func (s *Handlers) planOwnerIDs(ctx context.Context, c store.Case) ([]int64, error) {
	orgs, err := s.planOwners(ctx, c)
	ids := make([]int64, len(orgs))
	for i, o := range orgs {
		ids[i] = o.ID
	}
	return ids, err
}

// certificateRow is a certificate of the case in its table.
type certificateRow struct {
	ID                              int64
	Signed, Diagnosis, Period, Unit string
	Score                           int
}

func newCertificateRow(c store.CertificateSummary, diagnoses bool) certificateRow {
	row := certificateRow{ID: c.ID, Signed: c.SignedAt.In(site.Stockholm).Format(time.DateOnly), Period: period(c.FirstDay, c.LastDay),
		Unit: c.UnitName, Score: c.QualityScore}
	if diagnoses {
		row.Diagnosis = certview.DisplayDiagnosis(c.DiagnosisCode)
	}
	return row
}

// period is a stored period as the page writes it.
func period(from, to time.Time) string {
	return from.Format(time.DateOnly) + " – " + to.Format(time.DateOnly)
}

// fact and traceRow are a row of facts and of the rules' trace on the
// page, the shapes the calculator's page has too (the partial template
// "rules-trace" draws the trace).
type (
	fact     struct{ Label, Value string }
	traceRow struct{ Step, Ref, Value string }
)
