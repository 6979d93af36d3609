package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/finsam/finsam/caseload"
)

// The figures of Försäkringskassan's managers' dashboards (package
// caseload names them). Each figure is one predicate over the sickness
// cases, written once here: CaseloadCount counts it, CaseloadList lists
// the same cases, and CaseloadSummary computes the whole dashboard in a
// handful of grouped passes whose sums are those predicates again. That a
// figure equals the number of rows of its list is thus built in, and
// tested.
//
// Dates are compared as the store keeps them ('YYYY-MM-DD'); the one
// place where the dialects differ is a duration in days and the date of a
// timestamp (caseloadDays, caseloadDayOf). Sex and age come from the
// personnummer (its second-last digit, and the birth date in its first
// eight, less 60 on the day of a samordningsnummer), age at the case's
// first day.

// NoOne as a CaseloadScope's AssignedUserID selects the cases no case
// worker has.
const NoOne = -1

// CaseloadScope is a dashboard's filter: the period and, optionally, a
// customer group, an office and a case worker.
type CaseloadScope struct {
	CustomerGroupID, OfficeID int64
	// AssignedUserID selects a case worker's cases, NoOne the unassigned.
	AssignedUserID int64
	// From and To are the period's first and last day (midnight UTC).
	From, To time.Time
	// Today is the day figures of open cases are counted on.
	Today time.Time
}

// deadlineTo is the last due day a deadline figure counts: the period's
// end, but not after yesterday (a deadline due today can still be met).
func (s CaseloadScope) deadlineTo() time.Time {
	y := s.Today.AddDate(0, 0, -1)
	if s.To.Before(y) {
		return s.To
	}
	return y
}

// caseloadSQL builds one query's arguments.
type caseloadSQL struct {
	d    Dialect
	args []any
}

func (q *caseloadSQL) arg(v any) string {
	q.args = append(q.args, v)
	return fmt.Sprintf("$%d", len(q.args))
}

// caseloadDays is the length of a case in days, both ends counted.
func caseloadDays(d Dialect) string {
	if d == Postgres {
		return "(c.last_day - c.first_day + 1)"
	}
	return "(CAST(julianday(c.last_day) - julianday(c.first_day) AS INTEGER) + 1)"
}

// caseloadDayOf is the UTC date of a timestamp column, comparable with a
// DATE column.
func caseloadDayOf(d Dialect, col string) string {
	if d == Postgres {
		return "CAST(" + col + " AT TIME ZONE 'UTC' AS DATE)"
	}
	return "substr(" + col + ", 1, 10)"
}

const (
	// caseloadSex is 'm' or 'k' from the personnummer of c.pnr.
	caseloadSex = "(CASE WHEN CAST(substr(c.pnr, 11, 1) AS INTEGER) % 2 = 1 THEN 'm' ELSE 'k' END)"
	// caseloadAge is the age on the case's first day.
	caseloadAge = `(CAST(substr(CAST(c.first_day AS TEXT), 1, 4) AS INTEGER) - CAST(substr(c.pnr, 1, 4) AS INTEGER)
		- CASE WHEN CAST(substr(CAST(c.first_day AS TEXT), 6, 2) AS INTEGER) * 100 + CAST(substr(CAST(c.first_day AS TEXT), 9, 2) AS INTEGER)
			< CAST(substr(c.pnr, 5, 4) AS INTEGER) - CASE WHEN CAST(substr(c.pnr, 7, 2) AS INTEGER) > 60 THEN 60 ELSE 0 END
		THEN 1 ELSE 0 END)`
)

// caseloadEndedFrom is the cases that meet where (conditions on c), with
// their person's personnummer (pnr) and the diagnosis of their latest
// certificate (dx), for the breakdown of durations. The conditions are
// inside and the subquery is fenced (OFFSET 0) so that it is not merged
// into the query around it: merged, every use of dx became the correlated
// subquery again, and the chapter's CASE uses it twice for each of some
// twenty chapters (on PostgreSQL, a list by chapter took seconds over
// 20,000 open cases).
func caseloadEndedFrom(d Dialect, where []string) string {
	fence := " OFFSET 0"
	if d == SQLite {
		fence = " LIMIT -1 OFFSET 0" // SQLite has no OFFSET without LIMIT
	}
	return `(SELECT c.*, p.personnummer AS pnr,
		COALESCE((SELECT ce.diagnosis_code FROM certificates ce WHERE ce.case_id = c.id ORDER BY ce.signed_at DESC, ce.id DESC LIMIT 1), '') AS dx
		FROM sickness_cases c JOIN persons p ON p.id = c.person_id WHERE ` + strings.Join(where, " AND ") + fence + `) c`
}

// caseloadAgeGroup is the age group (caseload.AgeGroups) of the case.
func caseloadAgeGroup() string {
	var b strings.Builder
	b.WriteString("(CASE")
	for _, g := range caseload.AgeGroups {
		fmt.Fprintf(&b, " WHEN %s BETWEEN %d AND %d THEN '%s'", caseloadAge, g.From, g.To, g.ID)
	}
	b.WriteString(" ELSE '" + caseload.Unknown + "' END)")
	return b.String()
}

// caseloadChapter is the ICD-10 chapter (caseload.Chapters) of c.dx.
func caseloadChapter() string {
	var b strings.Builder
	b.WriteString("(CASE")
	for _, ch := range caseload.Chapters {
		fmt.Fprintf(&b, " WHEN upper(substr(c.dx, 1, 3)) BETWEEN '%s' AND '%s' THEN '%s'", ch.From, ch.To, ch.ID)
	}
	b.WriteString(" ELSE '" + caseload.Unknown + "' END)")
	return b.String()
}

// scope is the filter's condition on c.
func (q *caseloadSQL) scope(s CaseloadScope) []string {
	var where []string
	if s.CustomerGroupID != 0 {
		where = append(where, "c.customer_group_id = "+q.arg(s.CustomerGroupID))
	}
	if s.OfficeID != 0 {
		where = append(where, "c.office_id = "+q.arg(s.OfficeID))
	}
	switch {
	case s.AssignedUserID == NoOne:
		where = append(where, "c.assigned_user_id IS NULL")
	case s.AssignedUserID != 0:
		where = append(where, "c.assigned_user_id = "+q.arg(s.AssignedUserID))
	}
	return where
}

// deadlineCond is the condition on d (a case_deadlines row) of a deadline
// figure: its kind, due in the scope's period, not withdrawn by the facts;
// met, closed by a person no later than its due day.
func (q *caseloadSQL) deadlineCond(s CaseloadScope, kind string, met bool) string {
	cond := "d.kind = " + q.arg(kind) + " AND d.due >= " + q.arg(dateArg(s.From)) + " AND d.due <= " + q.arg(dateArg(s.deadlineTo())) +
		" AND NOT d.auto"
	if met {
		cond += " AND " + caseloadMet(q.d)
	}
	return cond
}

// caseloadMet is the condition that deadline d was met.
func caseloadMet(d Dialect) string {
	return "d.done AND d.closed_at IS NOT NULL AND " + caseloadDayOf(d, "d.closed_at") + " <= d.due"
}

// supplementCond is the condition on m (a certificate_messages row) of the
// supplement figure: a request sent in the period.
func (q *caseloadSQL) supplementCond(s CaseloadScope) string {
	return "m.type = 'KOMPLT' AND m.created_at >= " + q.arg(s.From.UTC()) + " AND m.created_at < " + q.arg(s.To.AddDate(0, 0, 1).UTC())
}

// figure is the FROM and the conditions of a figure's cases.
func (q *caseloadSQL) figure(s CaseloadScope, f caseload.Figure) (string, []string, error) {
	from := "sickness_cases c"
	where := q.scope(s)
	add := func(w ...string) { where = append(where, w...) }
	date := func(v string) (string, error) {
		t, err := time.Parse(dateLayout, v)
		if err != nil {
			return "", fmt.Errorf("caseload figure %s: bad date %q", f.Kind, v)
		}
		return q.arg(dateArg(t)), nil
	}
	open := "c.status = 'open'"
	switch f.Kind {
	case caseload.Open:
		add(open)
	case caseload.Phase:
		add(open, "c.phase = "+q.arg(f.Phase))
	case caseload.Past:
		add(open, "c.chain_day > "+q.arg(f.Day))
	case caseload.Overdue:
		add(open, "c.next_due < "+q.arg(dateArg(s.Today)))
	case caseload.Warnings:
		add(open, "c.warning_count > 0")
	case caseload.Ongoing:
		on, err := date(f.On)
		if err != nil {
			return "", nil, err
		}
		add("c.first_day <= "+on, "(c.status = 'open' OR c.last_day >= "+on+")")
	case caseload.Inflow, caseload.Outflow:
		lo, err := date(f.From)
		if err != nil {
			return "", nil, err
		}
		hi, err := date(f.To)
		if err != nil {
			return "", nil, err
		}
		col := "c.first_day"
		if f.Kind == caseload.Outflow {
			add("c.status = 'closed'")
			col = "c.last_day"
		}
		add(col+" >= "+lo, col+" <= "+hi)
	case caseload.Ended:
		add("c.status = 'closed'", "c.last_day >= "+q.arg(dateArg(s.From)), "c.last_day <= "+q.arg(dateArg(s.To)))
		from, where = caseloadEndedFrom(q.d, where), nil
		if f.Chapter != "" {
			add(caseloadChapter() + " = " + q.arg(f.Chapter))
		}
		if f.Sex != "" {
			add(caseloadSex + " = " + q.arg(f.Sex))
		}
		if f.AgeGroup != "" {
			add(caseloadAgeGroup() + " = " + q.arg(f.AgeGroup))
		}
	case caseload.Deadline:
		add("EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND " + q.deadlineCond(s, f.Deadline, f.Met) + ")")
	case caseload.Supplement:
		add("EXISTS (SELECT 1 FROM certificates ce JOIN certificate_messages m ON m.certificate_id = ce.id WHERE ce.case_id = c.id AND " +
			q.supplementCond(s) + ")")
	case caseload.Coordinated:
		add(open, "EXISTS (SELECT 1 FROM coordinations co WHERE co.case_id = c.id)")
	case caseload.Reconciled:
		add(open, "EXISTS (SELECT 1 FROM coordinations co JOIN meetings m ON m.coordination_id = co.id WHERE co.case_id = c.id AND "+
			caseloadHeldReconciliation+")")
	default:
		return "", nil, fmt.Errorf("caseload: unknown figure %q", f.Kind)
	}
	if len(where) == 0 {
		where = append(where, "1 = 1")
	}
	return from, where, nil
}

// CaseloadCount counts the cases of a figure.
func CaseloadCount(ctx context.Context, tx *Tx, s CaseloadScope, f caseload.Figure) (int, error) {
	q := &caseloadSQL{d: tx.Dialect()}
	from, where, err := q.figure(s, f)
	if err != nil {
		return 0, err
	}
	var n int
	err = tx.QueryRow(ctx, "SELECT COUNT(*) FROM "+from+" WHERE "+strings.Join(where, " AND "), q.args...).Scan(&n)
	return n, err
}

// CaseloadRow is one case of a figure's list: no name and no
// personnummer, the case's id to open it by.
type CaseloadRow struct {
	ID                int64
	FirstDay, LastDay time.Time
	Status            string
	Office, Assignee  string
	ChainDay          int
	Phase             string
	NextDue           time.Time // NoDue when none
	NextKind          string
	Warnings          int
	// For the Ended figure: the case's length in days, and the sex and
	// age group of its person.
	Days          int
	Sex, AgeGroup string
	// Personnummer is for the audit entry of the read; it is never shown.
	Personnummer string
}

// MaxCaseloadPage bounds one page of a figure's list.
const MaxCaseloadPage = 500

// CaseloadList reads one page of a figure's cases in id order, after the
// case id after, and the id to continue after (0 at the end).
func CaseloadList(ctx context.Context, tx *Tx, s CaseloadScope, f caseload.Figure, after int64, limit int) ([]CaseloadRow, int64, error) {
	q := &caseloadSQL{d: tx.Dialect()}
	from, where, err := q.figure(s, f)
	if err != nil {
		return nil, 0, err
	}
	if limit <= 0 || limit > MaxCaseloadPage {
		limit = 50
	}
	extra := ", 0, '', '', p.personnummer"
	if f.Kind == caseload.Ended {
		extra = ", " + caseloadDays(q.d) + ", " + caseloadSex + ", " + caseloadAgeGroup() + ", c.pnr"
	}
	where = append(where, "c.id > "+q.arg(after))
	// The page's cases are chosen first and only they are joined to their
	// person, office and case worker: where the planner expects few cases
	// and finds thousands (a deadline met, a few dozen expected) it
	// otherwise joined every one of them before sorting and keeping a page.
	page := "(SELECT c.* FROM " + from + " WHERE " + strings.Join(where, " AND ") + " ORDER BY c.id LIMIT " + q.arg(limit+1) + ") c"
	if f.Kind != caseload.Ended {
		page += " JOIN persons p ON p.id = c.person_id"
	}
	query := `SELECT c.id, c.first_day, c.last_day, c.status, COALESCE(o.name, ''), COALESCE(u.name, ''), c.chain_day, c.phase,
		c.next_due, c.next_kind, c.warning_count` + extra + ` FROM ` + page + `
		LEFT JOIN offices o ON o.id = c.office_id LEFT JOIN users u ON u.id = c.assigned_user_id
		ORDER BY c.id`
	rows, err := queryRows(ctx, tx, func(r *CaseloadRow) []any {
		return []any{&r.ID, &r.FirstDay, &r.LastDay, &r.Status, &r.Office, &r.Assignee, &r.ChainDay, &r.Phase,
			&r.NextDue, &r.NextKind, &r.Warnings, &r.Days, &r.Sex, &r.AgeGroup, &r.Personnummer}
	}, query, q.args...)
	if err != nil {
		return nil, 0, err
	}
	for i := range rows {
		rows[i].FirstDay, rows[i].LastDay, rows[i].NextDue = rows[i].FirstDay.UTC(), rows[i].LastDay.UTC(), rows[i].NextDue.UTC()
	}
	var next int64
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	return rows, next, nil
}

// CaseloadIDs calls each with the id of every case of a figure, in id
// order, from one query: the cases CaseloadList pages through, read
// without the columns of a row and without paging, so that a list of
// 200,000 cases can be checked against its figure in one pass.
func CaseloadIDs(ctx context.Context, tx *Tx, s CaseloadScope, f caseload.Figure, each func(id int64) error) error {
	q := &caseloadSQL{d: tx.Dialect()}
	from, where, err := q.figure(s, f)
	if err != nil {
		return err
	}
	rows, err := tx.Query(ctx, "SELECT c.id FROM "+from+" WHERE "+strings.Join(where, " AND ")+" ORDER BY c.id", q.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		if err := each(id); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CaseloadPlace is the open cases of one office, case worker and phase.
type CaseloadPlace struct {
	OfficeID, UserID int64 // 0: none
	Phase            string
	Open             int
	Overdue          int
	Warnings         int
	// Past counts the cases past each of caseload.PastDays.
	Past []int
}

// CaseloadDay is a count of an office's cases on one day.
type CaseloadDay struct {
	OfficeID int64 // 0: none
	Day      time.Time
	Count    int
}

// CaseloadFlow is the cases that began and ended, by office and day: the
// weekly series of the dashboard, per office and in all. Cases sick on a
// day d are those begun by d less those that ended before d.
type CaseloadFlow struct {
	// Started counts the cases by first day within the period, Closed the
	// closed cases by last day.
	Started, Closed []CaseloadDay
	// StartedBefore and EndedBefore count, by office, the cases begun
	// before the period and the closed ones that ended before it.
	StartedBefore, EndedBefore map[int64]int
}

// CaseloadEnded is the closed cases of one duration, chapter, sex and age
// group.
type CaseloadEnded struct {
	Chapter, Sex, AgeGroup string
	Days, Count            int
}

// CaseloadDeadline is the cases with a deadline of one kind due in the
// period, and how many of them met it.
type CaseloadDeadline struct {
	Kind       string
	Cases, Met int
}

// CaseloadSummary is what the dashboard shows, as counted by the database.
type CaseloadSummary struct {
	Places    []CaseloadPlace
	Flow      CaseloadFlow
	Durations []CaseloadEnded
	Deadlines []CaseloadDeadline
	// Supplement requests sent in the period: the cases they concern, the
	// requests, and the times to answer of those answered.
	SupplementCases, SupplementRequests int
	AnswerTimes                         []time.Duration
	// Coordination of the open cases: for each coordinated case the days
	// from its first day to the coordination's start, and for each whose
	// coordination held an avstämningsmöte the days to the first one.
	CoordinationDays, ReconciliationDays []int
}

// caseloadHeldReconciliation is the condition on m (a meetings row) that
// it is an avstämningsmöte that was held.
const caseloadHeldReconciliation = "m.kind = 'avstamningsmote' AND m.status = 'held'"

// caseloadCoordination reads the days from each open case's first day to
// its coordination's start, and to its first avstämningsmöte held: two
// passes over the coordinated cases of the scope (few beside the
// caseload).
func caseloadCoordination(ctx context.Context, tx *Tx, s CaseloadScope, where func(*caseloadSQL, ...string) string) (coord, held []int, err error) {
	type row struct {
		ID        int64
		First, At time.Time
	}
	days := func(r row) int { return int(r.At.UTC().Sub(r.First.UTC()).Hours() / 24) }
	q := &caseloadSQL{d: tx.Dialect()}
	started, err := queryRows(ctx, tx, func(r *row) []any { return []any{&r.ID, &r.First, &r.At} },
		"SELECT c.id, c.first_day, co.started_at FROM sickness_cases c JOIN coordinations co ON co.case_id = c.id WHERE "+
			where(q, "c.status = 'open'"), q.args...)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range started {
		coord = append(coord, days(r))
	}
	q = &caseloadSQL{d: tx.Dialect()}
	meetings, err := queryRows(ctx, tx, func(r *row) []any { return []any{&r.ID, &r.First, &r.At} },
		"SELECT c.id, c.first_day, m.starts_at FROM sickness_cases c JOIN coordinations co ON co.case_id = c.id "+
			"JOIN meetings m ON m.coordination_id = co.id WHERE "+where(q, "c.status = 'open'", caseloadHeldReconciliation), q.args...)
	if err != nil {
		return nil, nil, err
	}
	first := map[int64]row{}
	for _, r := range meetings {
		if f, ok := first[r.ID]; !ok || r.At.Before(f.At) {
			first[r.ID] = r
		}
	}
	for _, r := range first {
		held = append(held, days(r))
	}
	return coord, held, nil
}

// CaseloadFlowOf counts the cases that began and ended in the scope's
// period by office and day, and those before it: two grouped passes and
// one count, however long the period.
func CaseloadFlowOf(ctx context.Context, tx *Tx, s CaseloadScope) (CaseloadFlow, error) {
	f := CaseloadFlow{StartedBefore: map[int64]int{}, EndedBefore: map[int64]int{}}
	where := func(q *caseloadSQL, more ...string) string {
		return strings.Join(append(q.scope(s), more...), " AND ")
	}
	days := func(col string, more ...string) ([]CaseloadDay, error) {
		q := &caseloadSQL{d: tx.Dialect()}
		w := where(q, append(more, col+" >= "+q.arg(dateArg(s.From)), col+" <= "+q.arg(dateArg(s.To)))...)
		out, err := queryRows(ctx, tx, func(r *CaseloadDay) []any { return []any{&r.OfficeID, &r.Day, &r.Count} },
			"SELECT COALESCE(c.office_id, 0), "+col+", COUNT(*) FROM sickness_cases c WHERE "+w+" GROUP BY 1, 2 ORDER BY 2, 1", q.args...)
		for i := range out {
			out[i].Day = out[i].Day.UTC()
		}
		return out, err
	}
	var err error
	if f.Started, err = days("c.first_day"); err != nil {
		return f, err
	}
	if f.Closed, err = days("c.last_day", "c.status = 'closed'"); err != nil {
		return f, err
	}
	q := &caseloadSQL{d: tx.Dialect()}
	from := q.arg(dateArg(s.From))
	err = scanAll(ctx, tx, "SELECT COALESCE(c.office_id, 0), COUNT(*), "+
		"SUM(CASE WHEN c.status = 'closed' AND c.last_day < "+from+" THEN 1 ELSE 0 END) FROM sickness_cases c WHERE "+
		where(q, "c.first_day < "+from)+" GROUP BY 1", q.args, func(r *Rows) error {
		var office int64
		var begun, ended int
		if err := r.Scan(&office, &begun, &ended); err != nil {
			return err
		}
		f.StartedBefore[office], f.EndedBefore[office] = begun, ended
		return nil
	})
	return f, err
}

// CaseloadDeadlineKinds are the deadlines whose share met the dashboard
// shows: the return-to-work plan by day 30 and the assessments before
// days 91 and 181 (casework's kinds).
var CaseloadDeadlineKinds = []string{"return_plan", "assess_day_91", "assess_day_181"}

// CaseloadSummaryOf computes the dashboard of a scope.
func CaseloadSummaryOf(ctx context.Context, tx *Tx, s CaseloadScope) (CaseloadSummary, error) {
	var sum CaseloadSummary
	d := tx.Dialect()
	where := func(q *caseloadSQL, more ...string) string {
		w := append(q.scope(s), more...)
		if len(w) == 0 {
			return "1 = 1"
		}
		return strings.Join(w, " AND ")
	}

	// Open cases by office, case worker and phase.
	q := &caseloadSQL{d: d}
	today := q.arg(dateArg(s.Today))
	sel := "SELECT COALESCE(c.office_id, 0), COALESCE(c.assigned_user_id, 0), c.phase, COUNT(*), " +
		"SUM(CASE WHEN c.next_due < " + today + " THEN 1 ELSE 0 END), SUM(CASE WHEN c.warning_count > 0 THEN 1 ELSE 0 END)"
	for _, day := range caseload.PastDays {
		sel += fmt.Sprintf(", SUM(CASE WHEN c.chain_day > %d THEN 1 ELSE 0 END)", day)
	}
	rows, err := tx.Query(ctx, sel+" FROM sickness_cases c WHERE "+where(q, "c.status = 'open'")+" GROUP BY 1, 2, 3 ORDER BY 1, 2, 3", q.args...)
	if err != nil {
		return sum, err
	}
	for rows.Next() {
		p := CaseloadPlace{Past: make([]int, len(caseload.PastDays))}
		dest := []any{&p.OfficeID, &p.UserID, &p.Phase, &p.Open, &p.Overdue, &p.Warnings}
		for i := range p.Past {
			dest = append(dest, &p.Past[i])
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return sum, err
		}
		sum.Places = append(sum.Places, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return sum, err
	}

	if sum.Flow, err = CaseloadFlowOf(ctx, tx, s); err != nil {
		return sum, err
	}

	// Durations of the cases that ended in the period.
	q = &caseloadSQL{d: d}
	w := where(q, "c.status = 'closed'", "c.last_day >= "+q.arg(dateArg(s.From)), "c.last_day <= "+q.arg(dateArg(s.To)))
	if sum.Durations, err = queryRows(ctx, tx, func(r *CaseloadEnded) []any {
		return []any{&r.Chapter, &r.Sex, &r.AgeGroup, &r.Days, &r.Count}
	}, "SELECT "+caseloadChapter()+", "+caseloadSex+", "+caseloadAgeGroup()+", "+caseloadDays(d)+", COUNT(*) FROM "+
		caseloadEndedFrom(d, []string{w})+" GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4", q.args...); err != nil {
		return sum, err
	}

	// Deadlines met.
	for _, kind := range CaseloadDeadlineKinds {
		q := &caseloadSQL{d: d}
		dl := CaseloadDeadline{Kind: kind}
		cond := q.deadlineCond(s, kind, false)
		if err := tx.QueryRow(ctx, "SELECT COUNT(DISTINCT c.id), COUNT(DISTINCT CASE WHEN "+caseloadMet(d)+
			" THEN c.id END) FROM sickness_cases c JOIN case_deadlines d ON d.case_id = c.id WHERE "+where(q, cond),
			q.args...).Scan(&dl.Cases, &dl.Met); err != nil {
			return sum, err
		}
		sum.Deadlines = append(sum.Deadlines, dl)
	}

	// Supplement requests.
	q = &caseloadSQL{d: d}
	w = where(q, q.supplementCond(s))
	rows, err = tx.Query(ctx, "SELECT c.id, m.created_at, m.answered_at FROM sickness_cases c JOIN certificates ce ON ce.case_id = c.id "+
		"JOIN certificate_messages m ON m.certificate_id = ce.id WHERE "+w, q.args...)
	if err != nil {
		return sum, err
	}
	seen := map[int64]bool{}
	for rows.Next() {
		var id int64
		var sent time.Time
		var answered sql.NullTime
		if err := rows.Scan(&id, &sent, &answered); err != nil {
			rows.Close()
			return sum, err
		}
		sum.SupplementRequests++
		seen[id] = true
		if answered.Valid {
			sum.AnswerTimes = append(sum.AnswerTimes, answered.Time.Sub(sent))
		}
	}
	rows.Close()
	sum.SupplementCases = len(seen)
	if err := rows.Err(); err != nil {
		return sum, err
	}
	sum.CoordinationDays, sum.ReconciliationDays, err = caseloadCoordination(ctx, tx, s, where)
	return sum, err
}

// CasePlace is where an open case belongs.
type CasePlace struct {
	OfficeID, CustomerGroupID int64
}

// CasePlaces reads the office and customer group of the open cases with
// ids in [lo, hi]: what-if runs group by them.
func CasePlaces(ctx context.Context, q Querier, lo, hi int64) (map[int64]CasePlace, error) {
	rows, err := q.Query(ctx, `SELECT id, COALESCE(office_id, 0), COALESCE(customer_group_id, 0) FROM sickness_cases
		WHERE id >= $1 AND id <= $2 AND status = 'open'`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]CasePlace{}
	for rows.Next() {
		var id int64
		var p CasePlace
		if err := rows.Scan(&id, &p.OfficeID, &p.CustomerGroupID); err != nil {
			return nil, err
		}
		out[id] = p
	}
	return out, rows.Err()
}

// OpenCaseCount counts the open cases, of an office and a customer group
// when they are not 0.
func OpenCaseCount(ctx context.Context, q Querier, officeID, groupID int64) (int, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM sickness_cases WHERE status = 'open'
		AND ($1 = 0 OR office_id = $1) AND ($2 = 0 OR customer_group_id = $2)`, officeID, groupID).Scan(&n)
	return n, err
}
