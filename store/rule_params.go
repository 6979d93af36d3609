package store

import (
	"context"
	"database/sql"
	"time"
)

// This file holds the legislation parameters added after the release and
// the parameter scenarios. The store keeps them as rows; package rules
// validates and applies them.

// RuleParamValue is a stored value of a rules parameter.
type RuleParamValue struct {
	ID   int64
	Name string
	// From and To are dates (midnight UTC); To is zero when the value stays
	// in force until a later one.
	From, To  time.Time
	Value     string
	Ref       string
	Source    string
	Note      string
	CreatedAt time.Time
	CreatedBy string
}

// RuleParamValues lists every stored value in the order it was added, the
// order in which the values apply.
func RuleParamValues(ctx context.Context, q Querier) ([]RuleParamValue, error) {
	var out []RuleParamValue
	err := scanAll(ctx, q, `SELECT id, name, valid_from, valid_to, value, ref, source, note, created_at, created_by
		FROM rule_param_values ORDER BY id`, nil, func(r *Rows) error {
		var v RuleParamValue
		var to sql.NullTime
		if err := r.Scan(&v.ID, &v.Name, &v.From, &to, &v.Value, &v.Ref, &v.Source, &v.Note, &v.CreatedAt, &v.CreatedBy); err != nil {
			return err
		}
		v.From, v.To, v.CreatedAt = v.From.UTC(), utcDay(to), v.CreatedAt.UTC()
		out = append(out, v)
		return nil
	})
	return out, err
}

// InsertRuleParamValue stores a value. Call BumpRuleParamsVersion first in
// the same transaction; a second value for the same parameter and date is
// ErrConflict.
func InsertRuleParamValue(ctx context.Context, tx *Tx, v RuleParamValue) (int64, error) {
	return tx.InsertID(ctx, `INSERT INTO rule_param_values (name, valid_from, valid_to, value, ref, source, note, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		v.Name, dateArg(v.From), nullDate(v.To), v.Value, v.Ref, v.Source, v.Note, v.CreatedAt.UTC(), v.CreatedBy)
}

// BumpRuleParamsVersion counts a change of the stored values or scenarios
// and returns the new version. Its row lock makes concurrent changes wait
// for (or, on PostgreSQL, retry after) each other, so a value is always
// checked against every value stored before it.
func BumpRuleParamsVersion(ctx context.Context, tx *Tx) (int64, error) {
	var v int64
	err := tx.QueryRow(ctx, "UPDATE rule_params_version SET version = version + 1 WHERE id = 1 RETURNING version").Scan(&v)
	return v, err
}

// RuleParamsVersion is the count of changes to the stored values and
// scenarios: an instance whose engine was built at another version
// rebuilds it. It reads one row by its key.
func RuleParamsVersion(ctx context.Context, q Querier) (int64, error) {
	var v int64
	err := q.QueryRow(ctx, "SELECT version FROM rule_params_version WHERE id = 1").Scan(&v)
	return v, err
}

// RuleScenario is a stored parameter scenario, kept as the JSON it was
// given in.
type RuleScenario struct {
	ID          int64
	Name        string
	Description string
	Body        string
	CreatedAt   time.Time
	CreatedBy   string
}

const scenarioColumns = "id, name, description, body, created_at, created_by"

func scanScenario(scan func(...any) error) (RuleScenario, error) {
	var s RuleScenario
	err := scanUTC(scan, &s.ID, &s.Name, &s.Description, &s.Body, &s.CreatedAt, &s.CreatedBy)
	return s, err
}

// RuleScenarios lists the stored scenarios by name.
func RuleScenarios(ctx context.Context, q Querier) ([]RuleScenario, error) {
	var out []RuleScenario
	err := scanAll(ctx, q, "SELECT "+scenarioColumns+" FROM rule_scenarios ORDER BY name, id", nil, func(r *Rows) error {
		s, err := scanScenario(r.Scan)
		if err == nil {
			out = append(out, s)
		}
		return err
	})
	return out, err
}

// RuleScenarioByName finds a stored scenario; ErrNotFound if none.
func RuleScenarioByName(ctx context.Context, q Querier, name string) (RuleScenario, error) {
	if !textStorable(name) {
		return RuleScenario{}, ErrNotFound
	}
	return scanScenario(q.QueryRow(ctx, "SELECT "+scenarioColumns+" FROM rule_scenarios WHERE name = $1", name).Scan)
}

// InsertRuleScenario stores a scenario; a name already taken is
// ErrConflict.
func InsertRuleScenario(ctx context.Context, tx *Tx, s RuleScenario) (int64, error) {
	return tx.InsertID(ctx, `INSERT INTO rule_scenarios (name, description, body, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, storableText(s.Name), storableText(s.Description), storableText(s.Body), s.CreatedAt.UTC(), s.CreatedBy)
}
