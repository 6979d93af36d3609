package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file holds Försäkringskassan's case work: sickness cases with their
// owner (office, customer group, case worker), the facts a case worker
// edits, and the reads of the worklist and the case page. The nightly
// recompute's reads and writes are in case_recompute.go.

// ErrStale means the row changed since the caller read it (optimistic
// locking): someone else saved first. The caller reloads and tries again.
var ErrStale = errors.New("changed by someone else since it was read")

// NoDue is the next_due of a case without open deadlines: it sorts last.
var NoDue = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// Case statuses.
const (
	CaseOpen   = "open"
	CaseClosed = "closed"
)

// Case is one sickness case with where it stood at its last recompute.
type Case struct {
	ID, PersonID      int64
	FirstDay, LastDay time.Time
	Status            string
	Version           int

	OfficeID, CustomerGroupID, AssignedUserID int64
	OfficeName, CustomerGroupName, Assignee   string

	// The person: name and protected identity; the personnummer only for
	// the case page (never in URLs or logs).
	Personnummer      string
	PersonName        string
	ProtectedIdentity bool
	MunicipalityCode  string

	Employment        string
	AnnualIncomeOre   int64
	EmployerOrgNumber string
	EmployerName      string
	SeriousIllness    bool

	CaseState
	LastEventAt  time.Time // zero if none
	RecomputedAt time.Time // zero if never
}

// CaseState is what the recompute stores: the rules engine's result on
// EvalDate and what casework derived from it.
type CaseState struct {
	EvalDate  time.Time // zero if never evaluated
	EvalError string
	// Provisional names the parameters the result carried forward past
	// their newest value (comma-separated); "" when the result is final.
	Provisional   string
	Sick          bool
	ChainDay      int
	Phase         string
	Payer         string
	Level         string
	Degree        int
	FrameDays     int
	SGIKr         int64
	DailyAmountKr int64
	// Milestones; zero when they do not apply.
	Day91, Day181, Day366, ContinuationDay, TimeLimitDay time.Time
	NextDue                                              time.Time // NoDue when none
	NextKind                                             string
	OpenDeadlines, WarningCount                          int
}

const caseColumns = `c.id, c.person_id, c.first_day, c.last_day, c.status, c.version,
	COALESCE(c.office_id, 0), COALESCE(c.customer_group_id, 0), COALESCE(c.assigned_user_id, 0),
	COALESCE(o.name, ''), COALESCE(g.name, ''), COALESCE(u.name, ''),
	p.personnummer, p.name, p.protected_identity, COALESCE(p.municipality_code, ''),
	c.employment, c.annual_income_ore, c.employer_org_number, c.employer_name, c.serious_illness,
	c.eval_date, c.eval_error, c.sick, c.chain_day, c.phase, c.payer, c.level, c.degree, c.frame_days, c.sgi_kr,
	c.daily_amount_kr, c.day_91, c.day_181, c.day_366, c.continuation_day, c.time_limit_day, c.next_due, c.next_kind,
	c.open_deadlines, c.warning_count, c.last_event_at, c.recomputed_at, c.eval_provisional`

const caseFrom = ` FROM sickness_cases c
	JOIN persons p ON p.id = c.person_id
	LEFT JOIN offices o ON o.id = c.office_id
	LEFT JOIN customer_groups g ON g.id = c.customer_group_id
	LEFT JOIN users u ON u.id = c.assigned_user_id`

// worklistBrief are the columns of a worklist page's rows (Brief): the
// case, its version, assignee and person, and where the recompute left it.
const worklistBrief = `c.id, c.version, COALESCE(c.assigned_user_id, 0), COALESCE(u.name, ''),
	p.personnummer, p.name, p.protected_identity,
	c.eval_date, c.eval_error, c.sick, c.chain_day, c.phase, c.degree, c.next_due, c.next_kind, c.warning_count`

const worklistBriefFrom = ` FROM sickness_cases c
	JOIN persons p ON p.id = c.person_id
	LEFT JOIN users u ON u.id = c.assigned_user_id`

func scanCase(scan func(...any) error) (Case, error) {
	return newCaseScanner().scan(scan)
}

// caseScanner scans rows of caseColumns into one Case it reuses, so that a
// page of cases makes neither a Case on the heap nor a slice of column
// pointers per row: a worklist page scans fifty.
type caseScanner struct {
	c                                                     Case
	eval, d91, d181, d366, cont, limit, lastEvent, recomp sql.NullTime
	dest                                                  []any
	// evalText and dueText are eval_date and next_due read as text
	// (worklistBriefText), when textDates.
	evalText, dueText sql.NullString
	textDates         bool
}

func newCaseScanner() *caseScanner {
	s := &caseScanner{}
	c := &s.c
	s.dest = []any{&c.ID, &c.PersonID, &c.FirstDay, &c.LastDay, &c.Status, &c.Version,
		&c.OfficeID, &c.CustomerGroupID, &c.AssignedUserID, &c.OfficeName, &c.CustomerGroupName, &c.Assignee,
		&c.Personnummer, &c.PersonName, &c.ProtectedIdentity, &c.MunicipalityCode,
		&c.Employment, &c.AnnualIncomeOre, &c.EmployerOrgNumber, &c.EmployerName, &c.SeriousIllness,
		&s.eval, &c.EvalError, &c.Sick, &c.ChainDay, &c.Phase, &c.Payer, &c.Level, &c.Degree, &c.FrameDays, &c.SGIKr,
		&c.DailyAmountKr, &s.d91, &s.d181, &s.d366, &s.cont, &s.limit, &c.NextDue, &c.NextKind,
		&c.OpenDeadlines, &c.WarningCount, &s.lastEvent, &s.recomp, &c.Provisional}
	return s
}

// worklistBriefText is worklistBrief with its two dates read as text, for
// SQLite: its driver parses a DATE column by trying each of its time
// layouts in turn, allocating an error for each that fails, two columns
// of every row of every page; the dates are stored as YYYY-MM-DD.
var worklistBriefText = strings.NewReplacer("c.eval_date", "CAST(c.eval_date AS TEXT)",
	"c.next_due", "CAST(c.next_due AS TEXT)").Replace(worklistBrief)

// newBriefScanner scans rows of worklistBrief, or of worklistBriefText
// when textDates; the case's other fields stay zero.
func newBriefScanner(textDates bool) *caseScanner {
	s := &caseScanner{textDates: textDates}
	c := &s.c
	var eval, due any = &s.eval, &c.NextDue
	if textDates {
		eval, due = &s.evalText, &s.dueText
	}
	s.dest = []any{&c.ID, &c.Version, &c.AssignedUserID, &c.Assignee, &c.Personnummer, &c.PersonName, &c.ProtectedIdentity,
		eval, &c.EvalError, &c.Sick, &c.ChainDay, &c.Phase, &c.Degree, due, &c.NextKind, &c.WarningCount}
	return s
}

// textDay parses a date read as text: YYYY-MM-DD, possibly followed by a
// time of day.
func textDay(v sql.NullString) (sql.NullTime, error) {
	if !v.Valid {
		return sql.NullTime{}, nil
	}
	t, err := time.Parse(dateLayout, v.String[:min(len(v.String), len(dateLayout))])
	return sql.NullTime{Time: t, Valid: err == nil}, err
}

// scan reads one row and returns a copy of the case.
func (s *caseScanner) scan(scan func(...any) error) (Case, error) {
	s.c = Case{}
	err := scan(s.dest...)
	c := &s.c
	if s.textDates && err == nil {
		var due sql.NullTime
		if s.eval, err = textDay(s.evalText); err == nil {
			due, err = textDay(s.dueText)
			c.NextDue = due.Time
		}
	}
	c.EvalDate, c.Day91, c.Day181, c.Day366 = utcDay(s.eval), utcDay(s.d91), utcDay(s.d181), utcDay(s.d366)
	c.ContinuationDay, c.TimeLimitDay = utcDay(s.cont), utcDay(s.limit)
	c.LastEventAt, c.RecomputedAt = utcDay(s.lastEvent), utcDay(s.recomp)
	c.FirstDay, c.LastDay, c.NextDue = c.FirstDay.UTC(), c.LastDay.UTC(), c.NextDue.UTC()
	return s.c, err
}

// utcDay is a nullable date or time in UTC, zero when NULL.
func utcDay(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return dateArg(t)
}

// CaseByID reads one case with its person, office, group and assignee.
func CaseByID(ctx context.Context, q Querier, id int64) (Case, error) {
	return scanCase(q.QueryRow(ctx, "SELECT "+caseColumns+caseFrom+" WHERE c.id = $1", id).Scan)
}

// WorklistQuery selects cases for a worklist. Exactly one of the scope
// fields is set: a case worker's own cases, an office's, a customer
// group's, or (OrgWide) all of the organisation's.
type WorklistQuery struct {
	AssignedUserID  int64
	OfficeID        int64
	CustomerGroupID int64
	// Unassigned limits an office or group worklist to cases nobody has.
	Unassigned bool

	// Filters.
	Today    time.Time // for Overdue
	Overdue  bool      // a deadline is past due
	Warnings bool      // at least one warning
	Phase    string    // rules.Phase1To90 …; "" for any
	Status   string    // CaseOpen by default

	// Sort is the order of the list: SortDue (the default), SortChainDay,
	// SortDegree or SortWarnings, each with the case id as its tie-break;
	// Desc reverses it. Each has an index per scope (migration 14), so a
	// page is an index range scan in every order.
	Sort string
	Desc bool

	// After is the keyset cursor: the sort key and id of the last row of
	// the previous page; zero for the first page. Before, instead, reads
	// the page that ends just before the given row (the previous page).
	After, Before Cursor
	Limit         int

	// Brief reads only what a worklist page shows of a case (worklistBrief):
	// a page's rows scan a third of the columns, two of them dates instead
	// of eleven, and join no office or group.
	Brief bool
	// Reuse is the rows of an earlier page its reader is done with: the
	// page is read into them when they have room, instead of a new slice.
	Reuse []WorklistRow
}

// Worklist sort orders.
const (
	SortDue      = ""
	SortChainDay = "chain_day"
	SortDegree   = "degree"
	SortWarnings = "warnings"
)

// worklistSortColumns are the columns of the orders; each leads an index
// after a scope and the status.
var worklistSortColumns = map[string]string{SortDue: "next_due", SortChainDay: "chain_day", SortDegree: "degree", SortWarnings: "warning_count"}

// ValidWorklistSort reports whether s is a known order.
func ValidWorklistSort(s string) bool { _, ok := worklistSortColumns[s]; return ok }

// Cursor is a position in a worklist's order: the sort key of a row (Due
// for the order by next deadline, N for the others) and its id.
type Cursor struct {
	Due time.Time
	N   int
	ID  int64
}

// IsZero reports whether the cursor is the start.
func (c Cursor) IsZero() bool { return c.ID == 0 }

// String encodes the cursor for a URL: "YYYY-MM-DD.id" in the order by
// next deadline, "n.id" in the others.
func (c Cursor) String() string {
	if c.IsZero() {
		return ""
	}
	if c.Due.IsZero() {
		return strconv.Itoa(c.N) + "." + strconv.FormatInt(c.ID, 10)
	}
	return c.Due.UTC().Format(dateLayout) + "." + strconv.FormatInt(c.ID, 10)
}

// Fits reports whether the cursor belongs to the order sort: a date for
// the order by next deadline, a number for the others.
func (c Cursor) Fits(sort string) bool {
	return c.IsZero() || (sort == SortDue) == !c.Due.IsZero()
}

// ParseCursor decodes Cursor.String; "" is the start.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	key, id, ok := strings.Cut(s, ".")
	if !ok {
		return Cursor{}, errors.New("cursor: want YYYY-MM-DD.id or n.id")
	}
	var c Cursor
	if strings.Contains(key, "-") {
		due, err := time.Parse(dateLayout, key)
		if err != nil {
			return Cursor{}, errors.New("cursor: bad date")
		}
		c.Due = due
	} else {
		n, err := strconv.Atoi(key)
		if err != nil || n < 0 {
			return Cursor{}, errors.New("cursor: bad key")
		}
		c.N = n
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return Cursor{}, errors.New("cursor: bad id")
	}
	c.ID = n
	return c, nil
}

// cursorOf is the cursor of a row in the order sort.
func cursorOf(c *Case, sort string) Cursor {
	switch sort {
	case SortChainDay:
		return Cursor{N: c.ChainDay, ID: c.ID}
	case SortDegree:
		return Cursor{N: c.Degree, ID: c.ID}
	case SortWarnings:
		return Cursor{N: c.WarningCount, ID: c.ID}
	}
	return Cursor{Due: c.NextDue, ID: c.ID}
}

// WorklistRow is one case on a worklist.
type WorklistRow struct {
	Case
	Warnings []string // warning kinds, when WarningCount > 0
}

// MaxWorklistPage bounds one page.
const MaxWorklistPage = 500

// Worklist reads one page of cases in the query's order and the cursor
// of the next page (zero at the end).
func Worklist(ctx context.Context, q Querier, w WorklistQuery) ([]WorklistRow, Cursor, error) {
	p, err := WorklistPageOf(ctx, q, w)
	return p.Rows, p.Next, err
}

// WorklistPage is one page of a worklist with the cursors of its
// neighbours: Next for After, Prev for Before; zero where there is none.
type WorklistPage struct {
	Rows       []WorklistRow
	Next, Prev Cursor
}

// WorklistPageOf reads one page of cases in the query's order. The scope
// columns lead each worklist index, followed by the status and the sort
// key, so every page is an index range scan however many cases exist,
// forwards (After) or backwards (Before).
func WorklistPageOf(ctx context.Context, q Querier, w WorklistQuery) (WorklistPage, error) {
	var page WorklistPage
	col, ok := worklistSortColumns[w.Sort]
	if !ok {
		return page, fmt.Errorf("worklist: unknown order %q", w.Sort)
	}
	if !w.After.Fits(w.Sort) || !w.Before.Fits(w.Sort) {
		return page, errors.New("worklist: the cursor is of another order")
	}
	where, args, err := worklistWhere(w, "c.")
	if err != nil {
		return page, err
	}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	// Backwards reads the rows before the cursor in the reverse order and
	// turns them round.
	backwards := w.After.IsZero() && !w.Before.IsZero()
	cur := w.After
	if backwards {
		cur = w.Before
	}
	desc := w.Desc != backwards
	cmp, dir := ">", ""
	if desc {
		cmp, dir = "<", " DESC"
	}
	if !cur.IsZero() {
		var key any = cur.N
		if w.Sort == SortDue {
			key = dateArg(cur.Due)
		}
		k := arg(key)
		where = append(where, fmt.Sprintf("(c.%s %s %s OR (c.%s = %s AND c.id %s %s))", col, cmp, k, col, k, cmp, arg(cur.ID)))
	}
	limit := w.Limit
	if limit <= 0 || limit > MaxWorklistPage {
		limit = 50
	}
	columns, from, sc := caseColumns, caseFrom, newCaseScanner()
	if w.Brief {
		sqlite := false
		if d, ok := q.(interface{ Dialect() Dialect }); ok {
			sqlite = d.Dialect() == SQLite
		}
		columns, from, sc = worklistBrief, worklistBriefFrom, newBriefScanner(sqlite)
		if sqlite {
			columns = worklistBriefText
		}
	}
	query := "SELECT " + columns + from + " WHERE " + strings.Join(where, " AND ") +
		" ORDER BY c." + col + dir + ", c.id" + dir + " LIMIT " + arg(limit+1)
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	out := w.Reuse[:0]
	if cap(out) < limit+1 {
		out = make([]WorklistRow, 0, limit+1)
	}
	for rows.Next() {
		c, err := sc.scan(rows.Scan)
		if err != nil {
			return page, err
		}
		out = append(out, WorklistRow{Case: c})
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	if backwards {
		slices.Reverse(out)
	}
	if len(out) > 0 {
		first, last := cursorOf(&out[0].Case, w.Sort), cursorOf(&out[len(out)-1].Case, w.Sort)
		switch {
		case backwards:
			page.Next = last
			if more {
				page.Prev = first
			}
		default:
			if more {
				page.Next = last
			}
			if !w.After.IsZero() {
				page.Prev = first
			}
		}
	}
	if err := attachWarnings(ctx, q, out); err != nil {
		return page, err
	}
	page.Rows = out
	return page, nil
}

// attachWarnings fills in the warning kinds of the rows that have any, in
// one query.
func attachWarnings(ctx context.Context, q Querier, rows []WorklistRow) error {
	var ids []string
	at := map[int64]int{}
	for i := range rows {
		if rows[i].WarningCount > 0 {
			ids = append(ids, fmt.Sprint(rows[i].ID))
			at[rows[i].ID] = i
		}
	}
	if len(ids) == 0 {
		return nil
	}
	// The ids are integers formatted here, not user input.
	r, err := q.Query(ctx, "SELECT case_id, kind FROM case_warnings WHERE case_id IN ("+strings.Join(ids, ",")+") ORDER BY case_id, kind")
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
		var id int64
		var kind string
		if err := r.Scan(&id, &kind); err != nil {
			return err
		}
		row := &rows[at[id]]
		row.Warnings = append(row.Warnings, kind)
	}
	return r.Err()
}

// WorklistCount counts all the cases a worklist query selects (ignoring
// the cursor). Pages use WorklistCountUpTo; this is the exact count.
func WorklistCount(ctx context.Context, q Querier, w WorklistQuery) (int, error) {
	where, args, err := worklistWhere(w, "")
	if err != nil {
		return 0, err
	}
	var n int
	err = q.QueryRow(ctx, "SELECT COUNT(*) FROM sickness_cases WHERE "+strings.Join(where, " AND "), args...).Scan(&n)
	return n, err
}

// worklistWhere is the condition of a worklist query without its cursor:
// the scope, the status and the filters, with the columns prefixed (the
// worklist reads "c.", the counts the bare table).
func worklistWhere(w WorklistQuery, prefix string) ([]string, []any, error) {
	var where []string
	var args []any
	cond := func(expr string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf("%s%s $%d", prefix, expr, len(args)))
	}
	switch {
	case w.AssignedUserID != 0:
		cond("assigned_user_id =", w.AssignedUserID)
	case w.OfficeID != 0:
		cond("office_id =", w.OfficeID)
	case w.CustomerGroupID != 0:
		cond("customer_group_id =", w.CustomerGroupID)
	default:
		return nil, nil, errors.New("worklist: no scope")
	}
	if w.Unassigned {
		where = append(where, prefix+"assigned_user_id IS NULL")
	}
	status := w.Status
	if status == "" {
		status = CaseOpen
	}
	cond("status =", status)
	if w.Overdue {
		cond("next_due <", dateArg(w.Today))
	}
	if w.Warnings {
		where = append(where, prefix+"warning_count > 0")
	}
	if w.Phase != "" {
		cond("phase =", w.Phase)
	}
	return where, args, nil
}

// touchCase is the optimistic lock of every edit a person makes: it bumps
// the case's version if it is still the one the person read, and records
// the time of the latest event. ErrStale if someone saved in between,
// ErrNotFound if there is no such case.
func touchCase(ctx context.Context, tx *Tx, caseID int64, version int, now time.Time) error {
	n, err := affected(tx.Exec(ctx, `UPDATE sickness_cases SET version = version + 1, last_event_at = $3, updated_at = $3
		WHERE id = $1 AND version = $2`, caseID, version, now.UTC()))
	if err != nil || n == 1 {
		return err
	}
	var v int
	if err := tx.QueryRow(ctx, "SELECT version FROM sickness_cases WHERE id = $1", caseID).Scan(&v); err != nil {
		return err
	}
	return ErrStale
}

// editCase runs one UPDATE of an edit a person makes to a case, under
// touchCase's optimistic lock.
func editCase(ctx context.Context, tx *Tx, caseID int64, version int, now time.Time, query string, args ...any) error {
	if err := touchCase(ctx, tx, caseID, version, now); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, query, args...)
	return err
}

// addToCase runs the INSERT … RETURNING id of a row a person adds to a
// case (a note, a decision, an action), under touchCase's optimistic lock.
func addToCase(ctx context.Context, tx *Tx, caseID int64, version int, now time.Time, query string, args ...any) (int64, error) {
	if err := touchCase(ctx, tx, caseID, version, now); err != nil {
		return 0, err
	}
	return tx.InsertID(ctx, query, args...)
}

// CaseFacts are the facts of a case a case worker edits.
type CaseFacts struct {
	Employment        string
	AnnualIncomeOre   int64
	EmployerOrgNumber string
	EmployerName      string
	SeriousIllness    bool
}

// UpdateCaseFacts writes the case's facts if version is current.
func UpdateCaseFacts(ctx context.Context, tx *Tx, caseID int64, version int, f CaseFacts, now time.Time) error {
	return editCase(ctx, tx, caseID, version, now, `UPDATE sickness_cases SET employment = $2, annual_income_ore = $3,
		employer_org_number = $4, employer_name = $5, serious_illness = $6 WHERE id = $1`,
		caseID, f.Employment, f.AnnualIncomeOre, f.EmployerOrgNumber, f.EmployerName, f.SeriousIllness)
}

// AssignCase gives the case to a case worker (0: nobody) if version is
// current.
func AssignCase(ctx context.Context, tx *Tx, caseID int64, version int, userID int64, now time.Time) error {
	return editCase(ctx, tx, caseID, version, now, "UPDATE sickness_cases SET assigned_user_id = $2 WHERE id = $1", caseID, nullID(userID))
}

// MoveCase moves a case to another office and its customer group, from the
// version the change was made from (ErrStale otherwise). Nobody at the new
// office has it yet: the assignment is cleared for its manager to make.
func MoveCase(ctx context.Context, tx *Tx, caseID int64, version int, officeID, groupID int64, now time.Time) error {
	return editCase(ctx, tx, caseID, version, now,
		"UPDATE sickness_cases SET office_id = $2, customer_group_id = $3, assigned_user_id = NULL WHERE id = $1",
		caseID, nullID(officeID), nullID(groupID))
}

// SetCaseOwner places the case in an office and customer group.
func SetCaseOwner(ctx context.Context, tx *Tx, caseID, officeID, groupID, assignedUserID int64) error {
	res, err := tx.Exec(ctx, `UPDATE sickness_cases SET office_id = $2, customer_group_id = $3, assigned_user_id = $4 WHERE id = $1`,
		caseID, nullID(officeID), nullID(groupID), nullID(assignedUserID))
	return mustAffect(res, err)
}

// CloseCase closes (or reopens) a case if version is current.
func SetCaseStatus(ctx context.Context, tx *Tx, caseID int64, version int, status string, now time.Time) error {
	return editCase(ctx, tx, caseID, version, now, "UPDATE sickness_cases SET status = $2 WHERE id = $1", caseID, status)
}

// PersonPeriods lists the person's periods that overlap from..to, in date
// order.
func PersonPeriods(ctx context.Context, q Querier, personID int64, from, to time.Time) ([]Period, error) {
	rows, err := q.Query(ctx, `SELECT `+periodColumns+` FROM sick_leave_periods sp
		LEFT JOIN certificates pc ON pc.id = sp.certificate_id
		WHERE sp.person_id = $1 AND sp.to_day >= $2 AND sp.from_day <= $3 ORDER BY sp.from_day, sp.to_day, sp.id`,
		personID, dateArg(from), dateArg(to))
	return collect(rows, err, func(rows *Rows) (Period, error) {
		var p Period
		var signed sql.NullTime
		if err := rows.Scan(periodDest(&p, &signed)...); err != nil {
			return p, err
		}
		p.fix(signed)
		return p, nil
	})
}

// ErrOverlap means a new period overlaps one the person already has.
var ErrOverlap = errors.New("the period overlaps an existing period")

// AddManualPeriod records a period entered by hand (a paper certificate,
// say; source says which) and widens the case to hold it. The period must
// not overlap the person's other periods, and must lie within the case's
// reach: the caller decides with the rules engine that it joins this case.
//
// The person's row is locked before the overlap check, as certificate intake
// locks it (LockPersons) before it reads the person's periods: an intake
// that comes second waits and then sees this period. An intake that came
// first and committed after this transaction began has moved the audit
// chain's head, which this transaction's audit entry updates too, so
// PostgreSQL's SERIALIZABLE aborts this one and Tx runs it again, seeing the
// intake's periods.
func AddManualPeriod(ctx context.Context, tx *Tx, caseID int64, version int, p Period, now time.Time) (int64, error) {
	c, err := CaseByID(ctx, tx, caseID)
	if err != nil {
		return 0, err
	}
	if err := LockPersons(ctx, tx, []int64{c.PersonID}); err != nil {
		return 0, err
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM sick_leave_periods WHERE person_id = $1 AND to_day >= $2 AND from_day <= $3`,
		c.PersonID, dateArg(p.From), dateArg(p.To)).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, ErrOverlap
	}
	if err := touchCase(ctx, tx, caseID, version, now); err != nil {
		return 0, err
	}
	id, err := tx.InsertID(ctx, `INSERT INTO sick_leave_periods (person_id, certificate_id, from_day, to_day, degree, source, created_at)
		VALUES ($1, NULL, $2, $3, $4, $5, $6) RETURNING id`, c.PersonID, dateArg(p.From), dateArg(p.To), p.Degree, p.Source, now.UTC())
	if err != nil {
		return 0, err
	}
	first, last := c.FirstDay, c.LastDay
	if p.From.Before(first) {
		first = p.From
	}
	if p.To.After(last) {
		last = p.To
	}
	_, err = tx.Exec(ctx, "UPDATE sickness_cases SET first_day = $2, last_day = $3 WHERE id = $1", caseID, dateArg(first), dateArg(last))
	return id, err
}

// CaseDeadline is one deadline of a case as stored.
type CaseDeadline struct {
	ID       int64
	CaseID   int64
	Kind     string
	Key      string
	Due      time.Time
	Ref      string
	Done     bool
	Auto     bool
	ClosedBy string // the user's name; "" when open or closed automatically
	ClosedAt time.Time
	Note     string
}

// CaseDeadlines lists a case's deadlines by due date.
func CaseDeadlines(ctx context.Context, q Querier, caseID int64) ([]CaseDeadline, error) {
	rows, err := q.Query(ctx, `SELECT d.id, d.case_id, d.kind, d.dkey, d.due, d.ref, d.done, d.auto, COALESCE(u.name, ''),
		d.closed_at, d.note FROM case_deadlines d LEFT JOIN users u ON u.id = d.closed_by
		WHERE d.case_id = $1 ORDER BY d.due, d.id`, caseID)
	return collect(rows, err, func(rows *Rows) (CaseDeadline, error) {
		var d CaseDeadline
		var closed sql.NullTime
		if err := rows.Scan(&d.ID, &d.CaseID, &d.Kind, &d.Key, &d.Due, &d.Ref, &d.Done, &d.Auto, &d.ClosedBy, &closed, &d.Note); err != nil {
			return d, err
		}
		d.Due, d.ClosedAt = d.Due.UTC(), utcDay(closed)
		return d, nil
	})
}

// ErrAlreadyDone means the deadline was closed before.
var ErrAlreadyDone = errors.New("the deadline is already closed")

// CloseDeadline marks a deadline done by a person, if the case's version is
// current. A deadline closed twice gets ErrAlreadyDone.
func CloseDeadline(ctx context.Context, tx *Tx, caseID int64, version int, deadlineID, userID int64, note string, now time.Time) error {
	var done bool
	err := tx.QueryRow(ctx, "SELECT done FROM case_deadlines WHERE id = $1 AND case_id = $2", deadlineID, caseID).Scan(&done)
	if err != nil {
		return err
	}
	if done {
		return ErrAlreadyDone
	}
	if err := touchCase(ctx, tx, caseID, version, now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE case_deadlines SET done = TRUE, auto = FALSE, closed_by = $2, closed_at = $3, note = $4
		WHERE id = $1`, deadlineID, nullID(userID), now.UTC(), note); err != nil {
		return err
	}
	return refreshNextDue(ctx, tx, caseID)
}

// refreshNextDue recomputes a case's next_due and open-deadline count from
// its deadlines, after a person closed one, so the worklist reflects it
// before the next recompute.
func refreshNextDue(ctx context.Context, tx *Tx, caseID int64) error {
	var due sql.NullTime
	var kind sql.NullString
	var n int
	err := tx.QueryRow(ctx, `SELECT due, kind, (SELECT COUNT(*) FROM case_deadlines WHERE case_id = $1 AND NOT done)
		FROM case_deadlines WHERE case_id = $1 AND NOT done ORDER BY due, id LIMIT 1`, caseID).Scan(&due, &kind, &n)
	if errors.Is(err, ErrNotFound) {
		_, err = tx.Exec(ctx, "UPDATE sickness_cases SET next_due = $2, next_kind = '', open_deadlines = 0 WHERE id = $1", caseID, dateArg(NoDue))
		return err
	}
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "UPDATE sickness_cases SET next_due = $2, next_kind = $3, open_deadlines = $4 WHERE id = $1",
		caseID, dateArg(due.Time), kind.String, n)
	return err
}

// CaseWarning is one early warning in force.
type CaseWarning struct {
	Kind     string
	Rule     string
	Ref      string
	Args     []int
	RaisedOn time.Time
}

// CaseWarnings lists a case's warnings.
func CaseWarnings(ctx context.Context, q Querier, caseID int64) ([]CaseWarning, error) {
	rows, err := q.Query(ctx, "SELECT kind, rule, ref, args, raised_on FROM case_warnings WHERE case_id = $1 ORDER BY kind", caseID)
	return collect(rows, err, func(rows *Rows) (CaseWarning, error) {
		var w CaseWarning
		var args string
		if err := rows.Scan(&w.Kind, &w.Rule, &w.Ref, &args, &w.RaisedOn); err != nil {
			return w, err
		}
		w.Args, w.RaisedOn = parseInts(args), w.RaisedOn.UTC()
		return w, nil
	})
}

// formatInts and parseInts store warning arguments as "1 2 3".
func formatInts(v []int) string {
	var b strings.Builder
	for i, n := range v {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, n)
	}
	return b.String()
}

func parseInts(s string) []int {
	var out []int
	for _, f := range strings.Fields(s) {
		var n int
		if _, err := fmt.Sscan(f, &n); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// Note kinds.
const (
	NoteNote    = "note"
	NoteContact = "contact"
)

// CaseNote is a note or a contact with the person.
type CaseNote struct {
	ID        int64
	Kind      string
	ContactOn time.Time // contacts only
	Channel   string    // contacts only: phone, meeting, letter, digital
	Body      string
	Author    string
	CreatedAt time.Time
}

// AddCaseNote adds a note or contact if version is current.
func AddCaseNote(ctx context.Context, tx *Tx, caseID int64, version int, n CaseNote, authorID int64, now time.Time) (int64, error) {
	return addToCase(ctx, tx, caseID, version, now, `INSERT INTO case_notes (case_id, kind, contact_on, channel, body, author_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		caseID, n.Kind, nullDate(n.ContactOn), n.Channel, n.Body, nullID(authorID), now.UTC())
}

// CaseNotes lists a case's notes and contacts, newest first.
func CaseNotes(ctx context.Context, q Querier, caseID int64) ([]CaseNote, error) {
	rows, err := q.Query(ctx, `SELECT n.id, n.kind, n.contact_on, n.channel, n.body, COALESCE(u.name, ''), n.created_at
		FROM case_notes n LEFT JOIN users u ON u.id = n.author_id WHERE n.case_id = $1 ORDER BY n.created_at DESC, n.id DESC`, caseID)
	return collect(rows, err, func(rows *Rows) (CaseNote, error) {
		var n CaseNote
		var on sql.NullTime
		if err := rows.Scan(&n.ID, &n.Kind, &on, &n.Channel, &n.Body, &n.Author, &n.CreatedAt); err != nil {
			return n, err
		}
		n.ContactOn, n.CreatedAt = utcDay(on), n.CreatedAt.UTC()
		return n, nil
	})
}

// Decision outcomes.
const (
	DecisionGranted   = "granted"
	DecisionRejected  = "rejected"
	DecisionWithdrawn = "withdrawn"
)

// CaseDecision is a decision in the case.
type CaseDecision struct {
	ID            int64
	Outcome       string
	DecidedOn     time.Time
	Paragraph     string
	Justification string
	Author        string
	CreatedAt     time.Time
}

// AddDecision records a decision if version is current.
func AddDecision(ctx context.Context, tx *Tx, caseID int64, version int, d CaseDecision, authorID int64, now time.Time) (int64, error) {
	return addToCase(ctx, tx, caseID, version, now, `INSERT INTO case_decisions (case_id, outcome, decided_on, paragraph, justification,
		author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		caseID, d.Outcome, dateArg(d.DecidedOn), d.Paragraph, d.Justification, nullID(authorID), now.UTC())
}

// CaseDecisions lists a case's decisions by date.
func CaseDecisions(ctx context.Context, q Querier, caseID int64) ([]CaseDecision, error) {
	rows, err := q.Query(ctx, `SELECT d.id, d.outcome, d.decided_on, d.paragraph, d.justification, COALESCE(u.name, ''), d.created_at
		FROM case_decisions d LEFT JOIN users u ON u.id = d.author_id WHERE d.case_id = $1 ORDER BY d.decided_on, d.id`, caseID)
	return collect(rows, err, func(rows *Rows) (CaseDecision, error) {
		var d CaseDecision
		if err := rows.Scan(&d.ID, &d.Outcome, &d.DecidedOn, &d.Paragraph, &d.Justification, &d.Author, &d.CreatedAt); err != nil {
			return d, err
		}
		d.DecidedOn, d.CreatedAt = d.DecidedOn.UTC(), d.CreatedAt.UTC()
		return d, nil
	})
}

// Plan action statuses.
const (
	ActionPlanned   = "planned"
	ActionOngoing   = "ongoing"
	ActionDone      = "done"
	ActionCancelled = "cancelled"
)

// PlanAction is one action of the rehabilitation plan.
type PlanAction struct {
	ID         int64
	Title      string
	OwnerOrgID int64
	OwnerName  string
	Due        time.Time
	Status     string
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// AddPlanAction adds an action to the plan if version is current.
func AddPlanAction(ctx context.Context, tx *Tx, caseID int64, version int, a PlanAction, authorID int64, now time.Time) (int64, error) {
	status := a.Status
	if status == "" {
		status = ActionPlanned
	}
	return addToCase(ctx, tx, caseID, version, now, `INSERT INTO plan_actions (case_id, title, owner_org_id, due, status, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
		caseID, a.Title, a.OwnerOrgID, dateArg(a.Due), status, nullID(authorID), now.UTC())
}

// SetPlanActionStatus changes an action's status if version is current.
func SetPlanActionStatus(ctx context.Context, tx *Tx, caseID int64, version int, actionID int64, status string, now time.Time) error {
	if err := touchCase(ctx, tx, caseID, version, now); err != nil {
		return err
	}
	res, err := tx.Exec(ctx, "UPDATE plan_actions SET status = $3, updated_at = $4 WHERE id = $1 AND case_id = $2",
		actionID, caseID, status, now.UTC())
	return mustAffect(res, err)
}

// PlanActions lists the plan's actions by due date.
func PlanActions(ctx context.Context, q Querier, caseID int64) ([]PlanAction, error) {
	rows, err := q.Query(ctx, `SELECT a.id, a.title, a.owner_org_id, o.name, a.due, a.status, COALESCE(u.name, ''), a.created_at, a.updated_at
		FROM plan_actions a JOIN organisations o ON o.id = a.owner_org_id LEFT JOIN users u ON u.id = a.created_by
		WHERE a.case_id = $1 ORDER BY a.due, a.id`, caseID)
	return collect(rows, err, func(rows *Rows) (PlanAction, error) {
		var a PlanAction
		if err := rows.Scan(&a.ID, &a.Title, &a.OwnerOrgID, &a.OwnerName, &a.Due, &a.Status, &a.CreatedBy, &a.CreatedAt, &a.UpdatedAt); err != nil {
			return a, err
		}
		a.Due, a.CreatedAt, a.UpdatedAt = a.Due.UTC(), a.CreatedAt.UTC(), a.UpdatedAt.UTC()
		return a, nil
	})
}

// CaseCertificates lists the certificates attached to a case, in signing
// order.
func CaseCertificates(ctx context.Context, q Querier, caseID int64) ([]CertificateSummary, error) {
	rows, err := q.Query(ctx, "SELECT "+certSummaryColumns+` FROM certificates c JOIN persons p ON p.id = c.person_id
		WHERE c.case_id = $1 ORDER BY c.signed_at, c.id`, caseID)
	return collect(rows, err, func(rows *Rows) (CertificateSummary, error) { return scanCertSummary(rows.Scan) })
}
