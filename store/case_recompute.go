package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// This file holds the nightly recompute's side of the store: reading open
// cases in id order in batches with every fact the rules and casework
// need (a fixed number of queries per batch, not per case), and writing
// the results back with multi-row statements.

// RecomputeCase is one open case with its facts and what was stored for it.
type RecomputeCase struct {
	ID, PersonID int64
	// Personnummer is the person's, for the birth date the age limit of
	// the rules needs; it is never logged.
	Personnummer      string
	FirstDay, LastDay time.Time
	Employment        string
	AnnualIncomeOre   int64
	SeriousIllness    bool
	// NextDue (NoDue when none), Phase and WarningCount are the values
	// stored: the state is written without them when they stay, since the
	// worklist indexes hold them.
	NextDue      time.Time
	Phase        string
	WarningCount int

	Periods      []Period
	Certificates []RecomputeCertificate
	Supplements  []RecomputeSupplement
	LastContact  time.Time // zero if none
	PlanActions  int
	CaseStarts   []time.Time // first days of all the person's cases

	Deadlines []StoredDeadline
	Warnings  []StoredWarning
}

// RecomputeCertificate is what the recompute reads of a certificate.
type RecomputeCertificate struct {
	ID                int64
	SignedAt          time.Time
	FirstDay, LastDay time.Time
	DiagnosisCode     string
	QualityScore      int
	Findings          []byte // JSON list
	Body              []byte // canonical JSON, for the FMB motivation
}

// RecomputeSupplement is a supplement request about a certificate of the
// case.
type RecomputeSupplement struct {
	MessageID int64
	SentAt    time.Time
	AnswerBy  time.Time
	Answered  bool
}

// StoredDeadline is a deadline as stored, for the recompute to compare.
type StoredDeadline struct {
	ID        int64
	Kind, Key string
	Due       time.Time
	Ref       string
	Done      bool
	Auto      bool
}

// StoredWarning is a warning as stored.
type StoredWarning struct {
	Kind, Rule, Ref string
	Args            []int
}

// recomputeCaseColumns are the case's own facts, read by readRecomputeCases.
// The person's personnummer comes from a correlated subquery so that
// callers keep selecting FROM sickness_cases alone.
const recomputeCaseColumns = "id, person_id, (SELECT p.personnummer FROM persons p WHERE p.id = sickness_cases.person_id), first_day, last_day, employment, annual_income_ore, serious_illness, next_due, phase, warning_count"

// OpenCaseBatch reads up to limit open cases with ids above after, in id
// order, with their facts. An empty result means the end.
func OpenCaseBatch(ctx context.Context, q Querier, after int64, limit int) ([]RecomputeCase, error) {
	out, err := readRecomputeCases(ctx, q, "SELECT "+recomputeCaseColumns+
		" FROM sickness_cases WHERE status = 'open' AND id > $1 ORDER BY id LIMIT $2", after, limit)
	if err != nil || len(out) == 0 {
		return out, err
	}
	// Closed cases in the id range are read needlessly by some of the
	// queries but never join an open one's facts.
	return out, attachCaseFacts(ctx, q, out, " AND c.status = 'open'")
}

func readRecomputeCases(ctx context.Context, q Querier, query string, args ...any) ([]RecomputeCase, error) {
	return queryList(ctx, q, func(scan func(...any) error) (RecomputeCase, error) {
		var c RecomputeCase
		err := scan(&c.ID, &c.PersonID, &c.Personnummer, &c.FirstDay, &c.LastDay, &c.Employment, &c.AnnualIncomeOre, &c.SeriousIllness, &c.NextDue,
			&c.Phase, &c.WarningCount)
		c.FirstDay, c.LastDay, c.NextDue = c.FirstDay.UTC(), c.LastDay.UTC(), c.NextDue.UTC()
		return c, err
	}, query, args...)
}

// factStep is one query of a batch's facts over its id range ($1, $2)
// and what to do with each row.
type factStep struct {
	query string
	scan  func(r *Rows) error
}

// casePeriodsStep reads the sick-leave periods of the cases in at, with
// their certificates' signing times.
func casePeriodsStep(at map[int64]*RecomputeCase, caseFilter string) factStep {
	return factStep{`SELECT c.id, ` + periodColumns + `
			FROM sickness_cases c JOIN sick_leave_periods sp ON sp.person_id = c.person_id
			AND sp.to_day >= c.first_day AND sp.from_day <= c.last_day
			LEFT JOIN certificates pc ON pc.id = sp.certificate_id
			WHERE c.id BETWEEN $1 AND $2` + caseFilter + ` ORDER BY c.id, sp.from_day, sp.id`,
		func(r *Rows) error {
			var id int64
			var p Period
			var signed sql.NullTime
			if err := r.Scan(append([]any{&id}, periodDest(&p, &signed)...)...); err != nil {
				return err
			}
			if c := at[id]; c != nil {
				p.fix(signed)
				c.Periods = append(c.Periods, p)
			}
			return nil
		}}
}

// OpenCaseRulesBatch is OpenCaseBatch with only the facts the rules
// engine evaluates a case by: the case's own, its sick-leave periods with
// their certificates' signing times, and its certificates without their
// findings and body (their days and diagnoses). A what-if run reads this:
// two queries a batch instead of eight, and none of the certificates'
// bodies, which are most of the bytes OpenCaseBatch reads.
func OpenCaseRulesBatch(ctx context.Context, q Querier, after int64, limit int) ([]RecomputeCase, error) {
	out, err := readRecomputeCases(ctx, q, "SELECT "+recomputeCaseColumns+
		" FROM sickness_cases WHERE status = 'open' AND id > $1 ORDER BY id LIMIT $2", after, limit)
	if err != nil || len(out) == 0 {
		return out, err
	}
	return out, readFacts(ctx, q, out, func(at map[int64]*RecomputeCase) []factStep {
		return []factStep{casePeriodsStep(at, " AND c.status = 'open'"),
			caseFact(at, `SELECT case_id, id, signed_at, first_day, last_day, diagnosis_code
				FROM certificates WHERE case_id BETWEEN $1 AND $2 ORDER BY case_id, signed_at, id`,
				func(x *RecomputeCertificate) []any {
					return []any{&x.ID, &x.SignedAt, &x.FirstDay, &x.LastDay, &x.DiagnosisCode}
				},
				func(c *RecomputeCase, x RecomputeCertificate) { c.Certificates = append(c.Certificates, x) }),
		}
	})
}

// OpenCaseMarks are the ids after which each batch of up to every open
// cases begins, in id order: 0 and then the id of every every-th open
// case. OpenCaseBatch or OpenCaseRulesBatch after the i-th mark with the
// limit every reads the i-th batch, so that several readers can read the
// batches of one pass at once. The marks are one id for every batch,
// a hundred for 200,000 cases in batches of 2,000.
func OpenCaseMarks(ctx context.Context, q Querier, every int) ([]int64, error) {
	if every <= 0 {
		return nil, fmt.Errorf("open case marks: every %d", every)
	}
	rows, err := q.Query(ctx, "SELECT id FROM sickness_cases WHERE status = 'open' ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	marks := []int64{0}
	for n := 1; rows.Next(); n++ {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		if n%every == 0 {
			marks = append(marks, id)
		}
	}
	return marks, rows.Err()
}

// attachCaseFacts reads the facts of cases (in id order, not empty) with
// one query per kind of fact over their id range. caseFilter narrows the
// queries that join sickness_cases c ("" for none).
func attachCaseFacts(ctx context.Context, q Querier, out []RecomputeCase, caseFilter string) error {
	return readFacts(ctx, q, out, func(at map[int64]*RecomputeCase) []factStep {
		return []factStep{casePeriodsStep(at, caseFilter),
			caseFact(at, `SELECT case_id, id, signed_at, first_day, last_day, diagnosis_code, quality_score, findings, body
				FROM certificates WHERE case_id BETWEEN $1 AND $2 ORDER BY case_id, signed_at, id`,
				func(x *certificateRow) []any {
					return []any{&x.ID, &x.SignedAt, &x.FirstDay, &x.LastDay, &x.DiagnosisCode, &x.QualityScore, &x.findings, &x.body}
				},
				func(c *RecomputeCase, x certificateRow) {
					x.Findings, x.Body = []byte(x.findings), []byte(x.body)
					c.Certificates = append(c.Certificates, x.RecomputeCertificate)
				}),
			caseFact(at, `SELECT c.case_id, m.id, m.created_at, m.last_answer_date, m.answered_at IS NOT NULL
				FROM certificate_messages m JOIN certificates c ON c.id = m.certificate_id
				WHERE c.case_id BETWEEN $1 AND $2 AND m.type = 'KOMPLT' ORDER BY c.case_id, m.id`,
				func(s *RecomputeSupplement) []any { return []any{&s.MessageID, &s.SentAt, &s.AnswerBy, &s.Answered} },
				func(c *RecomputeCase, s RecomputeSupplement) { c.Supplements = append(c.Supplements, s) }),
			{`SELECT case_id, MAX(contact_on) FROM case_notes WHERE case_id BETWEEN $1 AND $2 AND kind = 'contact' GROUP BY case_id`,
				func(r *Rows) error {
					// SQLite gives MAX of a DATE column back as text: the
					// aggregate has no declared type for the driver to go by.
					var id int64
					var on any
					if err := r.Scan(&id, &on); err != nil {
						return err
					}
					if c := at[id]; c != nil {
						day, err := anyDay(on)
						if err != nil {
							return fmt.Errorf("last contact of case %d: %w", id, err)
						}
						c.LastContact = day
					}
					return nil
				}},
			caseFact(at, `SELECT case_id, COUNT(*) FROM plan_actions WHERE case_id BETWEEN $1 AND $2 AND status <> 'cancelled' GROUP BY case_id`,
				func(n *int) []any { return []any{n} },
				func(c *RecomputeCase, n int) { c.PlanActions = n }),
			caseFact(at, `SELECT c.id, o.first_day FROM sickness_cases c JOIN sickness_cases o ON o.person_id = c.person_id
				WHERE c.id BETWEEN $1 AND $2`+caseFilter+` ORDER BY c.id, o.first_day`,
				func(first *time.Time) []any { return []any{first} },
				func(c *RecomputeCase, first time.Time) { c.CaseStarts = append(c.CaseStarts, first) }),
			caseFact(at, `SELECT case_id, id, kind, dkey, due, ref, done, auto FROM case_deadlines WHERE case_id BETWEEN $1 AND $2`,
				func(d *StoredDeadline) []any { return []any{&d.ID, &d.Kind, &d.Key, &d.Due, &d.Ref, &d.Done, &d.Auto} },
				func(c *RecomputeCase, d StoredDeadline) { c.Deadlines = append(c.Deadlines, d) }),
			caseFact(at, `SELECT case_id, kind, rule, ref, args FROM case_warnings WHERE case_id BETWEEN $1 AND $2`,
				func(w *warningRow) []any { return []any{&w.Kind, &w.Rule, &w.Ref, &w.args} },
				func(c *RecomputeCase, w warningRow) {
					w.Args = parseInts(w.args)
					c.Warnings = append(c.Warnings, w.StoredWarning)
				}),
		}
	})
}

// readFacts reads the facts of cases (in id order, not empty) with the
// steps, each one query over the cases' id range; steps makes them for
// the cases by id.
func readFacts(ctx context.Context, q Querier, out []RecomputeCase, steps func(at map[int64]*RecomputeCase) []factStep) error {
	lo, hi := out[0].ID, out[len(out)-1].ID
	at := make(map[int64]*RecomputeCase, len(out))
	for i := range out {
		at[out[i].ID] = &out[i]
	}
	for _, s := range steps(at) {
		if err := scanAll(ctx, q, s.query, []any{lo, hi}, s.scan); err != nil {
			return err
		}
	}
	return nil
}

// caseFact is a factStep whose rows are a case id and then one fact of
// the case: dest gives the fact's destinations (its times are read in
// UTC, as scanUTC reads them) and add hands the fact to its case, for
// the cases in at. The destinations are made once for the step and
// every row is scanned into them (a scan sets each of them), so the
// nightly recompute's many rows cost no allocation of their own here.
func caseFact[T any](at map[int64]*RecomputeCase, query string, dest func(*T) []any, add func(c *RecomputeCase, v T)) factStep {
	var id int64
	var v T
	args := append([]any{&id}, dest(&v)...)
	return factStep{query, func(r *Rows) error {
		if err := scanUTC(r.Scan, args...); err != nil {
			return err
		}
		if c := at[id]; c != nil {
			add(c, v)
		}
		return nil
	}}
}

// certificateRow is a certificate's row as the recompute reads it, its
// findings and body as text.
type certificateRow struct {
	RecomputeCertificate
	findings, body string
}

// warningRow is a stored warning's row, its arguments as text.
type warningRow struct {
	StoredWarning
	args string
}

// anyDay reads a date that came back as a time, as text or as NULL.
func anyDay(v any) (time.Time, error) {
	return anyTimeOr(v, "date", func(s string) (time.Time, error) {
		return time.Parse(dateLayout, s[:min(len(s), len(dateLayout))])
	})
}

// anyTimeOr reads a time that came back as a time (in UTC), as NULL (the
// zero time) or as text, which parse reads; what names the kind of value
// in the error for any other type.
func anyTimeOr(v any, what string, parse func(string) (time.Time, error)) (time.Time, error) {
	switch v := v.(type) {
	case nil:
		return time.Time{}, nil
	case time.Time:
		return v.UTC(), nil
	case string:
		return parse(v)
	case []byte:
		return parse(string(v))
	}
	return time.Time{}, fmt.Errorf("unexpected %s value %T", what, v)
}

// CaseUpdate is what the recompute derived for one case.
type CaseUpdate struct {
	ID        int64
	State     CaseState
	Deadlines []StoredDeadline // ID ignored
	Warnings  []StoredWarning
}

// valueColumn is a column of a VALUES list, with its PostgreSQL type (a
// VALUES list has no column types of its own there).
type valueColumn struct{ name, pgType string }

// caseStateColumns are written by SaveRecomputed.
var caseStateColumns = []valueColumn{
	{"id", "bigint"}, {"eval_date", "date"}, {"eval_error", "text"}, {"sick", "boolean"}, {"chain_day", "integer"},
	{"phase", "text"}, {"payer", "text"}, {"level", "text"}, {"degree", "integer"}, {"frame_days", "integer"},
	{"sgi_kr", "bigint"}, {"daily_amount_kr", "bigint"}, {"day_91", "date"}, {"day_181", "date"}, {"day_366", "date"},
	{"continuation_day", "date"}, {"time_limit_day", "date"}, {"next_due", "date"}, {"next_kind", "text"},
	{"open_deadlines", "integer"}, {"warning_count", "integer"}, {"recomputed_at", "timestamptz"},
	{"eval_provisional", "text"},
}

func caseStateArgs(u *CaseUpdate, now time.Time) []any {
	s := &u.State
	due := s.NextDue
	if due.IsZero() {
		due = NoDue
	}
	return []any{u.ID, nullDate(s.EvalDate), s.EvalError, s.Sick, s.ChainDay, s.Phase, s.Payer, s.Level, s.Degree,
		s.FrameDays, s.SGIKr, s.DailyAmountKr, nullDate(s.Day91), nullDate(s.Day181), nullDate(s.Day366),
		nullDate(s.ContinuationDay), nullDate(s.TimeLimitDay), dateArg(due), s.NextKind, s.OpenDeadlines,
		s.WarningCount, now.UTC(), s.Provisional}
}

// valuesCTE is "WITH v (a, b) AS (VALUES (…), (…)) " for rows rows of
// cols, the values cast to their types on PostgreSQL.
func valuesCTE(d Dialect, cols []valueColumn, rows int) string {
	var b strings.Builder
	b.Grow(32 + rows*len(cols)*12)
	b.WriteString("WITH v (")
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.name)
	}
	b.WriteString(") AS (VALUES ")
	k := 0
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for i, c := range cols {
			if i > 0 {
				b.WriteString(", ")
			}
			k++
			writePlaceholder(&b, d, k)
			if d == Postgres {
				b.WriteString("::" + c.pgType)
			}
		}
		b.WriteByte(')')
	}
	b.WriteString(") ")
	return b.String()
}

// execValues runs statement (which reads the rows from the CTE v) over
// args, a flat list of rows of cols, a few thousand parameters at a time.
// A statement of the most rows runs prepared on SQLite when Prepare has
// prepared it (RecomputeStatements).
func execValues(ctx context.Context, tx *Tx, cols []valueColumn, args []any, statement string) error {
	return eachStatement(tx, len(cols), args, func(rows int, args []any) error {
		_, err := tx.execPrepared(ctx, valuesCTE(tx.Dialect(), cols, rows)+statement, args...)
		return err
	})
}

// eachStatement splits args, a flat list of rows of width values each,
// into multi-row statements of at most statementParams parameters, and
// calls run with each statement's number of rows and its arguments (marked
// by unpreparedUnless), stopping at the first error.
func eachStatement(tx *Tx, width int, args []any, run func(rows int, args []any) error) error {
	per := statementParams / width * width
	for lo := 0; lo < len(args); lo += per {
		hi := min(lo+per, len(args))
		if err := run((hi-lo)/width, unpreparedUnless(hi-lo == per, tx, args[lo:hi])); err != nil {
			return err
		}
	}
	return nil
}

// fullValuesStatement is the text execValues runs for a statement of the
// most rows.
func fullValuesStatement(d Dialect, cols []valueColumn, statement string) string {
	return valuesCTE(d, cols, statementParams/len(cols)) + statement
}

// fullInsertStatement is the text insertRows runs for a statement of the
// most rows.
func fullInsertStatement(d Dialect, into string, width int) string {
	return "INSERT INTO " + into + " VALUES " + valuesList(d, statementParams/width, width)
}

// RecomputeStatements are SaveRecomputed's statements of the most rows,
// to Prepare before a recompute: on SQLite, preparing a statement of a
// few thousand parameters costs about a third of running it, batch after
// batch.
func RecomputeStatements() []string {
	return []string{
		fullValuesStatement(SQLite, caseStateColumns, updateCasesStatement(caseStateColumns)),
		fullValuesStatement(SQLite, caseStateSameKeys, updateCasesStatement(caseStateSameKeys)),
		fullInsertStatement(SQLite, insertDeadlinesInto, 8),
		fullValuesStatement(SQLite, deadlineDueColumns, updateDeadlineDue),
		fullValuesStatement(SQLite, deadlineColumns, updateDeadlines),
		fullInsertStatement(SQLite, insertWarningsInto, 6),
		fullValuesStatement(SQLite, warningColumns, updateWarnings),
		fullValuesStatement(SQLite, warningKeyColumns, deleteWarnings),
	}
}

const (
	insertDeadlinesInto = "case_deadlines (case_id, kind, dkey, due, ref, done, auto, closed_at)"
	insertWarningsInto  = "case_warnings (case_id, kind, rule, ref, args, raised_on)"
)

// worklistKeyColumns are the columns of caseStateColumns that the
// worklist indexes hold (by their place), and caseStateSameKeys the
// columns without them.
var (
	worklistKeyColumns = []int{columnAt("phase"), columnAt("next_due"), columnAt("warning_count")}
	caseStateSameKeys  = slices.DeleteFunc(slices.Clone(caseStateColumns), func(c valueColumn) bool {
		return c.name == "phase" || c.name == "next_due" || c.name == "warning_count"
	})
)

func columnAt(name string) int {
	i := slices.IndexFunc(caseStateColumns, func(c valueColumn) bool { return c.name == name })
	if i < 0 {
		panic("store: no case state column " + name)
	}
	return i
}

// sameKeys reports whether the update leaves the worklist indexes' columns
// as stored.
func sameKeys(c *RecomputeCase, args []any) bool {
	return !c.NextDue.IsZero() && dateArg(c.NextDue) == args[worklistKeyColumns[1]] &&
		c.Phase == args[worklistKeyColumns[0]] && c.WarningCount == args[worklistKeyColumns[2]]
}

// withoutKeys appends args without the worklist indexes' columns.
func withoutKeys(dst, args []any) []any {
	for i, a := range args {
		if !slices.Contains(worklistKeyColumns, i) {
			dst = append(dst, a)
		}
	}
	return dst
}

// updateCasesStatement writes cols (the first is the id) from v.
func updateCasesStatement(cols []valueColumn) string {
	var b strings.Builder
	b.WriteString("UPDATE sickness_cases SET ")
	for i, c := range cols[1:] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s = v.%s", c.name, c.name)
	}
	b.WriteString(" FROM v WHERE sickness_cases.id = v.id")
	return b.String()
}

// The changes to deadlines and warnings, each kind in multi-row
// statements. A deadline a person closed is left as they closed it even
// if the batch read it before they did.
var (
	deadlineDueColumns = []valueColumn{{"id", "bigint"}, {"due", "date"}, {"ref", "text"}}
	deadlineColumns    = []valueColumn{{"id", "bigint"}, {"due", "date"}, {"ref", "text"}, {"done", "boolean"},
		{"auto", "boolean"}, {"closed_at", "timestamptz"}}
	warningColumns    = []valueColumn{{"case_id", "bigint"}, {"kind", "text"}, {"rule", "text"}, {"ref", "text"}, {"args", "text"}}
	warningKeyColumns = []valueColumn{{"case_id", "bigint"}, {"kind", "text"}}
)

const (
	updateDeadlineDue = "UPDATE case_deadlines SET due = v.due, ref = v.ref FROM v WHERE case_deadlines.id = v.id"
	updateDeadlines   = `UPDATE case_deadlines SET due = v.due, ref = v.ref, done = v.done, auto = v.auto, closed_at = v.closed_at
		FROM v WHERE case_deadlines.id = v.id AND (case_deadlines.auto OR NOT case_deadlines.done)`
	updateWarnings = `UPDATE case_warnings SET rule = v.rule, ref = v.ref, args = v.args
		FROM v WHERE case_warnings.case_id = v.case_id AND case_warnings.kind = v.kind`
	// A row-value IN, not EXISTS: SQLite answers EXISTS by scanning
	// every warning of every case.
	deleteWarnings = "DELETE FROM case_warnings WHERE (case_id, kind) IN (SELECT case_id, kind FROM v)"
)

// SaveRecomputed writes a batch's results: every case's state in one
// statement, and only the deadlines and warnings that changed, each kind
// of change in one statement. A deadline a person closed stays closed; one
// the facts no longer produce is closed automatically (never deleted);
// warnings that no longer hold are removed. batch and ups are parallel
// (the same cases in the same order).
func SaveRecomputed(ctx context.Context, tx *Tx, batch []RecomputeCase, ups []CaseUpdate, now time.Time) error {
	if len(ups) == 0 {
		return nil
	}
	// Cases whose next due date, phase and warning count stay are written
	// without them: SQLite rewrites the entries of every index on a column
	// that is set, even to the same value, and the three worklist indexes
	// hold all three (most cases keep them from one night to the next).
	moved := make([]any, 0, len(ups)*len(caseStateColumns))
	stayed := make([]any, 0, len(ups)*len(caseStateColumns))
	for i := range ups {
		args := caseStateArgs(&ups[i], now)
		if !sameKeys(&batch[i], args) {
			moved = append(moved, args...)
			continue
		}
		stayed = withoutKeys(stayed, args)
	}
	if err := execValues(ctx, tx, caseStateColumns, moved, updateCasesStatement(caseStateColumns)); err != nil {
		return fmt.Errorf("update cases: %w", err)
	}
	if err := execValues(ctx, tx, caseStateSameKeys, stayed, updateCasesStatement(caseStateSameKeys)); err != nil {
		return fmt.Errorf("update cases: %w", err)
	}
	var insD, insW, dueD, updD, updW, delW []any
	var closeD []string
	for i := range ups {
		c, u := &batch[i], &ups[i]
		stored := make(map[[2]string]*StoredDeadline, len(c.Deadlines))
		for j := range c.Deadlines {
			d := &c.Deadlines[j]
			stored[[2]string{d.Kind, d.Key}] = d
		}
		seen := make(map[[2]string]bool, len(u.Deadlines))
		for _, d := range u.Deadlines {
			k := [2]string{d.Kind, d.Key}
			seen[k] = true
			s := stored[k]
			switch {
			case s == nil:
				insD = append(insD, u.ID, d.Kind, d.Key, dateArg(d.Due), d.Ref, d.Done, d.Auto, nullAutoTime(d, now))
			case s.Done && !s.Auto:
				// Closed by a person: theirs stands, but the due date
				// follows the facts.
				if !s.Due.Equal(d.Due) || s.Ref != d.Ref {
					dueD = append(dueD, s.ID, dateArg(d.Due), d.Ref)
				}
			case !s.Due.Equal(d.Due) || s.Ref != d.Ref || s.Done != d.Done || s.Auto != d.Auto:
				updD = append(updD, s.ID, dateArg(d.Due), d.Ref, d.Done, d.Auto, nullAutoTime(d, now))
			}
		}
		for k, s := range stored {
			if !seen[k] && !s.Done {
				closeD = append(closeD, strconv.FormatInt(s.ID, 10))
			}
		}
		have := make(map[string]*StoredWarning, len(c.Warnings))
		for j := range c.Warnings {
			have[c.Warnings[j].Kind] = &c.Warnings[j]
		}
		for _, w := range u.Warnings {
			s := have[w.Kind]
			delete(have, w.Kind)
			switch {
			case s == nil:
				insW = append(insW, u.ID, w.Kind, w.Rule, w.Ref, formatInts(w.Args), dateArg(u.State.EvalDate))
			case s.Rule != w.Rule || s.Ref != w.Ref || !slices.Equal(s.Args, w.Args):
				updW = append(updW, u.ID, w.Kind, w.Rule, w.Ref, formatInts(w.Args))
			}
		}
		for kind := range have {
			delW = append(delW, u.ID, kind)
		}
	}
	steps := []struct {
		what string
		run  func() error
	}{
		{"insert deadlines", func() error {
			return insertRows(ctx, tx, insertDeadlinesInto, 8, insD)
		}},
		{"move deadlines closed by a person", func() error { return execValues(ctx, tx, deadlineDueColumns, dueD, updateDeadlineDue) }},
		{"update deadlines", func() error { return execValues(ctx, tx, deadlineColumns, updD, updateDeadlines) }},
		{"close vanished deadlines", func() error {
			if len(closeD) == 0 {
				return nil
			}
			// The ids are integers formatted here.
			_, err := tx.Exec(ctx, "UPDATE case_deadlines SET done = TRUE, auto = TRUE, closed_at = $1 WHERE NOT done AND id IN ("+
				strings.Join(closeD, ",")+")", now.UTC())
			return err
		}},
		{"insert warnings", func() error {
			return insertRows(ctx, tx, insertWarningsInto, 6, insW)
		}},
		{"update warnings", func() error { return execValues(ctx, tx, warningColumns, updW, updateWarnings) }},
		{"remove warnings", func() error { return execValues(ctx, tx, warningKeyColumns, delW, deleteWarnings) }},
	}
	for _, st := range steps {
		if err := st.run(); err != nil {
			return fmt.Errorf("%s: %w", st.what, err)
		}
	}
	return nil
}

func nullAutoTime(d StoredDeadline, now time.Time) any {
	if d.Done {
		return now.UTC()
	}
	return nil
}

// insertRows inserts rows of width columns from a flat argument list, in
// statements of at most a few thousand parameters.
func insertRows(ctx context.Context, tx *Tx, into string, width int, args []any) error {
	return eachStatement(tx, width, args, func(rows int, args []any) error {
		_, err := tx.execPrepared(ctx, "INSERT INTO "+into+" VALUES "+valuesList(tx.Dialect(), rows, width), args...)
		return err
	})
}

// unpreparedUnless marks the arguments of a statement built for its number
// of rows, unless full (the statement has the most rows a statement takes,
// a text that comes back batch after batch). pgx prepares and caches every
// distinct text, tens of kilobytes each, on the client and in the server's
// session: the odd-sized remainders run as unnamed statements instead, so
// that what is cached stays one statement per kind. SQLite is left as it
// is.
func unpreparedUnless(full bool, tx *Tx, args []any) []any {
	if full || tx.Dialect() != Postgres {
		return args
	}
	return append([]any{pgx.QueryExecModeExec}, args...)
}

// RecomputeRun is one run of the recompute.
type RecomputeRun struct {
	ID         int64
	EvalDate   time.Time
	StartedAt  time.Time
	FinishedAt time.Time // zero while running or interrupted
	LastCaseID int64
	Processed  int64
	Failed     int64
	// Provisional counts the cases whose result carried a parameter
	// forward past its newest value.
	Provisional int64
	Trigger     string // "command", "nightly"
}

const runColumns = "id, eval_date, started_at, finished_at, last_case_id, processed, failed, trigger, provisional"

func scanRun(scan func(...any) error) (RecomputeRun, error) {
	var r RecomputeRun
	var fin sql.NullTime
	err := scan(&r.ID, &r.EvalDate, &r.StartedAt, &fin, &r.LastCaseID, &r.Processed, &r.Failed, &r.Trigger, &r.Provisional)
	r.EvalDate, r.StartedAt, r.FinishedAt = r.EvalDate.UTC(), r.StartedAt.UTC(), utcDay(fin)
	return r, err
}

// StartRecomputeRun records a new run.
func StartRecomputeRun(ctx context.Context, tx *Tx, evalDate time.Time, trigger string, now time.Time) (RecomputeRun, error) {
	id, err := tx.InsertID(ctx, "INSERT INTO recompute_runs (eval_date, started_at, trigger) VALUES ($1, $2, $3) RETURNING id",
		dateArg(evalDate), now.UTC(), trigger)
	return RecomputeRun{ID: id, EvalDate: evalDate, StartedAt: now.UTC(), Trigger: trigger}, err
}

// UnfinishedRecomputeRun finds the latest run for evalDate that did not
// finish, to resume; ErrNotFound if there is none.
func UnfinishedRecomputeRun(ctx context.Context, q Querier, evalDate time.Time) (RecomputeRun, error) {
	return scanRun(q.QueryRow(ctx, "SELECT "+runColumns+` FROM recompute_runs
		WHERE eval_date = $1 AND finished_at IS NULL ORDER BY id DESC LIMIT 1`, dateArg(evalDate)).Scan)
}

// ProgressRecomputeRun records how far a run got, in the batch's
// transaction, so that a resumed run starts after the last saved case.
func ProgressRecomputeRun(ctx context.Context, tx *Tx, runID, lastCaseID, processed, failed, provisional int64) error {
	res, err := tx.Exec(ctx, `UPDATE recompute_runs SET last_case_id = $2, processed = processed + $3, failed = failed + $4,
		provisional = provisional + $5 WHERE id = $1`,
		runID, lastCaseID, processed, failed, provisional)
	return mustAffect(res, err)
}

// FinishRecomputeRun marks a run finished.
func FinishRecomputeRun(ctx context.Context, tx *Tx, runID int64, now time.Time) error {
	res, err := tx.Exec(ctx, "UPDATE recompute_runs SET finished_at = $2 WHERE id = $1", runID, now.UTC())
	return mustAffect(res, err)
}

// LatestRecomputeRun is the newest run; ErrNotFound if none.
func LatestRecomputeRun(ctx context.Context, q Querier) (RecomputeRun, error) {
	return scanRun(q.QueryRow(ctx, "SELECT "+runColumns+" FROM recompute_runs ORDER BY id DESC LIMIT 1").Scan)
}
