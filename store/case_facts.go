package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CaseFactsByID reads one case, open or closed, with the facts and stored
// deadlines and warnings the recompute reads for a batch (the same queries
// as OpenCaseBatch), so that a person's edit can refresh the case at once.
func CaseFactsByID(ctx context.Context, q Querier, caseID int64) (RecomputeCase, error) {
	out, err := readRecomputeCases(ctx, q, "SELECT "+recomputeCaseColumns+" FROM sickness_cases WHERE id = $1", caseID)
	if err != nil {
		return RecomputeCase{}, err
	}
	if len(out) == 0 {
		return RecomputeCase{}, ErrNotFound
	}
	if err := attachCaseFacts(ctx, q, out, ""); err != nil {
		return RecomputeCase{}, err
	}
	return out[0], nil
}

// CountOpenCases counts the open cases with ids above after: what a
// recompute that has reached after still has to do.
func CountOpenCases(ctx context.Context, q Querier, after int64) (int64, error) {
	var n int64
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM sickness_cases WHERE status = 'open' AND id > $1", after).Scan(&n)
	return n, err
}

// ActiveRecomputeRun finds the newest unfinished run started after since,
// for any date: a run another finsam is likely doing right now.
// ErrNotFound if there is none.
func ActiveRecomputeRun(ctx context.Context, q Querier, since time.Time) (RecomputeRun, error) {
	return scanRun(q.QueryRow(ctx, "SELECT "+runColumns+` FROM recompute_runs
		WHERE finished_at IS NULL AND started_at > $1 ORDER BY id DESC LIMIT 1`, since.UTC()).Scan)
}

// NewCase is a sickness case to load in bulk (generated and demo data):
// the case with its owner and facts, and the person's periods in it.
type NewCase struct {
	PersonID                                  int64
	FirstDay, LastDay                         time.Time
	Status                                    string // CaseOpen when empty
	OfficeID, CustomerGroupID, AssignedUserID int64
	Employment                                string // "employee" when empty
	AnnualIncomeOre                           int64
	EmployerOrgNumber, EmployerName           string
	SeriousIllness                            bool
	// Periods are stored for the person with their Source ("manual" when
	// empty); CertificateID is ignored.
	Periods []Period
}

// statusAndEmployment are the case's status and employment as stored:
// CaseOpen and "employee" when empty.
func (c NewCase) statusAndEmployment() (status, employment string) {
	status, employment = c.Status, c.Employment
	if status == "" {
		status = CaseOpen
	}
	if employment == "" {
		employment = "employee"
	}
	return status, employment
}

// periodSource is the source a period of a new case is stored with:
// "manual" when empty.
func periodSource(p Period) string {
	if p.Source == "" {
		return "manual"
	}
	return p.Source
}

// InsertPersons stores new persons with multi-row statements and returns
// their ids in order. A personnummer already stored is an error
// (ErrConflict).
func InsertPersons(ctx context.Context, tx *Tx, ps []Person, now time.Time) ([]int64, error) {
	ids := make([]int64, len(ps))
	at := make(map[string]int, len(ps))
	for i, p := range ps {
		at[p.Personnummer] = i
	}
	const width = 5
	args := make([]any, 0, len(ps)*width)
	for _, p := range ps {
		args = append(args, p.Personnummer, p.Name, nullString(p.MunicipalityCode), p.ProtectedIdentity, now.UTC())
	}
	err := eachStatement(tx, width, args, func(rows int, args []any) error {
		return scanAll(ctx, tx, "INSERT INTO persons (personnummer, name, municipality_code, protected_identity, created_at) VALUES "+
			valuesList(tx.Dialect(), rows, width)+" RETURNING id, personnummer", args, func(r *Rows) error {
			var id int64
			var pnr string
			if err := r.Scan(&id, &pnr); err != nil {
				return err
			}
			ids[at[pnr]] = id
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("insert persons: %w", err)
	}
	return ids, nil
}

// InsertCases stores new cases and their periods with multi-row
// statements and returns the cases' ids in order. No two of the cases may
// share a person and a first day.
func InsertCases(ctx context.Context, tx *Tx, cs []NewCase, now time.Time) ([]int64, error) {
	type key struct {
		person int64
		first  string
	}
	ids := make([]int64, len(cs))
	at := make(map[key]int, len(cs))
	for i, c := range cs {
		k := key{c.PersonID, dateArg(c.FirstDay)}
		if _, dup := at[k]; dup {
			return nil, fmt.Errorf("insert cases: two cases of person %d start on %s", c.PersonID, k.first)
		}
		at[k] = i
	}
	const width = 14
	args := make([]any, 0, len(cs)*width)
	for _, c := range cs {
		status, employment := c.statusAndEmployment()
		args = append(args, c.PersonID, dateArg(c.FirstDay), dateArg(c.LastDay), now.UTC(), now.UTC(), nullID(c.OfficeID),
			nullID(c.CustomerGroupID), nullID(c.AssignedUserID), status, employment, c.AnnualIncomeOre,
			c.EmployerOrgNumber, c.EmployerName, c.SeriousIllness)
	}
	err := eachStatement(tx, width, args, func(rows int, args []any) error {
		return scanAll(ctx, tx, `INSERT INTO sickness_cases (person_id, first_day, last_day, created_at, updated_at, office_id,
			customer_group_id, assigned_user_id, status, employment, annual_income_ore, employer_org_number, employer_name,
			serious_illness) VALUES `+valuesList(tx.Dialect(), rows, width)+" RETURNING id, person_id, first_day", args, func(r *Rows) error {
			var id, person int64
			var first time.Time
			if err := r.Scan(&id, &person, &first); err != nil {
				return err
			}
			ids[at[key{person, dateArg(first)}]] = id
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("insert cases: %w", err)
	}
	var periods []any
	for _, c := range cs {
		for _, p := range c.Periods {
			periods = append(periods, c.PersonID, dateArg(p.From), dateArg(p.To), p.Degree, periodSource(p), now.UTC())
		}
	}
	if err := insertRows(ctx, tx, "sick_leave_periods (person_id, from_day, to_day, degree, source, created_at)", 6, periods); err != nil {
		return nil, fmt.Errorf("insert periods: %w", err)
	}
	return ids, nil
}

// CasePlacement is a case's owner, status and facts, for PlaceCases.
type CasePlacement struct {
	ID                                        int64
	OfficeID, CustomerGroupID, AssignedUserID int64
	Status                                    string
	Employment                                string
	AnnualIncomeOre                           int64
	EmployerOrgNumber, EmployerName           string
}

var placementColumns = []valueColumn{{"id", "bigint"}, {"office_id", "bigint"}, {"customer_group_id", "bigint"},
	{"assigned_user_id", "bigint"}, {"status", "text"}, {"employment", "text"}, {"annual_income_ore", "bigint"},
	{"employer_org_number", "text"}, {"employer_name", "text"}}

// PlaceCases sets many cases' owner, status and facts at once, with
// multi-row statements, when data is loaded (the demo places the cases
// intake made). It is nobody's edit: versions stay as they are.
func PlaceCases(ctx context.Context, tx *Tx, ps []CasePlacement) error {
	args := make([]any, 0, len(ps)*len(placementColumns))
	for _, p := range ps {
		args = append(args, p.ID, nullID(p.OfficeID), nullID(p.CustomerGroupID), nullID(p.AssignedUserID), p.Status,
			p.Employment, p.AnnualIncomeOre, p.EmployerOrgNumber, p.EmployerName)
	}
	return execValues(ctx, tx, placementColumns, args, `UPDATE sickness_cases SET office_id = v.office_id,
		customer_group_id = v.customer_group_id, assigned_user_id = v.assigned_user_id, status = v.status,
		employment = v.employment, annual_income_ore = v.annual_income_ore, employer_org_number = v.employer_org_number,
		employer_name = v.employer_name FROM v WHERE sickness_cases.id = v.id`)
}

// valuesList is "($1, $2), ($3, $4)" for rows of width placeholders; on
// SQLite "(?, ?), (?, ?)": SQLite takes $1 for a named parameter and looks
// each name up in a list, which costs time quadratic in the number of
// parameters of a multi-row statement.
func valuesList(d Dialect, rows, width int) string {
	var b strings.Builder
	b.Grow(rows * width * 4)
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range width {
			if c > 0 {
				b.WriteString(", ")
			}
			writePlaceholder(&b, d, r*width+c+1)
		}
		b.WriteByte(')')
	}
	return b.String()
}

// writePlaceholder writes the n-th (1-based) parameter: $n, or ? on SQLite.
func writePlaceholder(b *strings.Builder, d Dialect, n int) {
	if d == SQLite {
		b.WriteByte('?')
		return
	}
	b.WriteByte('$')
	b.WriteString(strconv.Itoa(n))
}

// LatestRecomputeRunFor is the newest run for evalDate, finished or not;
// ErrNotFound if there is none.
func LatestRecomputeRunFor(ctx context.Context, q Querier, evalDate time.Time) (RecomputeRun, error) {
	return scanRun(q.QueryRow(ctx, "SELECT "+runColumns+" FROM recompute_runs WHERE eval_date = $1 ORDER BY id DESC LIMIT 1",
		dateArg(evalDate)).Scan)
}
