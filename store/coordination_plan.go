package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/finsam/finsam/coordination"
	"github.com/finsam/finsam/organisation"
)

// CreateMeeting stores a meeting with its parties and returns its id.
func CreateMeeting(ctx context.Context, tx *Tx, m coordination.Meeting, userID int64, now time.Time) (int64, error) {
	id, err := tx.InsertID(ctx, `INSERT INTO meetings (coordination_id, kind, status, starts_at, length_minutes, place, video,
		convened_by, person_attends, agenda, minutes, doctor_attended, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
		m.CoordinationID, string(m.Kind), string(m.Status), m.Start.UTC(), m.LengthMinutes, m.Place, m.Video,
		m.ConvenedBy, m.PersonAttends, m.Agenda, m.Minutes, m.DoctorAttended, nullID(userID), now.UTC())
	if err != nil {
		return 0, err
	}
	for _, p := range m.Parties {
		if _, err := tx.Exec(ctx, "INSERT INTO meeting_parties (meeting_id, org_id) VALUES ($1, $2)", id, p.OrgID); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// RecordMeetingHeld records that a meeting was held: its minutes, its
// actual length and whether a doctor took part.
func RecordMeetingHeld(ctx context.Context, tx *Tx, id int64, minutes string, lengthMinutes int, doctor bool, now time.Time) error {
	res, err := tx.Exec(ctx, `UPDATE meetings SET status = 'held', minutes = $2, length_minutes = $3, doctor_attended = $4, updated_at = $5
		WHERE id = $1 AND status = 'planned'`, id, minutes, lengthMinutes, doctor, now.UTC())
	return mustAffect(res, err)
}

// Meetings lists a coordination's meetings by time.
func Meetings(ctx context.Context, q Querier, coordinationID int64) ([]coordination.Meeting, error) {
	return meetingsWhere(ctx, q, "m.coordination_id = $1", coordinationID)
}

// MeetingByID reads one meeting of a coordination.
func MeetingByID(ctx context.Context, q Querier, coordinationID, id int64) (coordination.Meeting, error) {
	ms, err := meetingsWhere(ctx, q, "m.coordination_id = $1 AND m.id = $2", coordinationID, id)
	if err != nil {
		return coordination.Meeting{}, err
	}
	if len(ms) == 0 {
		return coordination.Meeting{}, ErrNotFound
	}
	return ms[0], nil
}

func meetingsWhere(ctx context.Context, q Querier, where string, args ...any) ([]coordination.Meeting, error) {
	rows, err := q.Query(ctx, `SELECT m.id, m.coordination_id, m.kind, m.status, m.starts_at, m.length_minutes, m.place, m.video,
		m.convened_by, o.type, m.person_attends, m.agenda, m.minutes, m.doctor_attended
		FROM meetings m JOIN organisations o ON o.id = m.convened_by WHERE `+where+" ORDER BY m.starts_at, m.id", args...)
	ms, err := collect(rows, err, func(rows *Rows) (coordination.Meeting, error) {
		var m coordination.Meeting
		var kind, status, typ string
		err := rows.Scan(&m.ID, &m.CoordinationID, &kind, &status, &m.Start, &m.LengthMinutes, &m.Place, &m.Video,
			&m.ConvenedBy, &typ, &m.PersonAttends, &m.Agenda, &m.Minutes, &m.DoctorAttended)
		m.Kind, m.Status, m.ConvenedByType, m.Start = coordination.MeetingKind(kind), coordination.MeetingStatus(status), organisation.Type(typ), m.Start.UTC()
		return m, err
	})
	if err != nil || len(ms) == 0 {
		return ms, err
	}
	ids, byID := idsOf(ms, func(m coordination.Meeting) int64 { return m.ID })
	prow, err := q.Query(ctx, `SELECT p.meeting_id, p.org_id, o.type, o.name FROM meeting_parties p
		JOIN organisations o ON o.id = p.org_id WHERE p.meeting_id IN (`+ids+`) ORDER BY o.name`)
	_, err = collect(prow, err, func(rows *Rows) (struct{}, error) {
		var id int64
		var p coordination.Party
		var typ string
		if err := rows.Scan(&id, &p.OrgID, &typ, &p.OrgName); err != nil {
			return struct{}{}, err
		}
		p.OrgType = organisation.Type(typ)
		ms[byID[id]].Parties = append(ms[byID[id]].Parties, p)
		return struct{}{}, nil
	})
	return ms, err
}

// PlanItem is one action of the one plan, as the coordination shows it.
type PlanItem struct {
	ID          int64
	Title       string
	OwnerOrgID  int64
	OwnerOrg    string
	OwnerType   organisation.Type
	OwnerPerson string
	Due         time.Time
	Status      string
	Source      string
	SourceRef   string
	MeetingID   int64
	UpdatedAt   time.Time
}

// AddCoordinationAction adds an action to a case's plan for the actor's
// organisation, with the first line of its change log. It does not bump
// the case's version: each organisation edits its own actions, not FK's
// case.
func AddCoordinationAction(ctx context.Context, tx *Tx, caseID int64, a coordination.Action, meetingID, userID, orgID int64, now time.Time) (int64, error) {
	status := a.Status
	if status == "" {
		status = coordination.ActionPlanned
	}
	id, err := tx.InsertID(ctx, `INSERT INTO plan_actions (case_id, title, owner_org_id, due, status, created_by, created_at, updated_at,
		owner_person, source, source_ref, meeting_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11) RETURNING id`,
		caseID, a.Title, a.OwnerOrgID, a.Due.String(), status, nullID(userID), now.UTC(), a.OwnerPerson, string(a.Source), a.SourceRef, nullID(meetingID))
	if err != nil {
		return 0, err
	}
	return id, logActionChange(ctx, tx, id, userID, orgID, now, "created", "", a.Title)
}

func logActionChange(ctx context.Context, tx *Tx, actionID, userID, orgID int64, now time.Time, field, old, new string) error {
	_, err := tx.Exec(ctx, `INSERT INTO plan_action_changes (action_id, changed_by, org_id, changed_at, field, old_value, new_value)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, actionID, nullID(userID), orgID, now.UTC(), field, old, new)
	return err
}

// UpdateCoordinationAction changes an action's status, due date and
// owning person, logging every field that changed. The caller has checked
// that the actor's organisation owns it.
func UpdateCoordinationAction(ctx context.Context, tx *Tx, caseID int64, old PlanItem, status string, due time.Time, person string, userID, orgID int64, now time.Time) error {
	res, err := tx.Exec(ctx, `UPDATE plan_actions SET status = $3, due = $4, owner_person = $5, updated_at = $6 WHERE id = $1 AND case_id = $2`,
		old.ID, caseID, status, dateArg(due), person, now.UTC())
	if err := mustAffect(res, err); err != nil {
		return err
	}
	for _, c := range [][3]string{{"status", old.Status, status}, {"due", dateArg(old.Due), dateArg(due)}, {"owner_person", old.OwnerPerson, person}} {
		if c[1] != c[2] {
			if err := logActionChange(ctx, tx, old.ID, userID, orgID, now, c[0], c[1], c[2]); err != nil {
				return err
			}
		}
	}
	return nil
}

// PlanItems lists a case's plan, every organisation's actions, by due date.
func PlanItems(ctx context.Context, q Querier, caseID int64) ([]PlanItem, error) {
	return planItemsWhere(ctx, q, "a.case_id = $1", caseID)
}

// PlanItemByID reads one action of a case's plan.
func PlanItemByID(ctx context.Context, q Querier, caseID, id int64) (PlanItem, error) {
	items, err := planItemsWhere(ctx, q, "a.case_id = $1 AND a.id = $2", caseID, id)
	if err != nil {
		return PlanItem{}, err
	}
	if len(items) == 0 {
		return PlanItem{}, ErrNotFound
	}
	return items[0], nil
}

func planItemsWhere(ctx context.Context, q Querier, where string, args ...any) ([]PlanItem, error) {
	rows, err := q.Query(ctx, `SELECT a.id, a.title, a.owner_org_id, o.name, o.type, a.owner_person, a.due, a.status, a.source,
		a.source_ref, COALESCE(a.meeting_id, 0), a.updated_at
		FROM plan_actions a JOIN organisations o ON o.id = a.owner_org_id WHERE `+where+" ORDER BY a.due, a.id", args...)
	return collect(rows, err, func(rows *Rows) (PlanItem, error) {
		var p PlanItem
		var typ string
		err := rows.Scan(&p.ID, &p.Title, &p.OwnerOrgID, &p.OwnerOrg, &typ, &p.OwnerPerson, &p.Due, &p.Status, &p.Source,
			&p.SourceRef, &p.MeetingID, &p.UpdatedAt)
		p.OwnerType, p.Due, p.UpdatedAt = organisation.Type(typ), p.Due.UTC(), p.UpdatedAt.UTC()
		return p, err
	})
}

// ActionChange is one line of an action's change log.
type ActionChange struct {
	ActionID int64
	By, Org  string
	At       time.Time
	Field    string
	Old, New string
}

// ActionChanges are the change logs of a case's actions, oldest first.
func ActionChanges(ctx context.Context, q Querier, caseID int64) ([]ActionChange, error) {
	return queryRowsUTC(ctx, q, func(c *ActionChange) []any {
		return []any{&c.ActionID, &c.By, &c.Org, &c.At, &c.Field, &c.Old, &c.New}
	}, `SELECT c.action_id, COALESCE(u.name, ''), o.name, c.changed_at, c.field, c.old_value, c.new_value
		FROM plan_action_changes c JOIN plan_actions a ON a.id = c.action_id JOIN organisations o ON o.id = c.org_id
		LEFT JOIN users u ON u.id = c.changed_by WHERE a.case_id = $1 ORDER BY c.changed_at, c.id`, caseID)
}

// InsatsReferral is a person's registration in an association's insats,
// shown in the plan.
type InsatsReferral struct {
	ParticipantID int64
	Association   string
	Insats        string
	Status        string
	Start, End    time.Time
}

// PersonInsatser are the person's registrations in insatser, referrals
// still pending among them.
func PersonInsatser(ctx context.Context, q Querier, personID int64) ([]InsatsReferral, error) {
	rows, err := q.Query(ctx, `SELECT p.id, o.name, i.name, p.status, p.start_on, p.end_on FROM participants p
		JOIN insatser i ON i.id = p.insats_id JOIN organisations o ON o.id = p.association_id
		WHERE p.person_id = $1 ORDER BY p.created_at, p.id`, personID)
	return collect(rows, err, func(rows *Rows) (InsatsReferral, error) {
		var r InsatsReferral
		var start, end sql.NullTime
		err := rows.Scan(&r.ParticipantID, &r.Association, &r.Insats, &r.Status, &start, &end)
		r.Start, r.End = utcDay(start), utcDay(end)
		return r, err
	})
}

// CancelMeeting marks a planned meeting cancelled; ErrNotFound when it is
// not planned (held or cancelled already).
func CancelMeeting(ctx context.Context, tx *Tx, coordinationID, id int64, now time.Time) error {
	res, err := tx.Exec(ctx, "UPDATE meetings SET status = 'cancelled', updated_at = $3 WHERE id = $1 AND coordination_id = $2 AND status = 'planned'",
		id, coordinationID, now.UTC())
	return mustAffect(res, err)
}
