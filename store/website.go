package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/website"
)

// The associations' public websites (package website): settings, the
// catalogue, interest, pages, the network. Events, sign-ups and mail are in
// website_events.go, search in website_search.go.

// SiteSettings reads an association's site settings; an association that
// never saved any gets website.DefaultSettings.
func SiteSettings(ctx context.Context, q Querier, associationID int64) (website.Settings, error) {
	var raw string
	err := q.QueryRow(ctx, "SELECT CAST(settings AS TEXT) FROM site_settings WHERE association_id = $1", associationID).Scan(&raw)
	if errors.Is(err, ErrNotFound) {
		return website.DefaultSettings(), nil
	}
	if err != nil {
		return website.Settings{}, err
	}
	s := website.DefaultSettings()
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return website.Settings{}, fmt.Errorf("site settings: %w", err)
	}
	return s, nil
}

// SaveSiteSettings validates and writes an association's site settings.
func SaveSiteSettings(ctx context.Context, tx *Tx, associationID int64, s website.Settings, now time.Time) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := BumpSiteContent(ctx, tx, associationID); err != nil {
		return err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO site_settings (association_id, settings, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (association_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
		associationID, string(b), now.UTC())
	return err
}

// SiteArea is the association's municipalities (SCB kommunkoder).
func SiteArea(ctx context.Context, q Querier, associationID int64) ([]string, error) {
	return queryRows(ctx, q, func(s *string) []any { return []any{s} },
		"SELECT municipality_code FROM association_area WHERE association_id = $1 ORDER BY municipality_code", associationID)
}

// entryDetails are the catalogue entry's fields that no filter uses, kept
// as one JSON document.
type entryDetails struct {
	Place         string `json:"place"`
	Contents      string `json:"contents"`
	FreePlaces    int    `json:"free_places"`
	WaitingWeeks  int    `json:"waiting_weeks"`
	Cost          string `json:"cost"`
	Accessibility string `json:"accessibility"`
	ContactName   string `json:"contact_name"`
	ContactPhone  string `json:"contact_phone"`
	ContactEmail  string `json:"contact_email"`
}

// SaveCatalogueEntry validates and writes the catalogue's details of one of
// the association's insatser (ErrNotFound when it has no such insats).
func SaveCatalogueEntry(ctx context.Context, tx *Tx, associationID int64, e website.Entry, now time.Time) error {
	if err := BumpSiteContent(ctx, tx, associationID); err != nil {
		return err
	}
	area, err := SiteArea(ctx, tx, associationID)
	if err != nil {
		return err
	}
	if err := e.Validate(area); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM insatser WHERE id = $1 AND association_id = $2", e.InsatsID, associationID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	b, err := json.Marshal(entryDetails{Place: e.Place, Contents: e.Contents, FreePlaces: e.FreePlaces, WaitingWeeks: e.WaitingWeeks,
		Cost: e.Cost, Accessibility: e.Accessibility, ContactName: e.ContactName, ContactPhone: e.ContactPhone, ContactEmail: e.ContactEmail})
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO site_catalogue (insats_id, association_id, municipality_code, situation, age_min, age_max, entry_route, details, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (insats_id) DO UPDATE SET municipality_code = excluded.municipality_code, situation = excluded.situation,
			age_min = excluded.age_min, age_max = excluded.age_max, entry_route = excluded.entry_route, details = excluded.details,
			updated_at = excluded.updated_at`,
		e.InsatsID, associationID, e.MunicipalityCode, string(e.Situation), e.AgeMin, e.AgeMax, string(e.EntryRoute), string(b), now.UTC())
	return err
}

// CatalogueItem is one insats as the catalogue shows it.
type CatalogueItem struct {
	Insats        association.Insats
	Entry         website.Entry
	OrganiserName string
	// Parties are the names of the parties involved, the organiser first.
	Parties []string
}

// CatalogueQuery selects the catalogue's insatser: always the public
// ones of one association, narrowed by the visitor's filters.
type CatalogueQuery struct {
	AssociationID int64
	Municipality  string // "" any; an insats for the whole area is shown under every municipality
	Situation     website.Situation
	OrganiserID   int64
	Status        association.InsatsStatus
	Entry         website.EntryRoute
	InsatsID      int64 // one insats
	Limit         int   // 0: no limit
	Offset        int
}

const catalogueSelect = `SELECT i.id, i.association_id, i.name, i.description, i.kind, i.target_group, i.responsible_org_id, i.start_on, i.end_on,
	i.planned_participants, i.follow_up, i.status, i.public, i.version,
	o.name, COALESCE(c.municipality_code, ''), COALESCE(c.situation, ''), COALESCE(c.age_min, 0), COALESCE(c.age_max, 0),
	COALESCE(c.entry_route, 'referral'), COALESCE(CAST(c.details AS TEXT), '')
	FROM insatser i JOIN organisations o ON o.id = i.responsible_org_id
	LEFT JOIN site_catalogue c ON c.insats_id = i.id`

func catalogueWhere(f CatalogueQuery) (string, []any) {
	where := []string{"i.association_id = $1", "i.public"}
	args := []any{f.AssociationID}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.Municipality != "" {
		where = append(where, "(c.municipality_code = "+arg(f.Municipality)+" OR COALESCE(c.municipality_code, '') = '')")
	}
	if f.Situation != "" {
		where = append(where, "c.situation = "+arg(string(f.Situation)))
	}
	if f.OrganiserID != 0 {
		where = append(where, "i.responsible_org_id = "+arg(f.OrganiserID))
	}
	if f.Status != "" {
		where = append(where, "i.status = "+arg(string(f.Status)))
	}
	if f.Entry != "" {
		where = append(where, "(COALESCE(c.entry_route, 'referral') = "+arg(string(f.Entry))+" OR c.entry_route = 'both')")
	}
	if f.InsatsID != 0 {
		where = append(where, "i.id = "+arg(f.InsatsID))
	}
	return strings.Join(where, " AND "), args
}

// Catalogue lists the catalogue's insatser by name.
func Catalogue(ctx context.Context, q Querier, f CatalogueQuery) ([]CatalogueItem, error) {
	if !textStorable(f.Municipality) || !textStorable(string(f.Situation)) || !textStorable(string(f.Status)) || !textStorable(string(f.Entry)) {
		return nil, nil
	}
	where, args := catalogueWhere(f)
	query := catalogueSelect + " WHERE " + where + " ORDER BY i.name, i.id"
	if f.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	items, err := queryList(ctx, q, scanCatalogueItem, query, args...)
	if err != nil || f.InsatsID == 0 || len(items) == 0 {
		return items, err
	}
	// One insats: its parties too.
	items[0].Parties, err = queryRows(ctx, q, func(s *string) []any { return []any{s} },
		`SELECT o.name FROM insats_parties p JOIN organisations o ON o.id = p.org_id WHERE p.insats_id = $1
		ORDER BY CASE WHEN o.id = $2 THEN 0 ELSE 1 END, o.name`, f.InsatsID, items[0].Insats.ResponsibleOrgID)
	return items, err
}

// CatalogueCount counts what Catalogue would list without its limit.
func CatalogueCount(ctx context.Context, q Querier, f CatalogueQuery) (int, error) {
	if !textStorable(f.Municipality) || !textStorable(string(f.Situation)) || !textStorable(string(f.Status)) || !textStorable(string(f.Entry)) {
		return 0, nil
	}
	where, args := catalogueWhere(f)
	var n int
	err := q.QueryRow(ctx, `SELECT count(*) FROM insatser i LEFT JOIN site_catalogue c ON c.insats_id = i.id WHERE `+where, args...).Scan(&n)
	return n, err
}

func scanCatalogueItem(scan func(...any) error) (CatalogueItem, error) {
	var it CatalogueItem
	var kind, followUp, status, situation, route, details string
	in := &it.Insats
	err := scan(&in.ID, &in.AssociationID, &in.Name, &in.Description, &kind, &in.TargetGroup, &in.ResponsibleOrgID,
		assocDateDest(&in.Start), assocDateDest(&in.End), &in.Planned, &followUp, &status, &in.Public, &in.Version,
		&it.OrganiserName, &it.Entry.MunicipalityCode, &situation, &it.Entry.AgeMin, &it.Entry.AgeMax, &route, &details)
	if err != nil {
		return it, err
	}
	in.Kind, in.FollowUp, in.Status = association.Kind(kind), association.FollowUp(followUp), association.InsatsStatus(status)
	it.Entry.InsatsID = in.ID
	it.Entry.Situation, it.Entry.EntryRoute = website.Situation(situation), website.EntryRoute(route)
	d := entryDetails{FreePlaces: -1, WaitingWeeks: -1}
	if details != "" {
		if err := json.Unmarshal([]byte(details), &d); err != nil {
			return it, fmt.Errorf("catalogue details of insats %d: %w", in.ID, err)
		}
	}
	it.Entry.Place, it.Entry.Contents, it.Entry.FreePlaces, it.Entry.WaitingWeeks = d.Place, d.Contents, d.FreePlaces, d.WaitingWeeks
	it.Entry.Cost, it.Entry.Accessibility = d.Cost, d.Accessibility
	it.Entry.ContactName, it.Entry.ContactPhone, it.Entry.ContactEmail = d.ContactName, d.ContactPhone, d.ContactEmail
	return it, nil
}

// Organiser is a responsible party of some public insats, for the
// catalogue's filter.
type Organiser struct {
	ID   int64
	Name string
}

// CatalogueOrganisers lists the organisations responsible for the
// association's public insatser.
func CatalogueOrganisers(ctx context.Context, q Querier, associationID int64) ([]Organiser, error) {
	return queryRows(ctx, q, func(o *Organiser) []any { return []any{&o.ID, &o.Name} },
		`SELECT DISTINCT o.id, o.name FROM insatser i JOIN organisations o ON o.id = i.responsible_org_id
		WHERE i.association_id = $1 AND i.public ORDER BY o.name`, associationID)
}

// AddInterest records a visitor's interest in one of the association's
// public insatser (ErrNotFound for any other).
func AddInterest(ctx context.Context, tx *Tx, associationID int64, in website.Interest, now time.Time) (int64, error) {
	area, err := SiteArea(ctx, tx, associationID)
	if err != nil {
		return 0, err
	}
	if err := in.Validate(area); err != nil {
		return 0, err
	}
	var n int
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM insatser WHERE id = $1 AND association_id = $2 AND public", in.InsatsID, associationID).Scan(&n); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, ErrNotFound
	}
	return tx.InsertID(ctx, `INSERT INTO site_interest (association_id, insats_id, name, reach, municipality_code, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, associationID, in.InsatsID, in.Name, in.Reach, in.MunicipalityCode, now.UTC())
}

// InterestRow is an interest as the staff list shows it.
type InterestRow struct {
	website.Interest
	InsatsName string
	Created    time.Time
}

// Interests lists the association's pending interest, newest first.
func Interests(ctx context.Context, q Querier, associationID int64) ([]InterestRow, error) {
	return queryRows(ctx, q, func(r *InterestRow) []any {
		return []any{&r.ID, &r.InsatsID, &r.Name, &r.Reach, &r.MunicipalityCode, &r.InsatsName, &r.Created}
	}, `SELECT s.id, s.insats_id, s.name, s.reach, s.municipality_code, i.name, s.created_at
		FROM site_interest s JOIN insatser i ON i.id = s.insats_id WHERE s.association_id = $1 ORDER BY s.created_at DESC, s.id DESC`, associationID)
}

// DeleteInterest removes a handled interest.
func DeleteInterest(ctx context.Context, tx *Tx, associationID, id int64) error {
	return mustAffect(tx.Exec(ctx, "DELETE FROM site_interest WHERE id = $1 AND association_id = $2", id, associationID))
}

// InterestRetention is how long an interest is kept when the staff have
// not handled it: the interest form's notice promises six months.
const InterestRetention = 6 // months

// PurgeInterest deletes interest older than InterestRetention months and
// returns how many.
func PurgeInterest(ctx context.Context, tx *Tx, now time.Time) (int64, error) {
	return affected(tx.Exec(ctx, "DELETE FROM site_interest WHERE created_at < $1", now.AddDate(0, -InterestRetention, 0).UTC()))
}

// SaveNetworkOrg adds (ID 0) or changes an organisation of the network.
func SaveNetworkOrg(ctx context.Context, tx *Tx, associationID int64, o website.Organisation) (int64, error) {
	if strings.TrimSpace(o.Name) == "" {
		return 0, website.Problems{{Field: "name", Code: website.CodeRequired}}
	}
	if err := BumpSiteContent(ctx, tx, associationID); err != nil {
		return 0, err
	}
	if o.ID == 0 {
		return tx.InsertID(ctx, `INSERT INTO site_network (association_id, name, kind, description, url, municipality_code, sort)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, associationID, o.Name, o.Kind, o.Description, o.URL, o.MunicipalityCode, o.Sort)
	}
	return o.ID, mustAffect(tx.Exec(ctx, `UPDATE site_network SET name = $3, kind = $4, description = $5, url = $6, municipality_code = $7, sort = $8
		WHERE id = $1 AND association_id = $2`, o.ID, associationID, o.Name, o.Kind, o.Description, o.URL, o.MunicipalityCode, o.Sort))
}

func networkOrgColumns(o *website.Organisation) []any {
	return []any{&o.ID, &o.Name, &o.Kind, &o.Description, &o.URL, &o.MunicipalityCode, &o.Sort}
}

const networkOrgSelect = "SELECT id, name, kind, description, url, municipality_code, sort FROM site_network WHERE association_id = $1"

// NetworkOrgs lists the association's network in its order.
func NetworkOrgs(ctx context.Context, q Querier, associationID int64) ([]website.Organisation, error) {
	return queryRows(ctx, q, networkOrgColumns, networkOrgSelect+" ORDER BY sort, name, id", associationID)
}

// NetworkOrgByID reads one organisation of the association's network
// (ErrNotFound when it has none with the id).
func NetworkOrgByID(ctx context.Context, q Querier, associationID, id int64) (website.Organisation, error) {
	var o website.Organisation
	err := q.QueryRow(ctx, networkOrgSelect+" AND id = $2", associationID, id).Scan(networkOrgColumns(&o)...)
	return o, err
}

// DeleteNetworkOrg removes an organisation from the association's network
// (ErrNotFound when it has none with the id).
func DeleteNetworkOrg(ctx context.Context, tx *Tx, associationID, id int64) error {
	if err := BumpSiteContent(ctx, tx, associationID); err != nil {
		return err
	}
	return mustAffect(tx.Exec(ctx, "DELETE FROM site_network WHERE id = $1 AND association_id = $2", id, associationID))
}

// nullTime is t for a nullable column.
func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func timePtr(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}
