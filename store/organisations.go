package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/finsam/finsam/organisation"
)

const orgColumns = "id, slug, name, type, COALESCE(code, ''), COALESCE(org_number, ''), COALESCE(parent_id, 0), created_at"

// prefixed qualifies the plain column list cols with a table alias. Only
// top-level commas separate columns: a COALESCE with its default is one column, whose
// first argument is the one qualified.
func prefixed(alias, cols string) string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(cols); i++ {
		switch cols[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, strings.TrimSpace(cols[start:i]))
				start = i + 1
			}
		}
	}
	parts = append(parts, strings.TrimSpace(cols[start:]))
	for i, p := range parts {
		if rest, ok := strings.CutPrefix(p, "COALESCE("); ok {
			parts[i] = "COALESCE(" + alias + rest
		} else {
			parts[i] = alias + p
		}
	}
	return strings.Join(parts, ", ")
}

func orgFields(o *organisation.Organisation) ([]any, func()) {
	var typ string
	return []any{&o.ID, &o.Slug, &o.Name, &typ, &o.Code, &o.OrgNumber, &o.ParentID, &o.CreatedAt}, func() {
		o.Type = organisation.Type(typ)
		o.CreatedAt = o.CreatedAt.UTC()
	}
}

// scanFields reads one row into a T: fields gives the T's destinations in
// the order of the query's columns and what to do with them after the scan.
func scanFields[T any](scan func(...any) error, fields func(*T) ([]any, func())) (T, error) {
	var v T
	dest, post := fields(&v)
	err := scan(dest...)
	post()
	return v, err
}

func scanOrg(scan func(...any) error) (organisation.Organisation, error) {
	return scanFields(scan, orgFields)
}

// CreateOrganisation inserts o and returns it with its id and creation time.
func CreateOrganisation(ctx context.Context, tx *Tx, o organisation.Organisation) (organisation.Organisation, error) {
	if err := o.Validate(); err != nil {
		return o, err
	}
	o.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	id, err := tx.InsertID(ctx,
		`INSERT INTO organisations (slug, name, type, code, org_number, parent_id, created_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		o.Slug, o.Name, string(o.Type), nullString(o.Code), nullString(o.OrgNumber), nullID(o.ParentID), o.CreatedAt)
	if err != nil {
		return o, fmt.Errorf("create organisation %s: %w", o.Slug, err)
	}
	o.ID = id
	return o, nil
}

// OrganisationBySlug finds one organisation; ErrNotFound when there is none.
func OrganisationBySlug(ctx context.Context, q Querier, slug string) (organisation.Organisation, error) {
	if !textStorable(slug) {
		return organisation.Organisation{}, ErrNotFound
	}
	return scanOrg(q.QueryRow(ctx, "SELECT "+orgColumns+" FROM organisations WHERE slug = $1", slug).Scan)
}

// Organisations lists organisations, of one type or (typ == "") all, by name.
func Organisations(ctx context.Context, q Querier, typ organisation.Type) ([]organisation.Organisation, error) {
	rows, err := q.Query(ctx, "SELECT "+orgColumns+" FROM organisations WHERE $1 = '' OR type = $1 ORDER BY type, name, id", string(typ))
	return collect(rows, err, func(rows *Rows) (organisation.Organisation, error) { return scanOrg(rows.Scan) })
}

// CountOrganisations tells how many organisations exist; the demo loader uses
// it to see whether a database is empty.
func CountOrganisations(ctx context.Context, q Querier) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT count(*) FROM organisations").Scan(&n)
	return n, err
}

// SettingOperatorOrg names the setting that holds the slug of the
// organisation operating the installation; its administrators are system
// administrators.
const SettingOperatorOrg = "operator.org"

// Setting reads a setting; ErrNotFound when it was never set.
func Setting(ctx context.Context, q Querier, key string) (string, error) {
	var v string
	err := q.QueryRow(ctx, "SELECT value FROM settings WHERE key = $1", key).Scan(&v)
	return v, err
}

// SetSetting writes a setting, replacing any earlier value.
func SetSetting(ctx context.Context, tx *Tx, key, value string) error {
	_, err := tx.Exec(ctx,
		`INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
		 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, value, time.Now().UTC())
	return err
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// CertificateOwner is the organisation FK 7804 certificates are addressed
// to: Försäkringskassan (the oldest organisation of type fk, should there
// ever be more than one). ok is false when there is none.
func CertificateOwner(ctx context.Context, q Querier) (org organisation.Organisation, ok bool, err error) {
	org, err = scanOrg(q.QueryRow(ctx, "SELECT "+orgColumns+" FROM organisations WHERE type = $1 ORDER BY id LIMIT 1", string(organisation.FK)).Scan)
	if errors.Is(err, ErrNotFound) {
		return org, false, nil
	}
	return org, err == nil, err
}
