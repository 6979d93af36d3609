package cases

// The worklists: a case worker's own cases (/arenden) and
// a manager's view of an office or customer group (/arenden/kontor) with
// re-assignment of cases between the office's case workers. Both list
// cases in the order of their next due deadline, as the recompute stored
// it, a page at a time with a keyset cursor (store.Worklist), so a page
// costs the same on the first day and on the 200,000th case.

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
)

// worklistPerPage is how many cases a worklist page shows.
const worklistPerPage = 50

// worklistCountLimit is where a worklist stops counting its cases: an
// office of 200,000 cases costs as much to count as to read, on every
// page, and "more than 10 000" says enough.
const worklistCountLimit = 10_000

// worklistPhases are the chain phases a worklist filters on.
var worklistPhases = []string{rules.Phase1To90, rules.Phase91To180, rules.Phase181To365, rules.Phase366On}

// worklistFilter is what a worklist is asked for, from the query string
// of the page or the API.
type worklistFilter struct {
	Overdue, Warnings bool
	Phase             string
	// OfficeID or GroupID choose a manager's scope; both 0 is the default
	// (the actor's own cases, or a manager's own office).
	OfficeID, GroupID int64
	After             store.Cursor
	Limit             int

	// The page's own choices (not the API's): cases nobody has, the
	// order, the previous page's cursor and the page's number, which only
	// the links carry forward.
	Unassigned bool
	Sort       string
	Desc       bool
	Before     store.Cursor
	Page       int
}

// worklistSorts are the orders a page's column headings offer, by the
// name in the query string; "" is the order by next deadline.
var worklistSorts = map[string]string{"": store.SortDue, "due": store.SortDue, "chain_day": store.SortChainDay,
	"degree": store.SortDegree, "warnings": store.SortWarnings}

// spansOffices is the office of a resource that spans offices, such as a
// customer group's worklist: no office-bound actor's office.
const spansOffices = -1

// parseWorklistFilter reads the filters; the page's (not api) also reads
// the order, the unassigned filter and the previous-page cursor. Unknown
// values are problems: the API answers them with 422, the page ignores
// them.
func parseWorklistFilter(q url.Values, api bool) (worklistFilter, site.Problems) {
	var f worklistFilter
	var probs site.Problems
	flag := func(name string) bool {
		switch q.Get(name) {
		case "", "0", "false":
			return false
		case "1", "true", "on":
			return true
		}
		probs.Add(name, "invalid_flag")
		return false
	}
	f.Overdue, f.Warnings = flag("overdue"), flag("warnings")
	if p := q.Get("phase"); p != "" {
		for _, known := range worklistPhases {
			if p == known {
				f.Phase = p
			}
		}
		if f.Phase == "" {
			probs.Add("phase", "unknown_phase")
		}
	}
	id := func(name string) int64 {
		v := q.Get(name)
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			probs.Add(name, "invalid_id")
			return 0
		}
		return n
	}
	f.OfficeID, f.GroupID = id("office"), id("group")
	// The page's one select names an office or a group: "office-12",
	// "group-3".
	if v := q.Get("scope"); v != "" {
		kind, n, _ := strings.Cut(v, "-")
		id, err := strconv.ParseInt(n, 10, 64)
		switch {
		case err != nil || id <= 0:
			probs.Add("scope", "invalid_id")
		case kind == "office":
			f.OfficeID = id
		case kind == "group":
			f.GroupID = id
		default:
			probs.Add("scope", "invalid_id")
		}
	}
	if f.OfficeID != 0 && f.GroupID != 0 {
		probs.Add("group", "office_and_group")
		f.GroupID = 0
	}
	cursor := func(name string) store.Cursor {
		c, err := store.ParseCursor(q.Get(name))
		if err != nil || !c.Fits(f.Sort) {
			probs.Add(name, "invalid_cursor")
			return store.Cursor{}
		}
		return c
	}
	if api {
		f.After = cursor("cursor")
	} else {
		f.Unassigned = flag("unassigned")
		sort, ok := worklistSorts[q.Get("sort")]
		if !ok {
			probs.Add("sort", "unknown_sort")
		}
		f.Sort, f.Desc = sort, q.Get("order") == "desc"
		f.After, f.Before = cursor("after"), cursor("before")
		if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 && !(f.After.IsZero() && f.Before.IsZero()) {
			f.Page = n
		}
	}
	if f.Page == 0 {
		f.Page = 1
	}
	f.Limit = worklistPerPage
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxWorklistPage {
			probs.Add("limit", "invalid_limit")
		} else {
			f.Limit = n
		}
	}
	return f, probs
}

// query is the filter's part of a link: the filters and the order
// without the cursor.
func (f worklistFilter) query(manager bool) url.Values {
	q := f.filters(manager)
	if f.Sort != store.SortDue || f.Desc {
		q.Set("sort", sortName(f.Sort))
		q.Set("order", orderName(f.Desc))
	}
	return q
}

// filters is the filter's part of a link without the order: what a
// column heading's link keeps.
func (f worklistFilter) filters(manager bool) url.Values {
	q := url.Values{}
	if f.Overdue {
		q.Set("overdue", "1")
	}
	if f.Warnings {
		q.Set("warnings", "1")
	}
	if f.Phase != "" {
		q.Set("phase", f.Phase)
	}
	if manager {
		if f.Unassigned {
			q.Set("unassigned", "1")
		}
		switch {
		case f.OfficeID != 0:
			q.Set("scope", "office-"+itoa(f.OfficeID))
		case f.GroupID != 0:
			q.Set("scope", "group-"+itoa(f.GroupID))
		}
	}
	return q
}

func sortName(sort string) string {
	if sort == store.SortDue {
		return "due"
	}
	return sort
}

func orderName(desc bool) string {
	if desc {
		return "desc"
	}
	return "asc"
}

// worklistScope is whose cases a list shows, decided and authorized.
type worklistScope struct {
	Query store.WorklistQuery
	// Title names the scope: "Dina ärenden", an office or a group.
	Name string
	// Office is the office of an office scope (for re-assignment).
	OfficeID int64
	Manager  bool
}

// resolveScope decides whose cases f asks for and authorizes it: a case
// worker's own cases; for a manager (or when an office or group is named)
// an office or customer group, which needs policy.AssignCases on it (an
// office-bound manager sees only their own office; a group spans offices,
// so only managers without an office may choose one).
func (s *Handlers) resolveScope(w http.ResponseWriter, r *http.Request, a *site.Actor, fk organisation.Organisation, f worklistFilter, office bool) (worklistScope, error) {
	ctx := r.Context()
	sc := worklistScope{Query: store.WorklistQuery{Overdue: f.Overdue, Warnings: f.Warnings, Phase: f.Phase,
		Today: s.Today().Time(), After: f.After, Before: f.Before, Sort: f.Sort, Desc: f.Desc, Limit: f.Limit}}
	if !office && f.OfficeID == 0 && f.GroupID == 0 {
		sc.Query.AssignedUserID = a.UserID
		sc.Name = translate(site.Language(w, r), "worklist.own")
		return sc, nil
	}
	sc.Manager = true
	sc.Query.Unassigned = f.Unassigned
	officeID, groupID := f.OfficeID, f.GroupID
	if officeID == 0 && groupID == 0 {
		if a.OfficeID != 0 {
			officeID = a.OfficeID
		} else {
			groups, err := store.CustomerGroups(ctx, s.Store, fk.ID)
			if err != nil {
				return sc, site.Unavailable("worklist: customer groups", err)
			}
			if len(groups) > 0 {
				groupID = groups[0].ID
			}
		}
	}
	switch {
	case officeID != 0:
		o, err := store.OfficeByID(ctx, s.Store, officeID)
		switch {
		case errors.Is(err, store.ErrNotFound) || err == nil && o.OrgID != fk.ID:
			return sc, site.NotFound()
		case err != nil:
			return sc, site.Unavailable("worklist: office", err)
		}
		sc.Name, sc.OfficeID = o.Name, o.ID
		if err := s.Authorize(r, a, policy.AssignCases, policy.Resource{OrgID: fk.ID, OfficeID: officeID, Now: s.Now()}, "office", itoa(officeID)); err != nil {
			return sc, err
		}
		sc.Query.OfficeID = officeID
	case groupID != 0:
		groups, err := store.CustomerGroups(ctx, s.Store, fk.ID)
		if err != nil {
			return sc, site.Unavailable("worklist: customer groups", err)
		}
		for _, g := range groups {
			if g.ID == groupID {
				sc.Name = g.Name
			}
		}
		if sc.Name == "" {
			return sc, site.NotFound()
		}
		// A group spans offices, which an office-bound manager may not see
		// (policy: staff with an office see that office's cases only).
		if err := s.Authorize(r, a, policy.AssignCases, policy.Resource{OrgID: fk.ID, OfficeID: spansOffices, Now: s.Now()}, "customer_group", itoa(groupID)); err != nil {
			return sc, err
		}
		sc.Query.CustomerGroupID = groupID
	default:
		// A manager of an organisation without offices or groups: nothing
		// to show.
		sc.Query.OfficeID = -1
	}
	return sc, nil
}

// worklistRow is one case as a worklist shows it: every cell's words are
// made here, since a page of fifty rows spends its time in the template.
type worklistRow struct {
	ID      int64
	Href    string
	Version int
	Person  personView
	// ChainDay and Phase are where the case stood at its last recompute;
	// EvalNote says when that was if not today.
	ChainDay, Phase, EvalNote string
	Degree                    string
	Deadline, DeadlineDue     string
	DeadlineDays              string
	Overdue                   bool
	Warnings                  []warningIcon
	Assignee                  string
	// Label is "Ärende 12", for the row and the checkbox's label.
	Label string
	// Group is the heading the row falls under in the order by next
	// deadline ("" in the other orders).
	Group string
}

// warningIcon is one warning as a row shows it: a glyph for the eye and
// the warning's words for a screen reader (and as its title).
type warningIcon struct{ Kind, Glyph, Label string }

// Due groups of the order by next deadline.
const (
	groupOverdue  = "overdue"
	groupToday    = "today"
	groupThisWeek = "week"
	groupLater    = "later"
)

// dueGroup is the group of a case due on due (zero: no open deadline)
// seen on today: overdue, due today, later this week (to Sunday), later.
func dueGroup(today, due civil.Date) string {
	switch {
	case due.IsZero():
		return groupLater
	case today.After(due):
		return groupOverdue
	case due == today:
		return groupToday
	}
	sunday := today.AddDays((7 - int(today.Time().Weekday())) % 7)
	if !due.After(sunday) {
		return groupThisWeek
	}
	return groupLater
}

// dueDaysText says how far off a deadline is: "om 3 dagar", "idag",
// "1 dag sen".
func dueDaysText(lang string, today, due civil.Date) string {
	n := due.Sub(today)
	switch {
	case n == 0:
		return translate(lang, "worklist.days.today")
	case n == 1:
		return translate(lang, "worklist.days.in_one")
	case n > 1:
		return strings.Replace(translate(lang, "worklist.days.in"), "{n}", strconv.Itoa(n), 1)
	case n == -1:
		return translate(lang, "worklist.days.ago_one")
	}
	return strings.Replace(translate(lang, "worklist.days.ago"), "{n}", strconv.Itoa(-n), 1)
}

// newWorklistRow lays out one case for the list.
func newWorklistRow(lang string, a *site.Actor, today civil.Date, c *store.Case, warnings []string) worklistRow {
	T := func(id string) string { return translate(lang, id) }
	row := worklistRow{ID: c.ID, Href: "/arenden/" + itoa(c.ID), Version: c.Version, Person: newPersonView(lang, a, *c),
		Assignee: c.Assignee, ChainDay: "–", Phase: "–", Degree: "–", Deadline: T("worklist.deadline.none")}
	row.Label = T("case.title") + " " + itoa(c.ID)
	eval := storedDay(c.EvalDate)
	switch {
	case eval.IsZero():
		row.ChainDay = T("worklist.not_computed")
	case c.EvalError != "":
		row.ChainDay = T("worklist.eval_error")
	case c.Sick:
		row.ChainDay = strconv.Itoa(c.ChainDay)
		row.Phase = phaseText(c.Phase)
	}
	if !eval.IsZero() && eval != today {
		row.EvalNote = T("worklist.as_of") + " " + eval.String()
	}
	if c.Degree > 0 {
		row.Degree = strconv.Itoa(c.Degree) + " %"
	}
	var due civil.Date
	if d := storedDay(c.NextDue); !c.NextDue.Equal(store.NoDue) && !d.IsZero() {
		due = d
		row.Deadline = casework.DeadlineLabel(c.NextKind, lang)
		row.DeadlineDue = due.String()
		row.Overdue = today.After(due)
		row.DeadlineDays = dueDaysText(lang, today, due)
	}
	row.Group = dueGroup(today, due)
	for _, k := range warnings {
		row.Warnings = append(row.Warnings, warningIcon{Kind: k, Glyph: warningGlyph(lang, k), Label: casework.WarningLabel(k, lang)})
	}
	return row
}

// warningGlyph is the letter a warning's icon shows; the legend says
// what it stands for.
func warningGlyph(lang, kind string) string {
	if !slices.Contains(casework.WarningKinds, kind) {
		return "!"
	}
	return translate(lang, "worklist.sig."+kind)
}

// phaseText writes a chain phase with an en dash: "91–180", "366–".
func phaseText(p string) string { return strings.Replace(p, "-", "–", 1) }

// nextMilestone is the first of the chain's checkpoints (day_91, day_181,
// day_366) and the time limit (time_limit) that lies ahead of today, as the
// recompute stored them; "" when none does.
func nextMilestone(today civil.Date, st store.CaseState) (string, civil.Date) {
	for _, m := range []struct {
		kind string
		d    civil.Date
	}{
		{"day_91", storedDay(st.Day91)},
		{"day_181", storedDay(st.Day181)},
		{"day_366", storedDay(st.Day366)},
		{"time_limit", storedDay(st.TimeLimitDay)},
	} {
		if !m.d.IsZero() && !m.d.Before(today) {
			return m.kind, m.d
		}
	}
	return "", civil.Date{}
}

// worklistData is what worklist.html shows.
type worklistData struct {
	Manager bool
	Scope   string
	// Count is how many cases the filters select, in words: counting
	// stops at worklistCountLimit. Pages is "Sida 2 av 7".
	Count, Pages string
	Rows         []worklistRow
	// Body is the table's rows, written by worklistRowsHTML.
	Body template.HTML
	// Grouped says the rows carry due groups (the default order); Columns
	// is how many columns a group's heading spans.
	Grouped bool
	Columns int
	// Filter state for the form.
	Overdue, Warnings, Unassigned bool
	Phases                        []site.Choice
	Scopes                        []site.ChoiceGroup
	// Action is the form's address (/arenden or /arenden/kontor), CSV the
	// export of the rows shown.
	Action, CSV       string
	Next, Prev, First string
	Today             string
	// Notice is a message above the list: a stale or refused
	// re-assignment.
	Notice, NoticeKind string
	// Assignees are the case workers the shown office's cases may be given
	// to; Load is how many open cases each has.
	Assignees []site.Choice
	Load      []caseWorkerLoad
	// AssigneeOptions and LoadRows are the two written as the select's
	// options and the load table's rows, by officeCaseWorkersHTML.
	AssigneeOptions, LoadRows template.HTML
	// Return is this page's address, for the assignment form.
	Return string
	// Problems are filters the page could not use.
	Problems []string
	// Sorts are the column headings' links, by column.
	Sorts map[string]sortLink
	// Legend explains the warnings' icons.
	Legend []warningIcon
}

// sortLink is a column heading's order: its link, and its aria-sort when
// the list is in its order.
type sortLink struct{ Href, AriaSort string }

// caseWorkerLoad is one line of the office's load table.
type caseWorkerLoad struct {
	Name, Open string
}

// Worklist is GET /arenden: the signed-in case worker's own cases. A
// manager who is not a case worker is sent to the office's list.
func (s *Handlers) Worklist(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	if sendManager(w, r, a, "/arenden/kontor") {
		return nil
	}
	return s.renderWorklist(w, r, a, false, r.URL.Query(), http.StatusOK, "", "")
}

// sendManager sends a manager from the own-cases list (or its export) to
// the office's, with the same query, and reports whether it did.
func sendManager(w http.ResponseWriter, r *http.Request, a *site.Actor, office string) bool {
	if !a.ManagesCases() {
		return false
	}
	http.Redirect(w, r, office+querySuffix(r.URL.RawQuery), http.StatusSeeOther)
	return true
}

// OfficeWorklist is GET /arenden/kontor: a manager's list of an office or
// customer group.
func (s *Handlers) OfficeWorklist(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	// A bulk assignment comes back here saying how many cases it gave; a
	// case moved to another office, with the flash its move sent.
	if n, err := strconv.Atoi(r.URL.Query().Get("assigned")); err == nil && n > 0 {
		return s.renderWorklist(w, r, a, true, r.URL.Query(), http.StatusOK, bulkDone(site.Language(w, r), n), "success")
	}
	if n := s.TakeFlash(w, r, site.Language(w, r)); n != "" {
		return s.renderWorklist(w, r, a, true, r.URL.Query(), http.StatusOK, n, "success")
	}
	return s.renderWorklist(w, r, a, true, r.URL.Query(), http.StatusOK, "", "")
}

// bulkDone says how many cases a bulk assignment gave, in the singular
// for one.
func bulkDone(lang string, n int) string {
	if n == 1 {
		return translate(lang, "worklist.bulk.done.one")
	}
	return strings.Replace(translate(lang, "worklist.bulk.done"), "{n}", strconv.Itoa(n), 1)
}

// worklistList is one page of a worklist as read and authorized, for the
// page and its CSV export alike.
type worklistList struct {
	lang   string
	filter worklistFilter
	probs  site.Problems
	scope  worklistScope
	page   store.WorklistPage
	rows   []worklistRow
	today  civil.Date
	path   string
	fk     organisation.Organisation
	// pooled are the rows release gives back.
	pooled *worklistRows
}

// readWorklist authorizes and reads one page of a worklist (path is
// /arenden or /arenden/kontor) and lays out its rows.
func (s *Handlers) readWorklist(w http.ResponseWriter, r *http.Request, a *site.Actor, office bool, q url.Values) (worklistList, error) {
	l := worklistList{lang: site.Language(w, r), today: s.Today(), path: "/arenden"}
	if office {
		l.path = "/arenden/kontor"
	}
	fk, err := s.fkOrganisation(r.Context(), "worklist")
	if err != nil {
		return l, err
	}
	l.fk = fk
	if err := s.Authorize(r, a, policy.ReadPerson, policy.Resource{OrgID: fk.ID, Now: s.Now()}, "worklist", ""); err != nil {
		return l, err
	}
	l.filter, l.probs = parseWorklistFilter(q, false)
	if l.scope, err = s.resolveScope(w, r, a, fk, l.filter, office); err != nil {
		return l, err
	}
	// The page and its export show a row's few columns, read into the rows
	// of a page shown before (release).
	l.scope.Query.Brief = true
	l.pooled = worklistRowPool.Get().(*worklistRows)
	l.scope.Query.Reuse = l.pooled.read
	if l.page, err = store.WorklistPageOf(r.Context(), s.Store, l.scope.Query); err != nil {
		return l, site.Unavailable("worklist", err)
	}
	l.rows = slices.Grow(l.pooled.shown[:0], len(l.page.Rows))[:len(l.page.Rows)]
	for i := range l.page.Rows {
		l.rows[i] = newWorklistRow(l.lang, a, l.today, &l.page.Rows[i].Case, l.page.Rows[i].Warnings)
	}
	return l, nil
}

// worklistRows are the rows of a page shown, as read and as laid out, for
// the next page to be read into and laid out in: a page's fifty cases are
// the largest part of what it allocates.
type worklistRows struct {
	read  []store.WorklistRow
	shown []worklistRow
}

var worklistRowPool = sync.Pool{New: func() any { return new(worklistRows) }}

// release gives the list's rows back to worklistRowPool once nothing
// refers to them any more.
func (l *worklistList) release() {
	if l.pooled == nil {
		return
	}
	clear(l.rows) // the laid-out rows' strings are not kept
	l.pooled.read, l.pooled.shown = l.page.Rows[:0], l.rows[:0]
	worklistRowPool.Put(l.pooled)
	l.page.Rows, l.rows, l.pooled = nil, nil, nil
}

// audit records the list shown (or exported) as one entry naming its
// persons.
func (s *Handlers) auditList(r *http.Request, a *site.Actor, l worklistList, resource, action string) {
	listed := make([]string, len(l.page.Rows))
	for i := range l.page.Rows {
		listed[i] = l.page.Rows[i].Personnummer
	}
	if e, ok := s.ListEvent(r, a, resource, listed); ok {
		e.Action = action
		s.AuditRead(r, a, e)
	}
}

// renderWorklist builds and renders a worklist for the query q, with an
// optional notice above it (a re-assignment that failed answers with the
// list it came from).
func (s *Handlers) renderWorklist(w http.ResponseWriter, r *http.Request, a *site.Actor, office bool, q url.Values, status int, notice, noticeKind string) error {
	ctx := r.Context()
	l, err := s.readWorklist(w, r, a, office, q)
	if err != nil {
		return err
	}
	defer l.release()
	lang, f, sc := l.lang, l.filter, l.scope
	n, more, err := store.WorklistCountUpTo(ctx, s.Store, sc.Query, worklistCountLimit)
	if err != nil {
		return site.Unavailable("worklist count", err)
	}
	path := l.path
	d := worklistData{Manager: sc.Manager, Scope: sc.Name, Count: rulesview.FormatInt(lang, int64(n)), Overdue: f.Overdue, Warnings: f.Warnings,
		Unassigned: f.Unassigned, Action: path, Today: l.today.String(), Notice: notice, NoticeKind: noticeKind, Rows: l.rows,
		Grouped: f.Sort == store.SortDue && !f.Desc, Columns: 7}
	if sc.Manager {
		d.Columns = 9
	}
	// The rows' text lives in a pooled buffer until the page is rendered.
	body, releaseBody := worklistRowsHTML(l.rows, d.Grouped, sc.Manager, d.Columns, func(g string) string { return translate(lang, "worklist.group."+g) })
	defer releaseBody()
	d.Body = body
	for _, p := range l.probs {
		d.Problems = append(d.Problems, translate(lang, "worklist.problem."+p.Code))
	}
	pages := (n + f.Limit - 1) / f.Limit
	if more {
		d.Count = translate(lang, "worklist.more_than") + " " + d.Count
		d.Pages = strings.NewReplacer("{page}", strconv.Itoa(f.Page), "{pages}", rulesview.FormatInt(lang, int64(pages))).Replace(translate(lang, "worklist.pages.more"))
	} else if pages > 0 {
		d.Pages = strings.NewReplacer("{page}", strconv.Itoa(min(f.Page, pages)), "{pages}", strconv.Itoa(pages)).Replace(translate(lang, "worklist.pages"))
	}
	d.Phases = []site.Choice{{Value: "", Label: translate(lang, "worklist.phase.any"), Selected: f.Phase == ""}}
	for _, p := range worklistPhases {
		d.Phases = append(d.Phases, site.Choice{Value: p, Label: translate(lang, "case.day") + " " + phaseText(p), Selected: f.Phase == p})
	}
	if sc.Manager {
		if d.Scopes, err = s.scopeChoices(ctx, lang, a, l.fk, sc); err != nil {
			return site.Unavailable("worklist: scopes", err)
		}
	}
	s.auditList(r, a, l, path, "list_cases")
	if sc.Manager && sc.OfficeID != 0 {
		if d.Assignees, d.Load, err = s.officeCaseWorkers(ctx, lang, sc.OfficeID); err != nil {
			return site.Unavailable("worklist: case workers", err)
		}
		d.AssigneeOptions, d.LoadRows = officeCaseWorkersHTML(d.Assignees, d.Load)
	}
	filter := f.query(sc.Manager)
	here := cloneValues(filter)
	switch {
	case !f.After.IsZero():
		here.Set("after", f.After.String())
	case !f.Before.IsZero():
		here.Set("before", f.Before.String())
	}
	if f.Page > 1 {
		here.Set("page", strconv.Itoa(f.Page))
	}
	d.Return = site.WithQuery(path, cloneValues(here))
	d.CSV = site.WithQuery(path+".csv", here)
	if !f.After.IsZero() || !f.Before.IsZero() {
		d.First = site.WithQuery(path, cloneValues(filter))
	}
	if !l.page.Next.IsZero() {
		d.Next = site.WithQuery(path, mergeValues(mergeValues(filter, "after", l.page.Next.String()), "page", strconv.Itoa(f.Page+1)))
	}
	if !l.page.Prev.IsZero() {
		prev := mergeValues(filter, "before", l.page.Prev.String())
		if f.Page > 2 {
			prev.Set("page", strconv.Itoa(f.Page-1))
		}
		d.Prev = site.WithQuery(path, prev)
	}
	d.Sorts = sortLinks(path, f, sc.Manager)
	for _, k := range casework.WarningKinds {
		d.Legend = append(d.Legend, warningIcon{Kind: k, Glyph: warningGlyph(lang, k), Label: casework.WarningLabel(k, lang)})
	}
	title := translate(lang, "worklist.title")
	if sc.Manager {
		title = translate(lang, "worklist.office.title")
	}
	s.Render(w, r, status, "worklist", site.Page{Lang: lang, Title: title, Actor: a, Data: d})
	return nil
}

// sortLinks are the column headings' links: a column's first click sorts
// by it in its natural direction (the nearest deadline, the longest
// chain, the highest degree, the most warnings first); a click on the
// column the list is sorted by turns the order round.
func sortLinks(path string, f worklistFilter, manager bool) map[string]sortLink {
	out := map[string]sortLink{}
	for name, sort := range worklistSorts {
		if name == "" {
			continue
		}
		desc := sort != store.SortDue
		var aria string
		if sort == f.Sort {
			desc = !f.Desc
			aria = "ascending"
			if f.Desc {
				aria = "descending"
			}
		}
		q := f.filters(manager)
		if sort != store.SortDue || desc {
			q.Set("sort", name)
			q.Set("order", orderName(desc))
		}
		out[name] = sortLink{Href: site.WithQuery(path, q), AriaSort: aria}
	}
	return out
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

func mergeValues(q url.Values, k, v string) url.Values {
	out := cloneValues(q)
	out.Set(k, v)
	return out
}

// scopeChoices are the offices and groups a manager may choose: their own
// office only when they have one, every office and customer group of the
// organisation otherwise.
func (s *Handlers) scopeChoices(ctx context.Context, lang string, a *site.Actor, fk organisation.Organisation, sc worklistScope) ([]site.ChoiceGroup, error) {
	offices, err := store.Offices(ctx, s.Store, fk.ID)
	if err != nil {
		return nil, err
	}
	og := site.ChoiceGroup{Label: translate(lang, "worklist.scope.offices")}
	for _, o := range offices {
		if a.OfficeID != 0 && o.ID != a.OfficeID {
			continue
		}
		og.Options = append(og.Options, site.Choice{Value: "office-" + itoa(o.ID), Label: o.Name, Selected: o.ID == sc.Query.OfficeID})
	}
	out := []site.ChoiceGroup{og}
	if a.OfficeID == 0 {
		groups, err := store.CustomerGroups(ctx, s.Store, fk.ID)
		if err != nil {
			return nil, err
		}
		gg := site.ChoiceGroup{Label: translate(lang, "worklist.scope.groups")}
		for _, g := range groups {
			gg.Options = append(gg.Options, site.Choice{Value: "group-" + itoa(g.ID), Label: g.Name, Selected: g.ID == sc.Query.CustomerGroupID})
		}
		out = append(out, gg)
	}
	return out, nil
}

// assigneeChoices are the active case workers of an office, "nobody"
// first.
func (s *Handlers) assigneeChoices(ctx context.Context, lang string, officeID int64) ([]site.Choice, error) {
	out := []site.Choice{{Value: "", Label: translate(lang, "worklist.assign.nobody")}}
	if officeID == 0 {
		return out, nil
	}
	users, err := store.OfficeUsers(ctx, s.Store, officeID)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.Roles.Has(account.CaseWorker) {
			out = append(out, site.Choice{Value: itoa(u.ID), Label: u.Name})
		}
	}
	return out, nil
}

// caseWorkerLoadLimit is where the load table stops counting a case
// worker's open cases.
const caseWorkerLoadLimit = 999

// officeCaseWorkers are the choices of the bulk assignment's case worker
// (a prompt first, so that none is chosen by default) and the office's
// load table: each active case worker's open cases.
func (s *Handlers) officeCaseWorkers(ctx context.Context, lang string, officeID int64) ([]site.Choice, []caseWorkerLoad, error) {
	load, err := store.OfficeCaseLoad(ctx, s.Store, officeID, caseWorkerLoadLimit)
	if err != nil {
		return nil, nil, err
	}
	choices := make([]site.Choice, 1, len(load)+1)
	choices[0] = site.Choice{Value: "", Label: translate(lang, "worklist.bulk.choose")}
	table := make([]caseWorkerLoad, 0, len(load))
	for _, l := range load {
		choices = append(choices, site.Choice{Value: itoa(l.UserID), Label: l.Name})
		n := rulesview.FormatInt(lang, int64(l.Open))
		if l.More {
			n = translate(lang, "worklist.more_than") + " " + n
		}
		table = append(table, caseWorkerLoad{Name: l.Name, Open: n})
	}
	return choices, table, nil
}

// AssignCase is POST /arenden/{id}/tilldela: a manager gives a case of
// their office to one of its case workers (or to nobody). The form carries
// the case's version: if someone changed the case since the list was
// shown, nothing is written and the list is shown again (409) with the
// case as it now stands.
func (s *Handlers) AssignCase(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	c, _, version, err := s.managerPost(w, r, a)
	if err != nil {
		return err
	}
	lang := site.Language(w, r)
	back := safeReturn(r.PostForm.Get("return"), c.ID)
	choices, err := s.assigneeChoices(ctx, lang, c.OfficeID)
	if err != nil {
		return site.Unavailable("assign: case workers", err)
	}
	to := r.PostForm.Get("user")
	var userID int64
	known := false
	for _, ch := range choices {
		if ch.Value == to {
			known = true
			userID, _ = strconv.ParseInt(to, 10, 64)
		}
	}
	answer := func(status int, notice, kind string) error {
		if u, err := url.Parse(back); err == nil && u.Path == fmt.Sprintf("/arenden/%d", c.ID) {
			return s.renderCase(w, r, a, casePageState{Status: status, Notice: notice, NoticeKind: kind})
		}
		u, _ := url.Parse(back)
		return s.renderWorklist(w, r, a, true, u.Query(), status, notice, kind)
	}
	if !known {
		return answer(http.StatusUnprocessableEntity, translate(lang, "case.err.unknown_user"), "error")
	}
	err = s.managerWrite(r, a, c, "assign_case", fmt.Sprintf("from=%d to=%d", c.AssignedUserID, userID), func(tx *store.Tx) error {
		return store.AssignCase(ctx, tx, c.ID, version, userID, s.Now())
	})
	switch {
	case errors.Is(err, store.ErrStale):
		return answer(http.StatusConflict, translate(lang, "case.stale"), "warning")
	case err != nil:
		return site.Unavailable("assign case", err)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// safeReturn is where a form goes back to: a worklist or the case's page,
// never another site.
func safeReturn(v string, caseID int64) string {
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/arenden/kontor"
	}
	switch u.Path {
	case "/arenden/kontor", "/arenden", fmt.Sprintf("/arenden/%d", caseID):
		return u.Path + querySuffix(u.RawQuery)
	}
	return "/arenden/kontor"
}

func querySuffix(q string) string {
	if q == "" {
		return ""
	}
	return "?" + q
}
