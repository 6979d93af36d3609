package store

import (
	"context"
	"fmt"
	"time"

	"github.com/finsam/finsam/organisation"
)

// OrganisationByID finds one organisation.
func OrganisationByID(ctx context.Context, q Querier, id int64) (organisation.Organisation, error) {
	return scanOrg(q.QueryRow(ctx, "SELECT "+orgColumns+" FROM organisations WHERE id = $1", id).Scan)
}

// UpdateOrganisation writes name, code and organisation number.
func UpdateOrganisation(ctx context.Context, tx *Tx, o organisation.Organisation) error {
	if err := o.Validate(); err != nil {
		return err
	}
	res, err := tx.Exec(ctx, "UPDATE organisations SET name = $2, code = $3, org_number = $4 WHERE id = $1",
		o.ID, o.Name, nullString(o.Code), nullString(o.OrgNumber))
	return mustAffect(res, err)
}

// CustomerGroup is one of FK's customer groups (kundgrupper).
type CustomerGroup struct {
	ID    int64
	OrgID int64
	Slug  string
	Name  string
}

// CreateCustomerGroup inserts a customer group.
func CreateCustomerGroup(ctx context.Context, tx *Tx, g CustomerGroup) (int64, error) {
	return tx.InsertID(ctx, "INSERT INTO customer_groups (org_id, slug, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
		g.OrgID, g.Slug, g.Name, time.Now().UTC())
}

// CustomerGroups lists an organisation's customer groups.
func CustomerGroups(ctx context.Context, q Querier, orgID int64) ([]CustomerGroup, error) {
	return queryRows(ctx, q, func(g *CustomerGroup) []any {
		return []any{&g.ID, &g.OrgID, &g.Slug, &g.Name}
	}, "SELECT id, org_id, slug, name FROM customer_groups WHERE org_id = $1 ORDER BY name", orgID)
}

// Office kinds.
const (
	OfficeInsuranceCentre = "insurance_centre" // FK lokalt försäkringscenter
	OfficeLocal           = "local_office"     // FK lokalt kontor
	OfficeOther           = "office"           // any other agency's office
)

// Office is a local unit of an organisation.
type Office struct {
	ID               int64
	OrgID            int64
	Slug             string
	Name             string
	Kind             string
	CustomerGroupID  int64
	MunicipalityCode string
}

// CreateOffice inserts an office.
func CreateOffice(ctx context.Context, tx *Tx, o Office) (int64, error) {
	id, err := tx.InsertID(ctx, `INSERT INTO offices (org_id, slug, name, kind, customer_group_id, municipality_code, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		o.OrgID, o.Slug, o.Name, o.Kind, nullID(o.CustomerGroupID), nullString(o.MunicipalityCode), time.Now().UTC())
	if err != nil {
		return 0, fmt.Errorf("create office %s: %w", o.Slug, err)
	}
	return id, nil
}

// Offices lists an organisation's offices (orgID 0: all).
func Offices(ctx context.Context, q Querier, orgID int64) ([]Office, error) {
	return queryRows(ctx, q, func(o *Office) []any {
		return []any{&o.ID, &o.OrgID, &o.Slug, &o.Name, &o.Kind, &o.CustomerGroupID, &o.MunicipalityCode}
	}, `SELECT id, org_id, slug, name, kind, COALESCE(customer_group_id, 0), COALESCE(municipality_code, '')
		FROM offices WHERE $1 = 0 OR org_id = $1 ORDER BY name`, orgID)
}

// AddAssociationMember records that member is a member of association.
func AddAssociationMember(ctx context.Context, tx *Tx, associationID, memberID int64) error {
	_, err := tx.Exec(ctx, "INSERT INTO association_members (association_id, member_id) VALUES ($1, $2)", associationID, memberID)
	return err
}

// AssociationMembers lists an association's members.
func AssociationMembers(ctx context.Context, q Querier, associationID int64) ([]organisation.Organisation, error) {
	rows, err := q.Query(ctx, "SELECT "+prefixed("o.", orgColumns)+` FROM organisations o
		JOIN association_members m ON m.member_id = o.id WHERE m.association_id = $1 ORDER BY o.type, o.name`, associationID)
	return collect(rows, err, func(rows *Rows) (organisation.Organisation, error) { return scanOrg(rows.Scan) })
}
