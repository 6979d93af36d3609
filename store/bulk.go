package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Bulk loading of generated data (`finsam generate`, the demo, the
// benchmarks). The caller numbers the rows it writes (BulkIDs says where
// to start), so that nothing needs to be read back: on PostgreSQL the rows
// go in with COPY, on SQLite with multi-row INSERTs on the one writer.
// Nothing here is anybody's edit: no versions move and nothing is audited.

// BulkIDs are the first free ids of the tables whose rows Bulk numbers.
type BulkIDs struct{ Person, Case, Certificate int64 }

// NextBulkIDs reads the first free ids: one more than the largest in use.
func NextBulkIDs(ctx context.Context, q Querier) (BulkIDs, error) {
	var ids BulkIDs
	err := q.QueryRow(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM persons),
		(SELECT COALESCE(MAX(id), 0) + 1 FROM sickness_cases), (SELECT COALESCE(MAX(id), 0) + 1 FROM certificates)`).
		Scan(&ids.Person, &ids.Case, &ids.Certificate)
	return ids, err
}

// PersonNumbers lists the personnummer of every person stored, so that a
// generator can leave them out.
func PersonNumbers(ctx context.Context, q Querier) (map[string]bool, error) {
	nums, err := queryList(ctx, q, func(scan func(...any) error) (string, error) {
		var s string
		err := scan(&s)
		return s, err
	}, "SELECT personnummer FROM persons")
	out := make(map[string]bool, len(nums))
	for _, n := range nums {
		out[n] = true
	}
	return out, err
}

// BulkCase is a generated sickness case with its id.
type BulkCase struct {
	ID int64
	NewCase
}

// BulkCertificate is a generated certificate with its id and its periods
// (From, To and Degree are read).
type BulkCertificate struct {
	ID int64
	NewCertificate
	Periods []Period
}

// Bulk is one transaction of bulk writes (see BulkLoad).
type Bulk struct {
	dialect Dialect
	tx      *Tx    // SQLite
	pg      pgx.Tx // PostgreSQL
	now     time.Time
	rows    [][]any // reused between tables
}

// BulkLoad runs fn in one transaction of bulk writes; now is the time the
// rows are created at.
func BulkLoad(ctx context.Context, st *Store, now time.Time, fn func(b *Bulk) error) error {
	b := &Bulk{dialect: st.Dialect(), now: now.UTC()}
	if st.Dialect() != Postgres {
		return st.Tx(ctx, func(tx *Tx) error {
			b.tx = tx
			// A page cache of 1 GiB while loading (64 MiB otherwise):
			// the indexes on signing time and care unit take rows all
			// over the file, and every page SQLite does not hold is
			// read back from the file.
			if _, err := tx.Exec(ctx, "PRAGMA cache_size = -1048576"); err != nil {
				return err
			}
			defer tx.Exec(ctx, "PRAGMA cache_size = -65536")
			return fn(b)
		})
	}
	conn, err := st.write.Conn(ctx)
	if err != nil {
		return normalize(err)
	}
	defer conn.Close()
	return normalize(conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("bulk load: unexpected driver connection %T", dc)
		}
		tx, err := c.Conn().Begin(ctx)
		if err != nil {
			return err
		}
		b.pg = tx
		if err := fn(b); err != nil {
			return errors.Join(err, tx.Rollback(ctx))
		}
		return tx.Commit(ctx)
	}))
}

// write stores rows of columns into table: COPY or multi-row INSERTs.
// Values are what the PostgreSQL driver takes (time.Time for dates);
// for SQLite dates are marked by the date columns.
func (b *Bulk) write(ctx context.Context, table string, columns []string, dates []bool, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if b.pg != nil {
		_, err := b.pg.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
		if err != nil {
			return fmt.Errorf("copy %s: %w", table, normalize(err))
		}
		return nil
	}
	args := make([]any, 0, len(rows)*len(columns))
	for _, r := range rows {
		for i, v := range r {
			if dates[i] {
				if t, ok := v.(time.Time); ok {
					v = dateArg(t)
				}
			}
			if raw, ok := v.(json.RawMessage); ok {
				v = string(raw)
			}
			args = append(args, v)
		}
	}
	into := table + " ("
	for i, c := range columns {
		if i > 0 {
			into += ", "
		}
		into += c
	}
	if err := insertRows(ctx, b.tx, into+")", len(columns), args); err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	return nil
}

func (b *Bulk) reset() [][]any { b.rows = b.rows[:0]; return b.rows }

// nullable is nil for a zero id, so that it is stored as NULL.
func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Persons stores persons with the ids they carry.
func (b *Bulk) Persons(ctx context.Context, ps []Person) error {
	rows := b.reset()
	for _, p := range ps {
		rows = append(rows, []any{p.ID, p.Personnummer, p.Name, nullText(p.MunicipalityCode), p.ProtectedIdentity, b.now})
	}
	b.rows = rows
	return b.write(ctx, "persons", []string{"id", "personnummer", "name", "municipality_code", "protected_identity", "created_at"},
		[]bool{false, false, false, false, false, false}, rows)
}

// Cases stores cases with the ids they carry, and the periods entered by
// hand they carry (cases from certificates carry none: the certificates'
// periods are theirs).
func (b *Bulk) Cases(ctx context.Context, cs []BulkCase) error {
	rows := b.reset()
	for _, c := range cs {
		status, employment := c.statusAndEmployment()
		rows = append(rows, []any{c.ID, c.PersonID, c.FirstDay, c.LastDay, b.now, b.now, nullable(c.OfficeID),
			nullable(c.CustomerGroupID), nullable(c.AssignedUserID), status, employment, c.AnnualIncomeOre,
			c.EmployerOrgNumber, c.EmployerName, c.SeriousIllness})
	}
	b.rows = rows
	err := b.write(ctx, "sickness_cases", []string{"id", "person_id", "first_day", "last_day", "created_at", "updated_at",
		"office_id", "customer_group_id", "assigned_user_id", "status", "employment", "annual_income_ore", "employer_org_number",
		"employer_name", "serious_illness"}, padDates(15, 2, 3), rows)
	if err != nil {
		return err
	}
	periods := b.reset()
	for _, c := range cs {
		for _, p := range c.Periods {
			periods = append(periods, []any{c.PersonID, nil, p.From, p.To, p.Degree, periodSource(p), b.now})
		}
	}
	b.rows = periods
	return b.write(ctx, "sick_leave_periods", periodCopyColumns, padDates(7, 2, 3), periods)
}

var periodCopyColumns = []string{"person_id", "certificate_id", "from_day", "to_day", "degree", "source", "created_at"}

// Certificates stores certificates with the ids they carry, and their
// periods.
func (b *Bulk) Certificates(ctx context.Context, cs []BulkCertificate) error {
	rows := b.reset()
	for _, c := range cs {
		rows = append(rows, []any{c.ID, c.SenderOrgID, c.CertID, c.PersonID, nullable(c.CaseID), c.SignedAt.UTC(), c.ReceivedAt.UTC(),
			c.IssuerHSAID, c.UnitHSAID, c.UnitName, c.CareProviderHSAID, c.CareProviderName, c.DiagnosisCode, c.FirstDay, c.LastDay,
			c.QualityScore, json.RawMessage(c.Findings), nullText(c.RelationType), nullText(c.RelationCertID), c.Source,
			json.RawMessage(c.Body), c.BodyHash, c.TestEnvironment})
	}
	b.rows = rows
	err := b.write(ctx, "certificates", []string{"id", "sender_org_id", "cert_id", "person_id", "case_id", "signed_at", "received_at",
		"issuer_hsa_id", "unit_hsa_id", "unit_name", "care_provider_hsa_id", "care_provider_name", "diagnosis_code", "first_day",
		"last_day", "quality_score", "findings", "relation_type", "relation_cert_id", "source", "body", "body_hash", "test_environment"},
		padDates(23, 13, 14), rows)
	if err != nil {
		return err
	}
	periods := b.reset()
	for _, c := range cs {
		for _, p := range c.Periods {
			periods = append(periods, []any{c.PersonID, c.ID, p.From, p.To, p.Degree, c.Source, c.ReceivedAt.UTC()})
		}
	}
	b.rows = periods
	return b.write(ctx, "sick_leave_periods", periodCopyColumns, padDates(7, 2, 3), periods)
}

// padDates marks the date columns (by index) of n columns.
func padDates(n int, dateColumns ...int) []bool {
	out := make([]bool, n)
	for _, i := range dateColumns {
		out[i] = true
	}
	return out
}

// FinishBulk makes the database ready for use after bulk loads: on
// PostgreSQL the id sequences move past the ids the loads gave (COPY
// leaves them where they were), and both databases refresh the planner's
// statistics of the tables written.
func FinishBulk(ctx context.Context, st *Store) error {
	tables := []string{"persons", "sickness_cases", "certificates", "sick_leave_periods",
		"consents", "coordinations", "meetings", "plan_actions", "plan_action_changes"}
	if st.Dialect() == Postgres {
		for _, t := range tables {
			if _, err := st.write.ExecContext(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'),
				GREATEST((SELECT COALESCE(MAX(id), 0) FROM %s), 1))`, t, t)); err != nil {
				return fmt.Errorf("move the id sequence of %s: %w", t, normalize(err))
			}
		}
	}
	// The tables without an id of their own are analysed too.
	for _, t := range append(tables, "consent_parties", "coordination_parties", "meeting_parties") {
		if _, err := st.write.ExecContext(ctx, "ANALYZE "+t); err != nil {
			return fmt.Errorf("analyze %s: %w", t, normalize(err))
		}
	}
	return nil
}

// recomputedTables are the tables a recompute rewrites.
var recomputedTables = []string{"sickness_cases", "case_deadlines", "case_warnings"}

// RefreshCaseStatistics refreshes the planner's statistics of the tables a
// recompute rewrites, and on PostgreSQL clears their dead rows, as
// autovacuum would after a night's run. Data made in one go (a bulk load
// analysed before its first evaluation, then recomputed) needs it before
// it is queried: the statistics taken at the load know no phase, warning
// or due date, and none of its deadlines, and PostgreSQL plans the lists
// of the managers' dashboards on them as if every such figure were empty.
func RefreshCaseStatistics(ctx context.Context, st *Store) error {
	stmt := "ANALYZE "
	if st.Dialect() == Postgres {
		stmt = "VACUUM (ANALYZE) "
	}
	for _, t := range recomputedTables {
		if _, err := st.write.ExecContext(ctx, stmt+t); err != nil {
			return fmt.Errorf("refresh the statistics of %s: %w", t, normalize(err))
		}
	}
	return nil
}

// DueDeadline is an open deadline of an open case, with the case's case
// worker (0 when nobody has the case).
type DueDeadline struct {
	ID, CaseID, AssignedUserID int64
	Kind                       string
	Due                        time.Time
}

// OpenDeadlinesDue lists the open deadlines of the kinds, due by day, of
// the open cases with ids first..last, in case order: what generated data
// lets its case workers close (demo.KeepUp).
func OpenDeadlinesDue(ctx context.Context, q Querier, first, last int64, kinds []string, day time.Time) ([]DueDeadline, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	args := []any{first, last, dateArg(day)}
	in := make([]string, len(kinds))
	for i, k := range kinds {
		args = append(args, k)
		in[i] = fmt.Sprintf("$%d", len(args))
	}
	return queryRows(ctx, q, func(d *DueDeadline) []any { return []any{&d.ID, &d.CaseID, &d.AssignedUserID, &d.Kind, &d.Due} },
		`SELECT d.id, d.case_id, COALESCE(c.assigned_user_id, 0), d.kind, d.due FROM case_deadlines d
		JOIN sickness_cases c ON c.id = d.case_id
		WHERE d.case_id BETWEEN $1 AND $2 AND c.status = 'open' AND NOT d.done AND d.due <= $3 AND d.kind IN (`+strings.Join(in, ", ")+`)
		ORDER BY d.case_id, d.id`, args...)
}

// ClosedDeadline is a deadline a person closed, for CloseDeadlinesInBulk.
type ClosedDeadline struct {
	ID, ByUserID int64 // ByUserID 0: nobody known
	At           time.Time
	Note         string
}

var closedDeadlineColumns = []valueColumn{{"id", "bigint"}, {"closed_by", "bigint"}, {"closed_at", "timestamptz"}, {"note", "text"}}

// CloseDeadlinesInBulk closes open deadlines as the people given did, when
// generated data is loaded: it is nobody's edit now, so no case's version
// moves, and the cases' next due dates and counts are the next
// recompute's to write. A deadline closed meanwhile stays as it was.
func CloseDeadlinesInBulk(ctx context.Context, tx *Tx, ds []ClosedDeadline) error {
	args := make([]any, 0, len(ds)*len(closedDeadlineColumns))
	for _, d := range ds {
		args = append(args, d.ID, nullID(d.ByUserID), d.At.UTC(), d.Note)
	}
	return execValues(ctx, tx, closedDeadlineColumns, args, `UPDATE case_deadlines SET done = TRUE, auto = FALSE,
		closed_by = v.closed_by, closed_at = v.closed_at, note = v.note FROM v WHERE case_deadlines.id = v.id AND NOT case_deadlines.done`)
}
