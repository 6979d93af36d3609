package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/civil"
)

const participantColumns = `id, association_id, insats_id, COALESCE(person_id, 0), protected_identity,
	consent_by, consent_by_name, consent_on, consent_covers, consent_document,
	sex, age_group, start_on, end_on, status, end_reason, referral, version`

func scanParticipant(scan func(...any) error) (association.Participant, error) {
	var p association.Participant
	var consentBy *int64
	var consentOn civil.Date
	var byName, covers, doc, status string
	err := scan(&p.ID, &p.AssociationID, &p.InsatsID, &p.PersonID, &p.ProtectedIdentity,
		&consentBy, &byName, assocDateDest(&consentOn), &covers, &doc,
		&p.Sex, &p.AgeGroup, assocDateDest(&p.Start), assocDateDest(&p.End), &status, &p.EndReason, &p.Referral, &p.Version)
	p.Status = association.ParticipantStatus(status)
	if !consentOn.IsZero() {
		p.Consent = &association.Consent{RecordedByName: byName, On: consentOn, Covers: covers, DocumentRef: doc}
		if consentBy != nil {
			p.Consent.RecordedBy = *consentBy
		}
	}
	return p, err
}

// assocCheckRegistration checks what needs the database: the insats is the
// association's and follows its participants individually, and the person
// has no other registration in it that shares a day with this one (a person
// registered twice in the same insats at the same time). Run inside the
// writing transaction: on PostgreSQL its SERIALIZABLE isolation makes two
// concurrent registrations of one person conflict (one is retried and then
// sees the other), on SQLite the single writer does.
func assocCheckRegistration(ctx context.Context, tx *Tx, p *association.Participant) error {
	var followUp string
	err := tx.QueryRow(ctx, "SELECT follow_up FROM insatser WHERE id = $1 AND association_id = $2", p.InsatsID, p.AssociationID).Scan(&followUp)
	if errors.Is(err, ErrNotFound) {
		return association.Errors{{Code: association.CodeWrongInsats, Field: "insats",
			Message: "no such insats in the association", MessageSV: "ingen sådan insats i förbundet"}}
	}
	if err != nil {
		return err
	}
	if followUp != string(association.FollowUpIndividual) {
		return association.Errors{{Code: association.CodeCountsOnly, Field: "insats",
			Message:   "the insats records counts only; participants are not registered individually",
			MessageSV: "insatsen följs upp med endast antal; deltagare registreras inte var för sig"}}
	}
	if p.PersonID == 0 {
		return nil // anonymous registrations cannot be matched to each other
	}
	rows, err := tx.Query(ctx, "SELECT id, start_on, end_on FROM participants WHERE insats_id = $1 AND person_id = $2 AND id <> $3",
		p.InsatsID, p.PersonID, p.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var start, end civil.Date
		if err := rows.Scan(&id, assocDateDest(&start), assocDateDest(&end)); err != nil {
			return err
		}
		if association.Overlaps(p.Start, p.End, start, end) {
			return assocOverlapError(id)
		}
	}
	return rows.Err()
}

// assocOverlapError is the refusal of a second registration of a person in
// an insats for days they are already registered. id is the registration
// it overlaps, 0 when unknown: on PostgreSQL a registration committed
// concurrently with the same start trips the UNIQUE constraint before the
// check above can see it.
func assocOverlapError(id int64) error {
	en, sv := "the person is already registered in the insats for part of this period", "personen är redan registrerad i insatsen under en del av perioden"
	if id != 0 {
		en += " (registration " + strconv.FormatInt(id, 10) + ")"
		sv += " (registrering " + strconv.FormatInt(id, 10) + ")"
	}
	return association.Errors{{Code: association.CodeOverlap, Field: "start", Message: en, MessageSV: sv}}
}

// participantArgs are the arguments of the INSERT and the UPDATE of a
// registration: the two that pick the row ($1, $2), the registration's
// columns from person_id to referral ($3–$16) and the time ($17).
func participantArgs(first, second any, p association.Participant, now time.Time) []any {
	c := p.Consent
	if c == nil {
		c = &association.Consent{}
	}
	return []any{first, second, nullID(p.PersonID), p.ProtectedIdentity,
		nullID(c.RecordedBy), c.RecordedByName, assocDate(c.On), c.Covers, c.DocumentRef,
		p.Sex, p.AgeGroup, assocDate(p.Start), assocDate(p.End), string(p.Status), p.EndReason, p.Referral, now.UTC()}
}

// participantWriteError is the error of a registration's INSERT or UPDATE:
// a conflict with the UNIQUE constraint is the overlap refusal.
func participantWriteError(what string, err error) error {
	if errors.Is(err, ErrConflict) {
		return assocOverlapError(0)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// RegisterParticipant validates and stores a registration with its
// measurements, all or nothing in the caller's transaction (which should
// also append the audit event when it concerns a person), and returns it
// with its id and version. today is the date of the registration.
func RegisterParticipant(ctx context.Context, tx *Tx, p association.Participant, cl *association.CodeLists, today civil.Date, now time.Time) (association.Participant, error) {
	if err := p.Validate(cl, today); err != nil {
		return p, err
	}
	if err := assocCheckRegistration(ctx, tx, &p); err != nil {
		return p, err
	}
	id, err := tx.InsertID(ctx, `INSERT INTO participants (association_id, insats_id, person_id, protected_identity,
		consent_by, consent_by_name, consent_on, consent_covers, consent_document,
		sex, age_group, start_on, end_on, status, end_reason, referral, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $17) RETURNING id`,
		participantArgs(p.AssociationID, p.InsatsID, p, now)...)
	if err != nil {
		return p, participantWriteError("register participant", err)
	}
	p.ID, p.Version = id, 1
	return p, assocWriteMeasurements(ctx, tx, p)
}

// UpdateParticipant saves an edited registration (registering in, out,
// follow-ups, corrections), replacing its measurements, if p.Version is
// still the stored one: ErrStale otherwise, ErrNotFound when the
// association has no such registration. The insats cannot change.
func UpdateParticipant(ctx context.Context, tx *Tx, p association.Participant, cl *association.CodeLists, today civil.Date, now time.Time) (association.Participant, error) {
	if err := p.Validate(cl, today); err != nil {
		return p, err
	}
	var insatsID int64
	var version int
	err := tx.QueryRow(ctx, "SELECT insats_id, version FROM participants WHERE id = $1 AND association_id = $2", p.ID, p.AssociationID).Scan(&insatsID, &version)
	if err != nil {
		return p, err
	}
	if version != p.Version {
		return p, ErrStale
	}
	p.InsatsID = insatsID
	if err := assocCheckRegistration(ctx, tx, &p); err != nil {
		return p, err
	}
	_, err = tx.Exec(ctx, `UPDATE participants SET person_id = $3, protected_identity = $4,
		consent_by = $5, consent_by_name = $6, consent_on = $7, consent_covers = $8, consent_document = $9,
		sex = $10, age_group = $11, start_on = $12, end_on = $13, status = $14, end_reason = $15, referral = $16,
		version = version + 1, updated_at = $17
		WHERE id = $1 AND version = $2`,
		participantArgs(p.ID, p.Version, p, now)...)
	if err != nil {
		return p, participantWriteError("update participant", err)
	}
	p.Version++
	if _, err := tx.Exec(ctx, "DELETE FROM participant_incomes WHERE participant_id = $1", p.ID); err != nil {
		return p, err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM participant_measures WHERE participant_id = $1", p.ID); err != nil {
		return p, err
	}
	return p, assocWriteMeasurements(ctx, tx, p)
}

func assocWriteMeasurements(ctx context.Context, tx *Tx, p association.Participant) error {
	// The public catalogue shows results per insats.
	if err := BumpSiteContent(ctx, tx, p.AssociationID); err != nil {
		return err
	}
	for _, m := range p.Measurements {
		if _, err := tx.Exec(ctx, `INSERT INTO participant_measures (participant_id, phase, measured_on, occupation, education, not_reached)
			VALUES ($1, $2, $3, $4, $5, $6)`, p.ID, string(m.Phase), assocDate(m.On), m.Occupation, m.Education, m.NotReached); err != nil {
			return fmt.Errorf("measurement %s: %w", m.Phase, err)
		}
		for _, s := range m.IncomeSources {
			if _, err := tx.Exec(ctx, `INSERT INTO participant_incomes (participant_id, phase, source, extent) VALUES ($1, $2, $3, $4)`,
				p.ID, string(m.Phase), s.Source, s.Extent); err != nil {
				return fmt.Errorf("income source %s at %s: %w", s.Source, m.Phase, err)
			}
		}
	}
	return nil
}

// ParticipantByID reads one registration of the association with its
// measurements; ErrNotFound when it has none with the id.
func ParticipantByID(ctx context.Context, q Querier, associationID, id int64) (association.Participant, error) {
	p, err := scanParticipant(q.QueryRow(ctx, "SELECT "+participantColumns+" FROM participants WHERE id = $1 AND association_id = $2", id, associationID).Scan)
	if err != nil {
		return p, err
	}
	rows, err := q.Query(ctx, `SELECT m.phase, m.measured_on, m.occupation, m.education, m.not_reached, COALESCE(i.source, ''), COALESCE(i.extent, 0)
		FROM participant_measures m LEFT JOIN participant_incomes i ON i.participant_id = m.participant_id AND i.phase = m.phase
		WHERE m.participant_id = $1
		ORDER BY CASE m.phase WHEN 'start' THEN 1 WHEN 'end' THEN 2 WHEN '6m' THEN 3 ELSE 4 END, i.source`, id)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var m association.Measurement
		var phase, source string
		var extent int
		if err := rows.Scan(&phase, assocDateDest(&m.On), &m.Occupation, &m.Education, &m.NotReached, &source, &extent); err != nil {
			return p, err
		}
		m.Phase = association.Phase(phase)
		if n := len(p.Measurements); n == 0 || p.Measurements[n-1].Phase != m.Phase {
			p.Measurements = append(p.Measurements, m)
		}
		if source != "" {
			last := &p.Measurements[len(p.Measurements)-1]
			last.IncomeSources = append(last.IncomeSources, association.IncomeShare{Source: source, Extent: extent})
		}
	}
	return p, rows.Err()
}

// ParticipantQuery selects registrations for a list, in id order with a
// keyset cursor: pass the last id of a page as AfterID for the next.
type ParticipantQuery struct {
	AssociationID int64 // required
	InsatsID      int64 // 0: all of the association's insatser
	Status        association.ParticipantStatus
	// StartedIn and EndedIn (years, 0 for any) keep the registrations
	// that started, or ended, within the year, as KeyFigures counts them.
	StartedIn, EndedIn int
	AfterID            int64
	Limit              int // at most 1000; 0 means 100
}

// Participants lists registrations without their measurements.
func Participants(ctx context.Context, q Querier, f ParticipantQuery) ([]association.Participant, error) {
	where := []string{"association_id = $1", "id > $2"}
	args := []any{f.AssociationID, f.AfterID}
	if f.InsatsID != 0 {
		args = append(args, f.InsatsID)
		where = append(where, "insats_id = $"+strconv.Itoa(len(args)))
	}
	if f.Status != "" {
		args = append(args, string(f.Status))
		where = append(where, "status = $"+strconv.Itoa(len(args)))
	}
	if f.StartedIn != 0 {
		where, args = participantYearFilter(where, args, "start_on", f.StartedIn)
	}
	if f.EndedIn != 0 {
		where, args = participantYearFilter(where, args, "end_on", f.EndedIn)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	return queryList(ctx, q, scanParticipant, "SELECT "+participantColumns+" FROM participants WHERE "+strings.Join(where, " AND ")+
		" ORDER BY id LIMIT "+strconv.Itoa(limit), args...)
}

// associationCodesKey is the setting that holds an association's own
// version of a code list, as the JSON it uploaded.
func associationCodesKey(associationID int64, list string) string {
	return "association_codes:" + strconv.FormatInt(associationID, 10) + ":" + list
}

// AssociationCodeLists is the code lists an association uses: finsam's
// defaults with the association's own lists in their place. own names the
// lists that are the association's.
func AssociationCodeLists(ctx context.Context, q Querier, associationID int64) (cl *association.CodeLists, own map[string]bool, err error) {
	cl, err = association.DefaultCodeLists()
	if err != nil {
		return nil, nil, err
	}
	own = map[string]bool{}
	for _, name := range association.ListNames() {
		v, err := Setting(ctx, q, associationCodesKey(associationID, name))
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		l, err := association.ParseCodeList([]byte(v))
		if err != nil {
			return nil, nil, fmt.Errorf("association %d code list %s: %w", associationID, name, err)
		}
		cl, own[name] = cl.With(l), true
	}
	return cl, own, nil
}

// codesInUseQuery is, per list, the codes an association's registrations
// use.
var codesInUseQuery = map[string]string{
	association.ListSex:       "SELECT DISTINCT sex FROM participants WHERE association_id = $1",
	association.ListAgeGroup:  "SELECT DISTINCT age_group FROM participants WHERE association_id = $1",
	association.ListEndReason: "SELECT DISTINCT end_reason FROM participants WHERE association_id = $1 AND end_reason <> ''",
	association.ListOccupation: `SELECT DISTINCT m.occupation FROM participant_measures m JOIN participants p ON p.id = m.participant_id
		WHERE p.association_id = $1 AND m.occupation <> ''`,
	association.ListEducation: `SELECT DISTINCT m.education FROM participant_measures m JOIN participants p ON p.id = m.participant_id
		WHERE p.association_id = $1 AND m.education <> ''`,
	association.ListIncomeSource: `SELECT DISTINCT i.source FROM participant_incomes i JOIN participants p ON p.id = i.participant_id
		WHERE p.association_id = $1`,
}

// SaveAssociationCodeList replaces one code list for the association with
// the uploaded JSON (the format of association/codes/*.json), after
// checking it (association.ParseCodeList) and that it keeps every code the
// association's registrations use: registrations keep their codes, so a
// list that drops one is refused with the codes named (CodeInUse). A list
// that does not parse is refused with CodeUnknownCode on field "file".
func SaveAssociationCodeList(ctx context.Context, tx *Tx, associationID int64, data []byte) (*association.CodeList, error) {
	l, err := association.ParseCodeList(data)
	if err != nil {
		return nil, association.Errors{{Code: association.CodeUnknownCode, Field: "file", Message: err.Error(),
			MessageSV: "listan kunde inte läsas: " + err.Error()}}
	}
	used, err := queryRows(ctx, tx, func(c *string) []any { return []any{c} }, codesInUseQuery[l.Name], associationID)
	if err != nil {
		return nil, err
	}
	if missing := l.Missing(used); len(missing) > 0 {
		codes := strings.Join(missing, ", ")
		return nil, association.Errors{{Code: association.CodeInUse, Field: "file",
			Message:   "the list drops codes that registrations use: " + codes,
			MessageSV: "listan saknar koder som registreringar använder: " + codes}}
	}
	return l, SetSetting(ctx, tx, associationCodesKey(associationID, l.Name), string(data))
}

// DeletePendingParticipant removes a pending registration that the staff
// declined (a referral that never started), if version is still the stored
// one: ErrStale otherwise, ErrNotFound when the association has no such
// registration, ErrConflict when it is not pending.
func DeletePendingParticipant(ctx context.Context, tx *Tx, associationID, id int64, version int) error {
	var status string
	var v int
	if err := tx.QueryRow(ctx, "SELECT status, version FROM participants WHERE id = $1 AND association_id = $2", id, associationID).Scan(&status, &v); err != nil {
		return err
	}
	if v != version {
		return ErrStale
	}
	if status != string(association.Pending) {
		return ErrConflict
	}
	_, err := tx.Exec(ctx, "DELETE FROM participants WHERE id = $1 AND association_id = $2", id, associationID)
	return err
}

// ParticipantCounts counts an association's registrations per insats and
// status, in one query (for lists of insatser).
func ParticipantCounts(ctx context.Context, q Querier, associationID int64) (map[int64]map[association.ParticipantStatus]int, error) {
	rows, err := q.Query(ctx, "SELECT insats_id, status, count(*) FROM participants WHERE association_id = $1 GROUP BY insats_id, status", associationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[association.ParticipantStatus]int{}
	for rows.Next() {
		var id int64
		var status string
		var n int
		if err := rows.Scan(&id, &status, &n); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[association.ParticipantStatus]int{}
		}
		out[id][association.ParticipantStatus(status)] = n
	}
	return out, rows.Err()
}
