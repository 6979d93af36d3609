package cases

// The case work API: the worklist, a case with the rules
// engine's result, its deadlines, decisions and plan actions, as JSON for
// signed-in users (the session cookie; unsafe methods pass the same
// cross-origin protection as every other route). Access, audit and
// validation are the pages' (cases.go, validate.go): a case of
// another office or organisation is 404; a write carries the case's
// version and answers 409 stale_version when someone saved first, 422
// with a code per field when the input is wrong, and nothing is written
// in either case.

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/caseaccess"
	"github.com/finsam/finsam/web/internal/site"
)

// maxCaseAPIBytes bounds a write's JSON body.
const maxCaseAPIBytes = 64 << 10

// apiRef names a related object.
type apiRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func ref(id int64, name string) *apiRef {
	if id == 0 {
		return nil
	}
	return &apiRef{ID: id, Name: name}
}

// apiPerson is a case's person. Name and personnummer are null when the
// person has a protected identity and the reader is not the case worker
// handling the case.
type apiPerson struct {
	Name              *string `json:"name"`
	Personnummer      *string `json:"personnummer"`
	ProtectedIdentity bool    `json:"protected_identity"`
}

func newAPIPerson(a *site.Actor, c store.Case) apiPerson {
	p := apiPerson{ProtectedIdentity: c.ProtectedIdentity}
	if c.ProtectedIdentity && !seesProtected(a, c) {
		return p
	}
	name, pnr := c.PersonName, newPersonView("sv", a, c).Number
	p.Name, p.Personnummer = &name, &pnr
	return p
}

type apiMilestone struct {
	Kind     string     `json:"kind"`
	Date     civil.Date `json:"date"`
	DaysLeft int        `json:"days_left"`
}

type apiNextDeadline struct {
	Kind     string     `json:"kind"`
	Label    string     `json:"label"`
	Due      civil.Date `json:"due"`
	DaysLeft int        `json:"days_left"`
	Overdue  bool       `json:"overdue"`
}

// apiCaseSummary is a case on the worklist: where it stood at its last
// recompute (evaluated_on).
type apiCaseSummary struct {
	ID            int64            `json:"id"`
	Version       int              `json:"version"`
	Status        string           `json:"status"`
	Person        apiPerson        `json:"person"`
	Office        *apiRef          `json:"office"`
	CustomerGroup *apiRef          `json:"customer_group"`
	Assignee      *apiRef          `json:"assignee"`
	FirstDay      civil.Date       `json:"first_day"`
	LastDay       civil.Date       `json:"last_day"`
	EvaluatedOn   civil.Date       `json:"evaluated_on"`
	EvalError     string           `json:"eval_error"`
	Sick          bool             `json:"sick"`
	ChainDay      int              `json:"chain_day"`
	Phase         string           `json:"phase"`
	Degree        int              `json:"degree"`
	NextMilestone *apiMilestone    `json:"next_milestone"`
	NextDeadline  *apiNextDeadline `json:"next_deadline"`
	Warnings      []string         `json:"warnings"`
	LastEventAt   *time.Time       `json:"last_event_at"`
}

func newAPICaseSummary(a *site.Actor, today civil.Date, c store.Case, warnings []string) apiCaseSummary {
	v := apiCaseSummary{ID: c.ID, Version: c.Version, Status: c.Status, Person: newAPIPerson(a, c),
		Office: ref(c.OfficeID, c.OfficeName), CustomerGroup: ref(c.CustomerGroupID, c.CustomerGroupName),
		Assignee: ref(c.AssignedUserID, c.Assignee), FirstDay: storedDay(c.FirstDay), LastDay: storedDay(c.LastDay),
		EvaluatedOn: storedDay(c.EvalDate), EvalError: c.EvalError, Sick: c.Sick, ChainDay: c.ChainDay, Phase: c.Phase,
		Degree: c.Degree, Warnings: warnings}
	if v.Warnings == nil {
		v.Warnings = []string{}
	}
	if kind, d := nextMilestone(today, c.CaseState); kind != "" {
		v.NextMilestone = &apiMilestone{Kind: kind, Date: d, DaysLeft: d.Sub(today)}
	}
	if due := storedDay(c.NextDue); !c.NextDue.Equal(store.NoDue) && !due.IsZero() {
		v.NextDeadline = &apiNextDeadline{Kind: c.NextKind, Label: casework.DeadlineLabel(c.NextKind, "en"), Due: due,
			DaysLeft: due.Sub(today), Overdue: today.After(due)}
	}
	if !c.LastEventAt.IsZero() {
		t := c.LastEventAt
		v.LastEventAt = &t
	}
	return v
}

type apiCaseList struct {
	Cases []apiCaseSummary `json:"cases"`
	Count int              `json:"count"`
	// CountIsLimit is true when there are more than Count cases: counting
	// stops at worklistCountLimit.
	CountIsLimit bool    `json:"count_is_limit"`
	NextCursor   *string `json:"next_cursor"`
}

// APICases is GET /api/v1/cases: the worklist, with the page's filters and
// a keyset cursor.
func (s *Handlers) APICases(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	fk, err := s.fkOrganisation(ctx, "cases API")
	if err != nil {
		return err
	}
	if err := s.Authorize(r, a, policy.ReadPerson, policy.Resource{OrgID: fk.ID, Now: s.Now()}, "worklist", ""); err != nil {
		return err
	}
	f, probs := parseWorklistFilter(r.URL.Query(), true)
	if probs.Any() {
		return probs.WithMessages("worklist.problem.")
	}
	sc, err := s.resolveScope(w, r, a, fk, f, a.ManagesCases())
	if err != nil {
		return err
	}
	rows, next, err := store.Worklist(ctx, s.Store, sc.Query)
	if err != nil {
		return site.Unavailable("cases API: worklist", err)
	}
	n, more, err := store.WorklistCountUpTo(ctx, s.Store, sc.Query, worklistCountLimit)
	if err != nil {
		return site.Unavailable("cases API: count", err)
	}
	today := s.Today()
	out := apiCaseList{Cases: []apiCaseSummary{}, Count: n, CountIsLimit: more}
	listed := make([]string, 0, len(rows))
	for _, row := range rows {
		out.Cases = append(out.Cases, newAPICaseSummary(a, today, row.Case, row.Warnings))
		listed = append(listed, row.Personnummer)
	}
	if !next.IsZero() {
		c := next.String()
		out.NextCursor = &c
	}
	if e, ok := s.ListEvent(r, a, r.URL.Path, listed); ok {
		s.AuditRead(r, a, e)
	}
	return site.WriteAuditedJSON(w, a, http.StatusOK, out)
}

type apiFacts struct {
	Employment        string `json:"employment"`
	AnnualIncomeKr    int64  `json:"annual_income_kr"`
	EmployerOrgNumber string `json:"employer_org_number"`
	EmployerName      string `json:"employer_name"`
	SeriousIllness    bool   `json:"serious_illness"`
}

type apiPeriod struct {
	From          civil.Date `json:"from"`
	To            civil.Date `json:"to"`
	Degree        int        `json:"degree"`
	Source        string     `json:"source"`
	CertificateID *int64     `json:"certificate_id"`
}

type apiDeadline struct {
	ID       int64      `json:"id"`
	Kind     string     `json:"kind"`
	Key      string     `json:"key"`
	Label    string     `json:"label"`
	Due      civil.Date `json:"due"`
	Ref      string     `json:"ref"`
	Status   string     `json:"status"`
	Auto     bool       `json:"auto"`
	ClosedBy *string    `json:"closed_by"`
	ClosedAt *time.Time `json:"closed_at"`
	Note     string     `json:"note"`
}

func newAPIDeadline(today civil.Date, d store.CaseDeadline) apiDeadline {
	v := apiDeadline{ID: d.ID, Kind: d.Kind, Key: d.Key, Label: casework.DeadlineLabel(d.Kind, "en"), Due: storedDay(d.Due),
		Ref: d.Ref, Status: "open", Auto: d.Auto, Note: d.Note}
	switch {
	case d.Done:
		v.Status = "done"
		if d.ClosedBy != "" {
			by := d.ClosedBy
			v.ClosedBy = &by
		}
		if !d.ClosedAt.IsZero() {
			at := d.ClosedAt
			v.ClosedAt = &at
		}
	case today.After(v.Due):
		v.Status = "overdue"
	}
	return v
}

type apiWarning struct {
	Kind     string     `json:"kind"`
	Label    string     `json:"label"`
	Reason   string     `json:"reason"`
	Rule     string     `json:"rule"`
	Ref      string     `json:"ref"`
	Args     []int      `json:"args"`
	RaisedOn civil.Date `json:"raised_on"`
}

type apiDecision struct {
	ID            int64      `json:"id"`
	Outcome       string     `json:"outcome"`
	DecidedOn     civil.Date `json:"decided_on"`
	Paragraph     string     `json:"paragraph"`
	Justification string     `json:"justification"`
	Author        string     `json:"author"`
	CreatedAt     time.Time  `json:"created_at"`
}

func newAPIDecision(d store.CaseDecision) apiDecision {
	return apiDecision{ID: d.ID, Outcome: d.Outcome, DecidedOn: storedDay(d.DecidedOn), Paragraph: d.Paragraph,
		Justification: d.Justification, Author: d.Author, CreatedAt: d.CreatedAt}
}

type apiPlanAction struct {
	ID         int64      `json:"id"`
	Title      string     `json:"title"`
	OwnerOrgID int64      `json:"owner_org_id"`
	OwnerName  string     `json:"owner_name"`
	Due        civil.Date `json:"due"`
	Status     string     `json:"status"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

func newAPIPlanAction(p store.PlanAction) apiPlanAction {
	return apiPlanAction{ID: p.ID, Title: p.Title, OwnerOrgID: p.OwnerOrgID, OwnerName: p.OwnerName, Due: storedDay(p.Due),
		Status: p.Status, CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// apiCaseDetail is one case with the rules engine's result for today (with
// its trace and milestones), deadlines, warnings and periods.
type apiCaseDetail struct {
	apiCaseSummary
	Facts     apiFacts      `json:"facts"`
	Periods   []apiPeriod   `json:"periods"`
	Result    *rules.Result `json:"result"`
	Problem   *rules.Error  `json:"result_error"`
	Deadlines []apiDeadline `json:"deadlines"`
	Warnings  []apiWarning  `json:"warnings_detail"`
}

// APICase is GET /api/v1/cases/{id}.
func (s *Handlers) APICase(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	c, err := s.readCaseAPI(w, r, a)
	if err != nil {
		return err
	}
	today := s.Today()
	periods, err := s.casePeriods(ctx, s.Store, c)
	if err != nil {
		return site.Unavailable("cases API: periods", err)
	}
	deadlines, err := store.CaseDeadlines(ctx, s.Store, c.ID)
	if err != nil {
		return site.Unavailable("cases API: deadlines", err)
	}
	warnings, err := store.CaseWarnings(ctx, s.Store, c.ID)
	if err != nil {
		return site.Unavailable("cases API: warnings", err)
	}
	var kinds []string
	for _, wn := range warnings {
		kinds = append(kinds, wn.Kind)
	}
	v := apiCaseDetail{apiCaseSummary: newAPICaseSummary(a, today, c, kinds), Periods: []apiPeriod{},
		Deadlines: []apiDeadline{}, Warnings: []apiWarning{},
		Facts: apiFacts{Employment: c.Employment, AnnualIncomeKr: c.AnnualIncomeOre / 100, EmployerOrgNumber: c.EmployerOrgNumber,
			EmployerName: c.EmployerName, SeriousIllness: c.SeriousIllness}}
	for _, p := range periods {
		ap := apiPeriod{From: storedDay(p.From), To: storedDay(p.To), Degree: p.Degree, Source: p.Source}
		if p.CertificateID != 0 {
			id := p.CertificateID
			ap.CertificateID = &id
		}
		v.Periods = append(v.Periods, ap)
	}
	res, err := s.Engine().Evaluate(rulesInputOf(c, periods, today), rules.Options{Trace: true})
	var re *rules.Error
	switch {
	case errors.As(err, &re):
		v.Problem = re
	case err != nil:
		return site.Unavailable("cases API: rules", err)
	default:
		v.Result = &res
	}
	for _, d := range deadlines {
		v.Deadlines = append(v.Deadlines, newAPIDeadline(today, d))
	}
	for _, wn := range warnings {
		cw := casework.Warning{Kind: wn.Kind, Rule: wn.Rule, Ref: wn.Ref, Args: wn.Args}
		args := wn.Args
		if args == nil {
			args = []int{}
		}
		v.Warnings = append(v.Warnings, apiWarning{Kind: wn.Kind, Label: casework.WarningLabel(wn.Kind, "en"), Reason: cw.Reason("en"),
			Rule: wn.Rule, Ref: wn.Ref, Args: args, RaisedOn: storedDay(wn.RaisedOn)})
	}
	return site.WriteAuditedJSON(w, a, http.StatusOK, v)
}

// APICaseDeadlines is GET /api/v1/cases/{id}/deadlines.
func (s *Handlers) APICaseDeadlines(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	today := s.Today()
	return caseListAPI(s, w, r, a, "deadlines", store.CaseDeadlines, func(d store.CaseDeadline) apiDeadline { return newAPIDeadline(today, d) })
}

// APICaseDecisions is GET /api/v1/cases/{id}/decisions.
func (s *Handlers) APICaseDecisions(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return caseListAPI(s, w, r, a, "decisions", store.CaseDecisions, newAPIDecision)
}

// APICasePlanActions is GET /api/v1/cases/{id}/plan-actions.
func (s *Handlers) APICasePlanActions(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	return caseListAPI(s, w, r, a, "plan_actions", store.PlanActions, newAPIPlanAction)
}

// caseListAPI answers one of a case's lists under name, with the case's
// version: the case is read as the API reads it (readCaseAPI), list reads
// its items and answer makes each the API's.
func caseListAPI[T, A any](s *Handlers, w http.ResponseWriter, r *http.Request, a *site.Actor, name string,
	list func(ctx context.Context, q store.Querier, caseID int64) ([]T, error), answer func(T) A) error {
	c, err := s.readCaseAPI(w, r, a)
	if err != nil {
		return err
	}
	items, err := list(r.Context(), s.Store, c.ID)
	if err != nil {
		return site.Unavailable("cases API: "+strings.ReplaceAll(name, "_", " "), err)
	}
	out := []A{}
	for _, it := range items {
		out = append(out, answer(it))
	}
	return site.WriteAuditedJSON(w, a, http.StatusOK, map[string]any{"version": c.Version, name: out})
}

// apiWrite is the API's side of an edit: it reads the JSON body into the
// form's fields, runs the edit and answers: 409 stale_version, 422 with
// the fields' codes, or done's answer with the case's new version.
func (s *Handlers) apiWrite(w http.ResponseWriter, r *http.Request, a *site.Actor, e caseEdit, body any, fields func() url.Values,
	done func(c store.Case, id int64) (int, any, error)) error {
	c, _, err := s.LoadCase(w, r, a, policy.WritePerson)
	if err != nil {
		return err
	}
	purpose, err := s.apiPurpose(r, a, c)
	if err != nil {
		return err
	}
	if err := site.ReadJSON(w, r, body, maxCaseAPIBytes); err != nil {
		return err
	}
	id, probs, err := s.runCaseEdit(r, a, c, e, fields(), purpose)
	switch {
	case errors.Is(err, errBadVersion):
		var ps site.Problems
		ps.AddDetail("version", "required", "", "send the version of the case the change was made from")
		return ps
	case errors.Is(err, store.ErrStale):
		return &site.Error{Status: http.StatusConflict, Code: "stale_version", Field: "version",
			Message: "the case was changed by someone else since that version; read it again and retry; nothing was written"}
	case errors.Is(err, store.ErrNotFound):
		return site.NotFound()
	case err != nil:
		return site.Unavailable("cases API: "+e.Action, err)
	case len(probs) > 0:
		return probs.WithMessages("case.err.")
	}
	after, err := store.CaseByID(r.Context(), s.Store, c.ID)
	if err != nil {
		return site.Unavailable("cases API: reread case", err)
	}
	status, v, err := done(after, id)
	if err != nil {
		return site.Unavailable("cases API: read back", err)
	}
	site.WriteJSON(w, status, v)
	return nil
}

func versionValue(v int) string {
	if v <= 0 {
		return ""
	}
	return strconv.Itoa(v)
}

// APICloseDeadline is POST /api/v1/cases/{id}/deadlines/{deadlineID}/close.
func (s *Handlers) APICloseDeadline(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	deadlineID, ok := site.PathID(r, "deadlineID")
	if !ok {
		return site.NotFound()
	}
	var body struct {
		Version int    `json:"version"`
		Note    string `json:"note"`
	}
	return s.apiWrite(w, r, a, s.editDeadline(a.UserID, deadlineID), &body,
		func() url.Values { return url.Values{"version": {versionValue(body.Version)}, "note": {body.Note}} },
		writtenItem(r.Context(), s, http.StatusOK, "deadline", store.CaseDeadlines, func(d store.CaseDeadline) int64 { return d.ID },
			func(d store.CaseDeadline) apiDeadline { return newAPIDeadline(s.Today(), d) }))
}

// APIAddDecision is POST /api/v1/cases/{id}/decisions.
func (s *Handlers) APIAddDecision(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var body struct {
		Version       int    `json:"version"`
		Outcome       string `json:"outcome"`
		DecidedOn     string `json:"decided_on"`
		Paragraph     string `json:"paragraph"`
		Justification string `json:"justification"`
	}
	return s.apiWrite(w, r, a, s.editDecision(a.UserID), &body,
		func() url.Values {
			return url.Values{"version": {versionValue(body.Version)}, "outcome": {body.Outcome}, "decided_on": {body.DecidedOn},
				"paragraph": {body.Paragraph}, "justification": {body.Justification}}
		},
		writtenItem(r.Context(), s, http.StatusCreated, "decision", store.CaseDecisions, func(d store.CaseDecision) int64 { return d.ID }, newAPIDecision))
}

// APIAddPlanAction is POST /api/v1/cases/{id}/plan-actions.
func (s *Handlers) APIAddPlanAction(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	var body struct {
		Version    int    `json:"version"`
		Title      string `json:"title"`
		OwnerOrgID int64  `json:"owner_org_id"`
		Due        string `json:"due"`
		Status     string `json:"status"`
	}
	return s.apiWrite(w, r, a, s.editPlanAction(a.UserID), &body,
		func() url.Values {
			owner := ""
			if body.OwnerOrgID != 0 {
				owner = itoa(body.OwnerOrgID)
			}
			return url.Values{"version": {versionValue(body.Version)}, "title": {body.Title}, "owner_org_id": {owner},
				"due": {body.Due}, "status": {body.Status}}
		},
		writtenItem(r.Context(), s, http.StatusCreated, "plan_action", store.PlanActions, func(p store.PlanAction) int64 { return p.ID }, newAPIPlanAction))
}

// writtenItem is apiWrite's answer for the item id an edit wrote: status
// with the case's version and, under name, the item of the case's list as
// answer makes it; store.ErrNotFound when the list lacks it.
func writtenItem[T, A any](ctx context.Context, s *Handlers, status int, name string,
	list func(ctx context.Context, q store.Querier, caseID int64) ([]T, error), idOf func(T) int64, answer func(T) A) func(store.Case, int64) (int, any, error) {
	return func(c store.Case, id int64) (int, any, error) {
		items, err := list(ctx, s.Store, c.ID)
		for _, it := range items {
			if idOf(it) == id {
				return status, map[string]any{"version": c.Version, name: answer(it)}, err
			}
		}
		return 0, nil, errors.Join(err, store.ErrNotFound)
	}
}

// apiPurpose is the API's side of the purpose prompt (purpose.go): a case
// worker reading or changing a case not assigned to them says why, as
// ?purpose=substitute|colleague|manager_request|coordination|other (with
// &purpose_text= for other). Without one the answer is 400
// purpose_required and nothing is read or written. It returns the audit
// suffix (" purpose=…", or "" when none is needed).
func (s *Handlers) apiPurpose(r *http.Request, a *site.Actor, c store.Case) (string, error) {
	if !caseaccess.NeedsPurpose(a, c) {
		return "", nil
	}
	q := r.URL.Query()
	p, ok := purposeValue(q.Get("purpose"), q.Get("purpose_text"))
	if !ok {
		return "", &site.Error{Status: http.StatusBadRequest, Code: "purpose_required", Field: "purpose",
			Message: "this case is not assigned to you: say why you open it with ?purpose=" + strings.Join(casePurposes, "|") +
				" (and purpose_text for other); it is written to the audit log"}
	}
	return " purpose=" + p, nil
}

// readCaseAPI loads the path's case for an API read and queues the read's
// audit entries, with the purpose when one is needed.
func (s *Handlers) readCaseAPI(w http.ResponseWriter, r *http.Request, a *site.Actor) (store.Case, error) {
	c, _, err := s.LoadCase(w, r, a, policy.ReadPerson)
	if err != nil {
		return c, err
	}
	purpose, err := s.apiPurpose(r, a, c)
	if err != nil {
		return c, err
	}
	events := s.caseReadEvents(r, a, c, false)
	for i := range events {
		events[i].Purpose += purpose
	}
	s.AuditRead(r, a, events...)
	return c, nil
}
