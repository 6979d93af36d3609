package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
)

// This file holds coordination across agencies: consents, coordinations
// and their parties, notes, meetings and the plan's actions (ADR 20).

func civilOf(t time.Time) civil.Date {
	if t.IsZero() {
		return civil.Date{}
	}
	return civil.Of(t.UTC())
}

// anyTime reads a timestamp that SQLite may give as text.
func anyTime(v any) (time.Time, error) {
	return anyTimeOr(v, "time", func(s string) (time.Time, error) {
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("unexpected time %q", s)
	})
}

func civilArg(d civil.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// RecordConsent stores a consent with its parties and returns its id.
func RecordConsent(ctx context.Context, tx *Tx, c coordination.Consent, userID int64, now time.Time) (int64, error) {
	id, err := tx.InsertID(ctx, `INSERT INTO consents (person_id, recorded_by_org, purpose, valid_from, valid_until, method,
		document_ref, oral_recorded_by, oral_recorded_on, recorded_by_user, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		c.PersonID, c.RecordedByOrg, string(c.Purpose), c.ValidFrom.String(), c.ValidUntil.String(), string(c.Method),
		c.DocumentRef, c.OralRecordedBy, civilArg(c.OralRecordedOn), nullID(userID), now.UTC())
	if err != nil {
		return 0, err
	}
	for _, p := range c.Parties {
		if _, err := tx.Exec(ctx, "INSERT INTO consent_parties (consent_id, org_id, parts) VALUES ($1, $2, $3)", id, p.OrgID, int(p.Parts)); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// WithdrawConsent marks a standing consent withdrawn at now; ErrNotFound
// when there is no such consent or it was withdrawn already.
func WithdrawConsent(ctx context.Context, tx *Tx, id, userID int64, now time.Time) error {
	res, err := tx.Exec(ctx, "UPDATE consents SET withdrawn_at = $2, withdrawn_by = $3 WHERE id = $1 AND withdrawn_at IS NULL",
		id, now.UTC(), nullID(userID))
	return mustAffect(res, err)
}

const consentColumns = `c.id, c.person_id, c.recorded_by_org, c.purpose, c.valid_from, c.valid_until, c.method, c.document_ref,
	c.oral_recorded_by, c.oral_recorded_on, c.recorded_at, c.withdrawn_at, COALESCE(w.name, '')`

// consentsWhere reads consents with their parties.
func consentsWhere(ctx context.Context, q Querier, where string, args ...any) ([]coordination.Consent, error) {
	rows, err := q.Query(ctx, "SELECT "+consentColumns+` FROM consents c LEFT JOIN users w ON w.id = c.withdrawn_by
		WHERE `+where+" ORDER BY c.valid_from, c.id", args...)
	cs, err := collect(rows, err, func(rows *Rows) (coordination.Consent, error) {
		var c coordination.Consent
		var from, until time.Time
		var oralOn, withdrawn sql.NullTime
		var purpose, method string
		err := rows.Scan(&c.ID, &c.PersonID, &c.RecordedByOrg, &purpose, &from, &until, &method, &c.DocumentRef,
			&c.OralRecordedBy, &oralOn, &c.RecordedAt, &withdrawn, &c.WithdrawnBy)
		c.Purpose, c.Method = coordination.Purpose(purpose), coordination.Method(method)
		c.ValidFrom, c.ValidUntil, c.OralRecordedOn = civilOf(from), civilOf(until), civilOf(utcDay(oralOn))
		c.RecordedAt, c.WithdrawnAt = c.RecordedAt.UTC(), utcDay(withdrawn)
		return c, err
	})
	if err != nil || len(cs) == 0 {
		return cs, err
	}
	ids, byID := idsOf(cs, func(c coordination.Consent) int64 { return c.ID })
	prow, err := q.Query(ctx, `SELECT p.consent_id, p.org_id, o.type, o.name, p.parts FROM consent_parties p
		JOIN organisations o ON o.id = p.org_id WHERE p.consent_id IN (`+ids+`) ORDER BY p.consent_id, o.name`)
	_, err = collect(prow, err, func(rows *Rows) (struct{}, error) {
		var id int64
		var p coordination.Party
		var typ string
		var parts int
		if err := rows.Scan(&id, &p.OrgID, &typ, &p.OrgName, &parts); err != nil {
			return struct{}{}, err
		}
		p.OrgType, p.Parts = organisation.Type(typ), policy.Part(parts)
		cs[byID[id]].Parties = append(cs[byID[id]].Parties, p)
		return struct{}{}, nil
	})
	return cs, err
}

// idsOf gives the ids of items as an SQL list, for an IN (...) of the
// parties of items read already, and where each id stands in items.
func idsOf[T any](items []T, id func(T) int64) (list string, at map[int64]int) {
	ids := make([]string, len(items))
	at = make(map[int64]int, len(items))
	for i, it := range items {
		ids[i] = strconv.FormatInt(id(it), 10)
		at[id(it)] = i
	}
	return strings.Join(ids, ","), at
}

// PersonConsents are a person's consents, withdrawn and ended ones too.
func PersonConsents(ctx context.Context, q Querier, personID int64) ([]coordination.Consent, error) {
	return consentsWhere(ctx, q, "c.person_id = $1", personID)
}

// ConsentByID reads one consent.
func ConsentByID(ctx context.Context, q Querier, id int64) (coordination.Consent, error) {
	cs, err := consentsWhere(ctx, q, "c.id = $1", id)
	if err != nil {
		return coordination.Consent{}, err
	}
	if len(cs) == 0 {
		return coordination.Consent{}, ErrNotFound
	}
	return cs[0], nil
}

// PersonsConsents are the consents of several persons, by person.
func PersonsConsents(ctx context.Context, q Querier, personIDs []int64) (map[int64][]coordination.Consent, error) {
	out := map[int64][]coordination.Consent{}
	if len(personIDs) == 0 {
		return out, nil
	}
	ids := make([]string, len(personIDs))
	for i, id := range personIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	cs, err := consentsWhere(ctx, q, "c.person_id IN ("+strings.Join(ids, ",")+")")
	for _, c := range cs {
		out[c.PersonID] = append(out[c.PersonID], c)
	}
	return out, err
}

// Coordination is one case's coordination across agencies.
type Coordination struct {
	ID, CaseID, PersonID int64
	LeadOrgID            int64
	LeadOrgName          string
	StartedAt            time.Time
	Status               string
	// Parties are the organisations invited, the lead among them.
	Parties []CoordinationParty
}

// CoordinationParty is an organisation taking part.
type CoordinationParty struct {
	OrgID     int64
	OrgType   organisation.Type
	OrgName   string
	InvitedAt time.Time
	InvitedBy string
}

// HasParty reports whether org takes part.
func (c *Coordination) HasParty(org int64) bool {
	for _, p := range c.Parties {
		if p.OrgID == org {
			return true
		}
	}
	return false
}

// StartCoordination starts the coordination of a case, with the lead
// organisation as its first party.
func StartCoordination(ctx context.Context, tx *Tx, caseID, personID, leadOrg, userID int64, now time.Time) (int64, error) {
	id, err := tx.InsertID(ctx, `INSERT INTO coordinations (case_id, person_id, lead_org_id, started_by, started_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, caseID, personID, leadOrg, nullID(userID), now.UTC())
	if err != nil {
		return 0, err
	}
	return id, InviteParty(ctx, tx, id, leadOrg, userID, now)
}

// InviteParty adds an organisation to a coordination; inviting one twice
// changes nothing.
func InviteParty(ctx context.Context, tx *Tx, coordinationID, orgID, userID int64, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO coordination_parties (coordination_id, org_id, invited_by, invited_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (coordination_id, org_id) DO NOTHING`, coordinationID, orgID, nullID(userID), now.UTC())
	return err
}

// MarkSeen records that org has opened the coordination (it is no longer
// a new invitation).
func MarkSeen(ctx context.Context, tx *Tx, coordinationID, orgID int64, now time.Time) error {
	_, err := tx.Exec(ctx, "UPDATE coordination_parties SET seen_at = $3 WHERE coordination_id = $1 AND org_id = $2 AND seen_at IS NULL",
		coordinationID, orgID, now.UTC())
	return err
}

func coordinationWhere(ctx context.Context, q Querier, where string, arg any) (Coordination, error) {
	var c Coordination
	err := q.QueryRow(ctx, `SELECT k.id, k.case_id, k.person_id, k.lead_org_id, o.name, k.started_at, k.status
		FROM coordinations k JOIN organisations o ON o.id = k.lead_org_id WHERE `+where, arg).
		Scan(&c.ID, &c.CaseID, &c.PersonID, &c.LeadOrgID, &c.LeadOrgName, &c.StartedAt, &c.Status)
	if err != nil {
		return c, err
	}
	rows, err := q.Query(ctx, `SELECT p.org_id, o.type, o.name, p.invited_at, COALESCE(u.name, '') FROM coordination_parties p
		JOIN organisations o ON o.id = p.org_id LEFT JOIN users u ON u.id = p.invited_by
		WHERE p.coordination_id = $1 ORDER BY p.invited_at, o.name`, c.ID)
	c.Parties, err = collect(rows, err, func(rows *Rows) (CoordinationParty, error) {
		var p CoordinationParty
		var typ string
		err := rows.Scan(&p.OrgID, &typ, &p.OrgName, &p.InvitedAt, &p.InvitedBy)
		p.OrgType, p.InvitedAt = organisation.Type(typ), p.InvitedAt.UTC()
		return p, err
	})
	return c, err
}

// CoordinationByID reads a coordination with its parties.
func CoordinationByID(ctx context.Context, q Querier, id int64) (Coordination, error) {
	return coordinationWhere(ctx, q, "k.id = $1", id)
}

// CoordinationOfCase reads the coordination of a case.
func CoordinationOfCase(ctx context.Context, q Querier, caseID int64) (Coordination, error) {
	return coordinationWhere(ctx, q, "k.case_id = $1", caseID)
}

// CoordinationListRow is one line of an organisation's coordinations.
type CoordinationListRow struct {
	ID, CaseID, PersonID int64
	LeadOrgID, OfficeID  int64
	PersonName           string
	Personnummer         string
	ProtectedIdentity    bool
	LeadOrgName          string
	InvitedAt            time.Time
	New                  bool // not opened yet by the organisation
	NextMeeting          time.Time
	NextMeetingKind      string
	OpenActions          int // the organisation's own open actions
	NextActionDue        time.Time
	ChainDay             int
}

// CoordinationsOf lists the open coordinations org takes part in, newest
// invitation first. The caller filters them by consent.
func CoordinationsOf(ctx context.Context, q Querier, orgID int64, now time.Time) ([]CoordinationListRow, error) {
	rows, err := q.Query(ctx, `SELECT k.id, k.case_id, k.person_id, k.lead_org_id, COALESCE(c.office_id, 0), pe.name, pe.personnummer, pe.protected_identity, o.name,
			p.invited_at, p.seen_at IS NULL, c.chain_day,
			(SELECT MIN(m.starts_at) FROM meetings m WHERE m.coordination_id = k.id AND m.status = 'planned' AND m.starts_at >= $2),
			(SELECT COUNT(*) FROM plan_actions a WHERE a.case_id = k.case_id AND a.owner_org_id = $1 AND a.status IN ('planned', 'ongoing')),
			(SELECT MIN(a.due) FROM plan_actions a WHERE a.case_id = k.case_id AND a.owner_org_id = $1 AND a.status IN ('planned', 'ongoing'))
		FROM coordination_parties p
		JOIN coordinations k ON k.id = p.coordination_id
		JOIN persons pe ON pe.id = k.person_id
		JOIN organisations o ON o.id = k.lead_org_id
		JOIN sickness_cases c ON c.id = k.case_id
		WHERE p.org_id = $1 AND k.status = 'open'
		ORDER BY p.invited_at DESC, p.coordination_id DESC LIMIT 500`, orgID, now.UTC())
	return collect(rows, err, func(rows *Rows) (CoordinationListRow, error) {
		var r CoordinationListRow
		// SQLite gives MIN of a column back as text: the aggregate has
		// no declared type for the driver to go by.
		var next, due any
		if err := rows.Scan(&r.ID, &r.CaseID, &r.PersonID, &r.LeadOrgID, &r.OfficeID, &r.PersonName, &r.Personnummer, &r.ProtectedIdentity, &r.LeadOrgName,
			&r.InvitedAt, &r.New, &r.ChainDay, &next, &r.OpenActions, &due); err != nil {
			return r, err
		}
		var err error
		if r.NextMeeting, err = anyTime(next); err != nil {
			return r, err
		}
		r.NextActionDue, err = anyDay(due)
		return r, err
	})
}

// CoordinationNote is a note of one organisation in a coordination.
type CoordinationNote struct {
	ID        int64
	OrgID     int64
	OrgName   string
	Author    string
	Body      string
	Shared    bool
	CreatedAt time.Time
}

// AddCoordinationNote adds an organisation's note.
func AddCoordinationNote(ctx context.Context, tx *Tx, coordinationID int64, n CoordinationNote, authorID int64, now time.Time) (int64, error) {
	return tx.InsertID(ctx, `INSERT INTO coordination_notes (coordination_id, org_id, author_id, body, shared, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, coordinationID, n.OrgID, nullID(authorID), n.Body, n.Shared, now.UTC())
}

// CoordinationNotes are the notes a reader of org may be shown: its own
// organisation's, and the shared ones of the others (which the caller
// still checks against the consents). Newest first.
func CoordinationNotes(ctx context.Context, q Querier, coordinationID, orgID int64) ([]CoordinationNote, error) {
	return queryRowsUTC(ctx, q, func(n *CoordinationNote) []any {
		return []any{&n.ID, &n.OrgID, &n.OrgName, &n.Author, &n.Body, &n.Shared, &n.CreatedAt}
	}, `SELECT n.id, n.org_id, o.name, COALESCE(u.name, ''), n.body, n.shared, n.created_at
		FROM coordination_notes n JOIN organisations o ON o.id = n.org_id LEFT JOIN users u ON u.id = n.author_id
		WHERE n.coordination_id = $1 AND (n.org_id = $2 OR n.shared) ORDER BY n.created_at DESC, n.id DESC`, coordinationID, orgID)
}

// UnitPatient is a person on sick leave by a certificate one of an
// organisation's care units issued: the latest such certificate and where
// the person's sickness case stands in the rehabilitation chain.
type UnitPatient struct {
	PersonID          int64
	Name              string
	Personnummer      string
	ProtectedIdentity bool
	Unit              string
	LastDay           time.Time
	CaseID            int64
	ChainDay          int
	// Milestones of the case (zero when they do not apply), from the
	// rules engine's last evaluation.
	Day91, Day181, Day366 time.Time
}

// unitCertificate selects the certificates c of organisation $1's care
// units (itself and its children) that still run on $2: each person's
// latest from each unit. UnitPatients and UnitCase share it.
const unitCertificate = `c.sender_org_id IN (SELECT id FROM organisations WHERE id = $1 OR parent_id = $1)
			AND c.last_day >= $2 AND NOT c.test_environment
			AND c.signed_at = (SELECT MAX(c2.signed_at) FROM certificates c2 WHERE c2.person_id = c.person_id AND c2.sender_org_id = c.sender_org_id)`

// UnitPatients lists the persons whose latest certificate from org (or a
// care provider under it) runs to today or later, by unit and name: the
// region's own certificates, for its coordinators' view.
func UnitPatients(ctx context.Context, q Querier, orgID int64, today time.Time, limit int) ([]UnitPatient, error) {
	rows, err := q.Query(ctx, `SELECT c.person_id, p.name, p.personnummer, p.protected_identity, c.unit_name, c.last_day,
			COALESCE(c.case_id, 0), COALESCE(k.chain_day, 0), k.day_91, k.day_181, k.day_366
		FROM certificates c
		JOIN persons p ON p.id = c.person_id
		LEFT JOIN sickness_cases k ON k.id = c.case_id
		WHERE `+unitCertificate+`
		ORDER BY c.unit_name, p.name, c.person_id LIMIT $3`, orgID, dateArg(today), limit)
	return collect(rows, err, func(rows *Rows) (UnitPatient, error) {
		var u UnitPatient
		var d91, d181, d366 sql.NullTime
		err := rows.Scan(&u.PersonID, &u.Name, &u.Personnummer, &u.ProtectedIdentity, &u.Unit, &u.LastDay, &u.CaseID, &u.ChainDay, &d91, &d181, &d366)
		u.LastDay, u.Day91, u.Day181, u.Day366 = u.LastDay.UTC(), utcDay(d91), utcDay(d181), utcDay(d366)
		return u, err
	})
}

// UnitCase reports whether case caseID has a certificate that places it
// in organisation orgID's view of its care units' patients on today
// (UnitPatients): the latest certificate of one of its units, still
// current. The region's way into coordinating a case depends on it.
func UnitCase(ctx context.Context, q Querier, orgID, caseID int64, today time.Time) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM certificates c WHERE `+unitCertificate+` AND c.case_id = $3)`,
		orgID, dateArg(today), caseID).Scan(&ok)
	return ok, err
}

// PersonCaseOffices are the offices of a person's sickness cases (0 for a
// case without one): who, within FK, may know the person.
func PersonCaseOffices(ctx context.Context, q Querier, personID int64) ([]int64, error) {
	rows, err := q.Query(ctx, "SELECT DISTINCT COALESCE(office_id, 0) FROM sickness_cases WHERE person_id = $1", personID)
	return collect(rows, err, func(rows *Rows) (int64, error) {
		var id int64
		return id, rows.Scan(&id)
	})
}
