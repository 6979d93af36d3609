package store

import (
	"context"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/organisation"
)

// This file holds the queries of the administration pages: counts for an
// organisation's overview, single offices, and the complete access log of
// one person (the loggutdrag).

// CountUsers tells how many users an organisation has (orgID 0: all).
func CountUsers(ctx context.Context, q Querier, orgID int64) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT count(*) FROM users WHERE $1 = 0 OR org_id = $1", orgID).Scan(&n)
	return n, err
}

// CountActiveTokens tells how many unrevoked API tokens an organisation has.
func CountActiveTokens(ctx context.Context, q Querier, orgID int64) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT count(*) FROM api_tokens WHERE org_id = $1 AND revoked_at IS NULL", orgID).Scan(&n)
	return n, err
}

// OrgUserCount is an organisation with the number of its users.
type OrgUserCount struct {
	organisation.Organisation
	Users int
}

// OrganisationsWithUsers lists the organisations that have users, by type
// and name: the choices of the user list's organisation filter, which would
// otherwise offer every one of the country's 300-odd organisations.
func OrganisationsWithUsers(ctx context.Context, q Querier) ([]OrgUserCount, error) {
	return queryList(ctx, q, func(scan func(...any) error) (OrgUserCount, error) {
		var c OrgUserCount
		o, err := scanOrg(func(dest ...any) error { return scan(append(dest, &c.Users)...) })
		c.Organisation = o
		return c, err
	}, "SELECT "+prefixed("o.", orgColumns)+`, count(u.id) FROM organisations o
		JOIN users u ON u.org_id = o.id
		GROUP BY o.id ORDER BY o.type, o.name, o.id`)
}

// OfficeByID finds one office.
func OfficeByID(ctx context.Context, q Querier, id int64) (Office, error) {
	var o Office
	err := q.QueryRow(ctx, `SELECT id, org_id, slug, name, kind, COALESCE(customer_group_id, 0), COALESCE(municipality_code, '')
		FROM offices WHERE id = $1`, id).Scan(&o.ID, &o.OrgID, &o.Slug, &o.Name, &o.Kind, &o.CustomerGroupID, &o.MunicipalityCode)
	return o, err
}

// personAuditPage is how many entries PersonAudit reads per query.
const personAuditPage = 1000

// PersonAudit returns every audit entry about one person (by pseudonymous
// key), newest first; with actorOrg set, only the entries of that
// organisation's staff and tokens. An access-log extract must be complete,
// so it pages through the whole log rather than stopping at a limit.
func PersonAudit(ctx context.Context, q Querier, personKey, actorOrg string) ([]audit.Entry, error) {
	if personKey == "" {
		return nil, nil // an empty key would match every entry without a person
	}
	var out []audit.Entry
	f := AuditQuery{PersonKey: personKey, ActorOrg: actorOrg, Limit: personAuditPage}
	for {
		page, err := SearchAudit(ctx, q, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < personAuditPage {
			return out, nil
		}
		f.BeforeSeq = page[len(page)-1].Seq
	}
}
