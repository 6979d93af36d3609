package store

import (
	"context"
	"time"

	"github.com/finsam/finsam/coordination"
)

// Bulk loading of generated coordination (`finsam generate`): the person's
// consent, the coordination of the case with the organisations invited,
// its meetings with their parties and the plan's actions with their first
// change-log row, all numbered by the caller (BulkCoordinationIDs) and
// written as the rest of Bulk writes (COPY on PostgreSQL).

// BulkCoordinationIDs are the first free ids of the coordination tables.
type BulkCoordinationIDs struct{ Consent, Coordination, Meeting, Action int64 }

// NextBulkCoordinationIDs reads the first free ids: one more than the
// largest in use.
func NextBulkCoordinationIDs(ctx context.Context, q Querier) (BulkCoordinationIDs, error) {
	var ids BulkCoordinationIDs
	err := q.QueryRow(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM consents), (SELECT COALESCE(MAX(id), 0) + 1 FROM coordinations),
		(SELECT COALESCE(MAX(id), 0) + 1 FROM meetings), (SELECT COALESCE(MAX(id), 0) + 1 FROM plan_actions)`).
		Scan(&ids.Consent, &ids.Coordination, &ids.Meeting, &ids.Action)
	return ids, err
}

// BulkCoordination is a generated coordination of one case: the consent
// it rests on (Consent.ID and Consent.Parties are written), the
// organisations invited besides the lead, its meetings and actions.
type BulkCoordination struct {
	ID, CaseID, PersonID, LeadOrgID, StartedBy int64
	StartedAt                                  time.Time
	Consent                                    coordination.Consent
	Invited                                    []int64
	InvitedAt                                  time.Time
	// Seen: the invited organisations have opened it.
	Seen     bool
	Meetings []coordination.Meeting // with ID; Parties' OrgID are read
	Actions  []BulkAction
}

// BulkAction is a generated action of the plan with its id and, for one
// agreed at a meeting, the meeting's.
type BulkAction struct {
	ID, MeetingID int64
	coordination.Action
}

// Coordinations stores generated coordinations with everything they hold.
func (b *Bulk) Coordinations(ctx context.Context, ks []BulkCoordination) error {
	var tables []bulkTable
	add := func(t *bulkTable, row ...any) { t.rows = append(t.rows, row) }
	consents := bulkTable{"consents", []string{"id", "person_id", "recorded_by_org", "purpose", "valid_from", "valid_until", "method",
		"document_ref", "oral_recorded_by", "oral_recorded_on", "recorded_by_user", "recorded_at", "withdrawn_at", "withdrawn_by"},
		padDates(14, 4, 5, 9), nil}
	consentParties := bulkTable{"consent_parties", []string{"consent_id", "org_id", "parts"}, padDates(3), nil}
	coordinations := bulkTable{"coordinations", []string{"id", "case_id", "person_id", "lead_org_id", "started_by", "started_at"}, padDates(6), nil}
	parties := bulkTable{"coordination_parties", []string{"coordination_id", "org_id", "invited_by", "invited_at", "seen_at"}, padDates(5), nil}
	meetings := bulkTable{"meetings", []string{"id", "coordination_id", "kind", "status", "starts_at", "length_minutes", "place", "video",
		"convened_by", "person_attends", "agenda", "minutes", "doctor_attended", "created_by", "created_at", "updated_at"}, padDates(16), nil}
	meetingParties := bulkTable{"meeting_parties", []string{"meeting_id", "org_id"}, padDates(2), nil}
	actions := bulkTable{"plan_actions", []string{"id", "case_id", "title", "owner_org_id", "due", "status", "created_by", "created_at",
		"updated_at", "owner_person", "source", "source_ref", "meeting_id"}, padDates(13, 4), nil}
	changes := bulkTable{"plan_action_changes", []string{"action_id", "changed_by", "org_id", "changed_at", "field", "old_value", "new_value"},
		padDates(7), nil}
	for _, k := range ks {
		c := k.Consent
		var oralOn any
		if !c.OralRecordedOn.IsZero() {
			oralOn = c.OralRecordedOn.Time()
		}
		var withdrawn, withdrawnBy any
		if c.Withdrawn() {
			withdrawn, withdrawnBy = c.WithdrawnAt.UTC(), nullable(k.StartedBy)
		}
		add(&consents, c.ID, k.PersonID, c.RecordedByOrg, string(c.Purpose), c.ValidFrom.Time(), c.ValidUntil.Time(), string(c.Method),
			c.DocumentRef, c.OralRecordedBy, oralOn, nullable(k.StartedBy), k.StartedAt.UTC(), withdrawn, withdrawnBy)
		for _, p := range c.Parties {
			add(&consentParties, c.ID, p.OrgID, int(p.Parts))
		}
		add(&coordinations, k.ID, k.CaseID, k.PersonID, k.LeadOrgID, nullable(k.StartedBy), k.StartedAt.UTC())
		add(&parties, k.ID, k.LeadOrgID, nullable(k.StartedBy), k.StartedAt.UTC(), k.StartedAt.UTC())
		var seen any
		if k.Seen {
			seen = k.InvitedAt.Add(26 * time.Hour).UTC()
		}
		for _, org := range k.Invited {
			add(&parties, k.ID, org, nullable(k.StartedBy), k.InvitedAt.UTC(), seen)
		}
		for _, m := range k.Meetings {
			add(&meetings, m.ID, k.ID, string(m.Kind), string(m.Status), m.Start.UTC(), m.LengthMinutes, m.Place, m.Video, m.ConvenedBy,
				m.PersonAttends, m.Agenda, m.Minutes, m.DoctorAttended, nullable(k.StartedBy), k.InvitedAt.UTC(), k.InvitedAt.UTC())
			for _, p := range m.Parties {
				add(&meetingParties, m.ID, p.OrgID)
			}
		}
		for _, a := range k.Actions {
			add(&actions, a.ID, k.CaseID, a.Title, a.OwnerOrgID, a.Due.Time(), a.Status, nullable(k.StartedBy), k.InvitedAt.UTC(),
				k.InvitedAt.UTC(), a.OwnerPerson, string(a.Source), a.SourceRef, nullable(a.MeetingID))
			add(&changes, a.ID, nullable(k.StartedBy), a.OwnerOrgID, k.InvitedAt.UTC(), "created", "", a.Title)
		}
	}
	tables = append(tables, consents, consentParties, coordinations, parties, meetings, meetingParties, actions, changes)
	for _, t := range tables {
		if err := b.write(ctx, t.name, t.columns, t.dates, t.rows); err != nil {
			return err
		}
	}
	return nil
}

// bulkTable is the rows of one table a bulk write holds.
type bulkTable struct {
	name    string
	columns []string
	dates   []bool
	rows    [][]any
}
