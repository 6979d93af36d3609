package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
)

// This file holds a coordination association's own data: the settings from
// its statutes, its area, the members' cost shares, the board and the
// preparatory group, yearly contributions, budget and outcome lines and
// equity. Insatser and participants are in association_insats.go and
// association_participants.go, the report aggregates in
// association_reports.go.

// AssociationSettings are what the statutes (förbundsordning, 9 § of the
// Finsam law) say that finsam needs.
type AssociationSettings struct {
	AssociationID int64
	OrgNumber     string
	RegionCode    string   // SCB länskod of the (main) region
	Area          []string // SCB kommunkoder
	CostKey       association.Key
	BudgetProcess string
	StatutesNote  string // seats per party, qualified majority, insight, auditors' term
	UpdatedAt     time.Time
}

// SaveAssociationSettings writes the settings and replaces the area. Call it
// in the transaction that records the change in the audit log.
func SaveAssociationSettings(ctx context.Context, tx *Tx, s AssociationSettings, now time.Time) error {
	if !s.CostKey.Valid() {
		return &association.Error{Code: association.CodeUnknownKey, Field: "cost_key", Message: "unknown distribution key", MessageSV: "okänd fördelningsnyckel"}
	}
	if s.OrgNumber != "" {
		n, ok := association.NormaliseOrgNumber(s.OrgNumber)
		if !ok {
			return &association.Error{Code: association.CodeInvalidOrgNumber, Field: "org_number", Message: "not a valid organisation number", MessageSV: "inte ett giltigt organisationsnummer"}
		}
		s.OrgNumber = n
	}
	if _, err := tx.Exec(ctx, `INSERT INTO association_settings (association_id, org_number, region_code, cost_key, budget_process, statutes_note, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (association_id) DO UPDATE SET org_number = excluded.org_number, region_code = excluded.region_code,
			cost_key = excluded.cost_key, budget_process = excluded.budget_process, statutes_note = excluded.statutes_note,
			updated_at = excluded.updated_at`,
		s.AssociationID, s.OrgNumber, s.RegionCode, string(s.CostKey), s.BudgetProcess, s.StatutesNote, now.UTC()); err != nil {
		return fmt.Errorf("save association settings: %w", err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM association_area WHERE association_id = $1", s.AssociationID); err != nil {
		return err
	}
	for _, code := range s.Area {
		if _, err := tx.Exec(ctx, "INSERT INTO association_area (association_id, municipality_code) VALUES ($1, $2)", s.AssociationID, code); err != nil {
			return fmt.Errorf("association area %s: %w", code, err)
		}
	}
	return nil
}

// AssociationSettingsOf reads the settings; ErrNotFound when never saved.
func AssociationSettingsOf(ctx context.Context, q Querier, associationID int64) (AssociationSettings, error) {
	s := AssociationSettings{AssociationID: associationID}
	var key string
	err := q.QueryRow(ctx, `SELECT org_number, region_code, cost_key, budget_process, statutes_note, updated_at
		FROM association_settings WHERE association_id = $1`, associationID).
		Scan(&s.OrgNumber, &s.RegionCode, &key, &s.BudgetProcess, &s.StatutesNote, &s.UpdatedAt)
	if err != nil {
		return s, err
	}
	s.CostKey, s.UpdatedAt = association.Key(key), s.UpdatedAt.UTC()
	s.Area, err = queryRows(ctx, q, func(c *string) []any { return []any{c} },
		"SELECT municipality_code FROM association_area WHERE association_id = $1 ORDER BY municipality_code", associationID)
	return s, err
}

// CostShare is one member's weight in the association's key.
type CostShare struct {
	MemberID   int64
	Population int64
	ShareBP    int64 // basis points, association.WholeShare = 100 %
}

// SaveCostShares replaces the members' cost shares. Agreed shares are
// checked to sum to 100 % per kind of member (regions, municipalities) by
// association.SplitContribution when a split is made, not here: a half-typed
// table may be saved.
func SaveCostShares(ctx context.Context, tx *Tx, associationID int64, shares []CostShare) error {
	if _, err := tx.Exec(ctx, "DELETE FROM association_cost_shares WHERE association_id = $1", associationID); err != nil {
		return err
	}
	for _, s := range shares {
		if _, err := tx.Exec(ctx, `INSERT INTO association_cost_shares (association_id, member_id, population, share_bp) VALUES ($1, $2, $3, $4)`,
			associationID, s.MemberID, s.Population, s.ShareBP); err != nil {
			return fmt.Errorf("cost share of member %d: %w", s.MemberID, err)
		}
	}
	return nil
}

// CostShares lists the members' cost shares by member id.
func CostShares(ctx context.Context, q Querier, associationID int64) ([]CostShare, error) {
	return queryRows(ctx, q, func(s *CostShare) []any {
		return []any{&s.MemberID, &s.Population, &s.ShareBP}
	}, `SELECT member_id, population, share_bp FROM association_cost_shares WHERE association_id = $1 ORDER BY member_id`, associationID)
}

// The bodies of an association.
const (
	BodyBoard       = "board"       // styrelse
	BodyPreparatory = "preparatory" // beredningsgrupp
)

// BodyMember is a seat on the board (role "ledamot" or "ersattare") or in
// the preparatory group (role "member"), held for a member organisation by
// a user of finsam or by a named person without an account.
type BodyMember struct {
	ID            int64
	AssociationID int64
	Body          string
	MemberID      int64
	UserID        int64 // 0: no finsam account
	Name          string
	Role          string
	Position      string // "", "chair", "vice_chair"
	From, To      civil.Date
}

// CreateBodyMember adds a seat and returns its id.
func CreateBodyMember(ctx context.Context, tx *Tx, m BodyMember) (int64, error) {
	id, err := tx.InsertID(ctx, `INSERT INTO association_body_members (association_id, body, member_id, user_id, name, role, position, term_from, term_to)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		m.AssociationID, m.Body, m.MemberID, nullID(m.UserID), m.Name, m.Role, m.Position, assocDate(m.From), assocDate(m.To))
	if err != nil {
		return 0, fmt.Errorf("create %s member: %w", m.Body, err)
	}
	return id, nil
}

// UpdateBodyMember changes a seat; ErrNotFound when it is not the
// association's.
func UpdateBodyMember(ctx context.Context, tx *Tx, m BodyMember) error {
	res, err := tx.Exec(ctx, `UPDATE association_body_members SET member_id = $3, user_id = $4, name = $5, role = $6, position = $7,
		term_from = $8, term_to = $9 WHERE id = $1 AND association_id = $2`,
		m.ID, m.AssociationID, m.MemberID, nullID(m.UserID), m.Name, m.Role, m.Position, assocDate(m.From), assocDate(m.To))
	return mustAffect(res, err)
}

// DeleteBodyMember removes a seat entered by mistake (a seat that ended
// gets an end of term instead).
func DeleteBodyMember(ctx context.Context, tx *Tx, associationID, id int64) error {
	res, err := tx.Exec(ctx, "DELETE FROM association_body_members WHERE id = $1 AND association_id = $2", id, associationID)
	return mustAffect(res, err)
}

// BodyMemberByID finds one seat of an association's board or preparatory
// group; ErrNotFound when the association has no such seat.
func BodyMemberByID(ctx context.Context, q Querier, associationID, id int64) (BodyMember, error) {
	var m BodyMember
	err := q.QueryRow(ctx, `SELECT id, association_id, body, member_id, COALESCE(user_id, 0), name, role, position, term_from, term_to
		FROM association_body_members WHERE association_id = $1 AND id = $2`, associationID, id).Scan(
		&m.ID, &m.AssociationID, &m.Body, &m.MemberID, &m.UserID, &m.Name, &m.Role, &m.Position, assocDateDest(&m.From), assocDateDest(&m.To))
	return m, err
}

// BodyMembers lists a body's seats whose term includes on (all seats when on
// is the zero Date), by member organisation and role.
func BodyMembers(ctx context.Context, q Querier, associationID int64, body string, on civil.Date) ([]BodyMember, error) {
	query := `SELECT id, association_id, body, member_id, COALESCE(user_id, 0), name, role, position, term_from, term_to
		FROM association_body_members WHERE association_id = $1 AND body = $2`
	args := []any{associationID, body}
	if !on.IsZero() {
		query += " AND term_from <= $3 AND (term_to IS NULL OR term_to >= $3)"
		args = append(args, on.String())
	}
	return queryRows(ctx, q, func(m *BodyMember) []any {
		return []any{&m.ID, &m.AssociationID, &m.Body, &m.MemberID, &m.UserID, &m.Name, &m.Role, &m.Position,
			assocDateDest(&m.From), assocDateDest(&m.To)}
	}, query+" ORDER BY member_id, role DESC, term_from, id", args...)
}

// Contribution is one member's contribution for one year.
type Contribution struct {
	Year     int
	MemberID int64
	Planned  association.Ore
	Invoiced association.Ore
	Paid     association.Ore
}

// SaveContributions writes the members' contributions for the years they
// name (insert or replace), all in the caller's transaction.
func SaveContributions(ctx context.Context, tx *Tx, associationID int64, cs []Contribution) error {
	for _, c := range cs {
		if _, err := tx.Exec(ctx, `INSERT INTO association_contributions (association_id, year, member_id, planned_ore, invoiced_ore, paid_ore)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (association_id, year, member_id) DO UPDATE SET planned_ore = excluded.planned_ore,
				invoiced_ore = excluded.invoiced_ore, paid_ore = excluded.paid_ore`,
			associationID, c.Year, c.MemberID, int64(c.Planned), int64(c.Invoiced), int64(c.Paid)); err != nil {
			return fmt.Errorf("contribution %d of member %d: %w", c.Year, c.MemberID, err)
		}
	}
	return nil
}

// SaveSplit records a computed financing split as the year's planned
// contributions: the state's half on the FK member, each region's and
// municipality's part on itself. Invoiced and paid amounts already recorded
// are kept.
func SaveSplit(ctx context.Context, tx *Tx, associationID int64, year int, fkMemberID int64, s association.Split) error {
	parts := []association.PartAmount{{OrgID: fkMemberID, Amount: s.State}}
	parts = append(append(parts, s.Regions...), s.Municipalities...)
	for _, p := range parts {
		if _, err := tx.Exec(ctx, `INSERT INTO association_contributions (association_id, year, member_id, planned_ore)
			VALUES ($1, $2, $3, $4)
			ON CONFLICT (association_id, year, member_id) DO UPDATE SET planned_ore = excluded.planned_ore`,
			associationID, year, p.OrgID, int64(p.Amount)); err != nil {
			return fmt.Errorf("planned contribution %d of member %d: %w", year, p.OrgID, err)
		}
	}
	return nil
}

// Contributions lists contributions, of one year or (year 0) all, by year
// and member. A member organisation's own view filters by memberID (0: all).
func Contributions(ctx context.Context, q Querier, associationID int64, year int, memberID int64) ([]Contribution, error) {
	return queryRows(ctx, q, func(c *Contribution) []any {
		return []any{&c.Year, &c.MemberID, &c.Planned, &c.Invoiced, &c.Paid}
	}, `SELECT year, member_id, planned_ore, invoiced_ore, paid_ore FROM association_contributions
		WHERE association_id = $1 AND ($2 = 0 OR year = $2) AND ($3 = 0 OR member_id = $3) ORDER BY year, member_id`,
		associationID, year, memberID)
}

// Budget-line entries and kinds.
const (
	EntryBudget  = "budget"
	EntryOutcome = "outcome" // utfall

	LineAdministration = "administration"
	LineInsats         = "insats"
)

// BudgetLine is one amount of budget or outcome for a year: for the
// administration or for an insats, from one financier.
type BudgetLine struct {
	ID            int64
	AssociationID int64
	Year          int
	Entry         string // EntryBudget or EntryOutcome
	Kind          string // LineAdministration or LineInsats
	InsatsID      int64  // with LineInsats
	Financier     association.Financier
	Amount        association.Ore
	Note          string
	BookedOn      civil.Date // an outcome's booking date, if known
}

// CreateBudgetLines inserts lines, all or none (in the caller's
// transaction), and returns their ids.
func CreateBudgetLines(ctx context.Context, tx *Tx, lines []BudgetLine, now time.Time) ([]int64, error) {
	ids := make([]int64, 0, len(lines))
	for i, l := range lines {
		id, err := tx.InsertID(ctx, `INSERT INTO association_budget_lines (association_id, year, entry, kind, insats_id, financier, amount_ore, note, booked_on, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			l.AssociationID, l.Year, l.Entry, l.Kind, nullID(l.InsatsID), string(l.Financier), int64(l.Amount), l.Note, assocDate(l.BookedOn), now.UTC())
		if err != nil {
			return nil, fmt.Errorf("budget line %d: %w", i+1, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// UpdateBudgetLine changes the amount, financier, note and booking date of a
// line; ErrNotFound when it is not the association's.
func UpdateBudgetLine(ctx context.Context, tx *Tx, l BudgetLine) error {
	res, err := tx.Exec(ctx, `UPDATE association_budget_lines SET financier = $3, amount_ore = $4, note = $5, booked_on = $6
		WHERE id = $1 AND association_id = $2`, l.ID, l.AssociationID, string(l.Financier), int64(l.Amount), l.Note, assocDate(l.BookedOn))
	return mustAffect(res, err)
}

// DeleteBudgetLine removes a line; ErrNotFound when it is not the
// association's.
func DeleteBudgetLine(ctx context.Context, tx *Tx, associationID, id int64) error {
	res, err := tx.Exec(ctx, "DELETE FROM association_budget_lines WHERE id = $1 AND association_id = $2", id, associationID)
	return mustAffect(res, err)
}

// BudgetLines lists the lines of a year (of one entry, or both when entry is
// "") by kind, insats and financier.
func BudgetLines(ctx context.Context, q Querier, associationID int64, year int, entry string) ([]BudgetLine, error) {
	return queryList(ctx, q, func(scan func(...any) error) (BudgetLine, error) {
		var l BudgetLine
		var fin string
		err := scan(&l.ID, &l.AssociationID, &l.Year, &l.Entry, &l.Kind, &l.InsatsID, &fin, &l.Amount, &l.Note, assocDateDest(&l.BookedOn))
		l.Financier = association.Financier(fin)
		return l, err
	}, `SELECT id, association_id, year, entry, kind, COALESCE(insats_id, 0), financier, amount_ore, note, booked_on
		FROM association_budget_lines WHERE association_id = $1 AND year = $2 AND ($3 = '' OR entry = $3)
		ORDER BY entry, kind, insats_id, financier, id`, associationID, year, entry)
}

// SetEquity records the equity (eget kapital) at the end of a year.
func SetEquity(ctx context.Context, tx *Tx, associationID int64, year int, equity association.Ore) error {
	_, err := tx.Exec(ctx, `INSERT INTO association_equity (association_id, year, equity_ore) VALUES ($1, $2, $3)
		ON CONFLICT (association_id, year) DO UPDATE SET equity_ore = excluded.equity_ore`, associationID, year, int64(equity))
	return err
}

// Equity returns the equity at the end of each recorded year, by year.
func Equity(ctx context.Context, q Querier, associationID int64) (map[int]association.Ore, error) {
	rows, err := q.Query(ctx, "SELECT year, equity_ore FROM association_equity WHERE association_id = $1", associationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]association.Ore{}
	for rows.Next() {
		var y int
		var e association.Ore
		if err := rows.Scan(&y, &e); err != nil {
			return nil, err
		}
		out[y] = e
	}
	return out, rows.Err()
}

// assocDate binds a civil date: NULL for the zero Date.
func assocDate(d civil.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// assocDateScanner reads a DATE column into a civil.Date. The SQLite driver
// gives a time.Time for a column declared DATE but text for an expression
// (MIN(start_on)), PostgreSQL always a time.Time; NULL is the zero Date.
type assocDateScanner struct{ d *civil.Date }

func assocDateDest(d *civil.Date) sql.Scanner { return assocDateScanner{d} }

func (s assocDateScanner) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*s.d = civil.Date{}
	case time.Time:
		*s.d = civil.Of(v.UTC())
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	default:
		return fmt.Errorf("cannot read %T as a date", v)
	}
	return nil
}

func (s assocDateScanner) parse(v string) error {
	if len(v) > 10 {
		v = v[:10] // "2025-01-31 00:00:00+00:00" from SQLite's time format
	}
	d, err := civil.Parse(v)
	if err != nil {
		return fmt.Errorf("date %q: %w", v, err)
	}
	*s.d = d
	return nil
}

// AssociationStanding is how a user stands to an association, for the
// access decision: whether their organisation is a member and whether they
// hold a seat on its board or preparatory group on a day.
type AssociationStanding struct {
	Member    bool
	BoardSeat bool
}

// StandingOf looks up the standing of user (of organisation org) towards
// the association on the day on, in one query.
func StandingOf(ctx context.Context, q Querier, associationID, orgID, userID int64, on civil.Date) (AssociationStanding, error) {
	var s AssociationStanding
	var member, seat int
	err := q.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM association_members WHERE association_id = $1 AND member_id = $2),
			(SELECT count(*) FROM association_body_members WHERE association_id = $1 AND user_id = $3
				AND term_from <= $4 AND (term_to IS NULL OR term_to >= $4))`,
		associationID, orgID, userID, on.String()).Scan(&member, &seat)
	s.Member, s.BoardSeat = member > 0, seat > 0
	return s, err
}

// AssociationsFor lists the associations a user may look at, by name: the
// user's own organisation when it is an association, the associations the
// organisation is a member of, and those where the user holds a seat on
// the board or preparatory group on the day on.
func AssociationsFor(ctx context.Context, q Querier, orgID, userID int64, on civil.Date) ([]organisation.Organisation, error) {
	rows, err := q.Query(ctx, "SELECT "+prefixed("o.", orgColumns)+` FROM organisations o
		WHERE o.type = 'association' AND (o.id = $1
			OR EXISTS (SELECT 1 FROM association_members m WHERE m.association_id = o.id AND m.member_id = $1)
			OR EXISTS (SELECT 1 FROM association_body_members b WHERE b.association_id = o.id AND b.user_id = $2
				AND b.term_from <= $3 AND (b.term_to IS NULL OR b.term_to >= $3)))
		ORDER BY o.name, o.id`, orgID, userID, on.String())
	return collect(rows, err, func(rows *Rows) (organisation.Organisation, error) { return scanOrg(rows.Scan) })
}
