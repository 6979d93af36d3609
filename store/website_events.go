package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/finsam/finsam/website"
)

const eventColumns = "id, title, description, speaker, starts_at, ends_at, place, online, capacity"

func scanEvent(scan func(...any) error) (website.Event, error) {
	var e website.Event
	err := scanUTC(scan, &e.ID, &e.Title, &e.Description, &e.Speaker, &e.Starts, &e.Ends, &e.Place, &e.Online, &e.Capacity)
	return e, err
}

// SaveEvent validates and writes an event: new when its ID is 0.
func SaveEvent(ctx context.Context, tx *Tx, associationID int64, e website.Event, now time.Time) (website.Event, error) {
	if err := e.Validate(); err != nil {
		return e, err
	}
	if err := BumpSiteContent(ctx, tx, associationID); err != nil {
		return e, err
	}
	if e.ID == 0 {
		id, err := tx.InsertID(ctx, `INSERT INTO site_events (association_id, title, description, speaker, starts_at, ends_at, place, online, capacity, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
			associationID, e.Title, e.Description, e.Speaker, e.Starts.UTC(), e.Ends.UTC(), e.Place, e.Online, e.Capacity, now.UTC())
		e.ID = id
		return e, err
	}
	return e, mustAffect(tx.Exec(ctx, `UPDATE site_events SET title = $3, description = $4, speaker = $5, starts_at = $6, ends_at = $7,
		place = $8, online = $9, capacity = $10, updated_at = $11 WHERE id = $1 AND association_id = $2`,
		e.ID, associationID, e.Title, e.Description, e.Speaker, e.Starts.UTC(), e.Ends.UTC(), e.Place, e.Online, e.Capacity, now.UTC()))
}

// EventByID reads one of the association's events.
func EventByID(ctx context.Context, q Querier, associationID, id int64) (website.Event, error) {
	return scanEvent(q.QueryRow(ctx, "SELECT "+eventColumns+" FROM site_events WHERE id = $1 AND association_id = $2", id, associationID).Scan)
}

// Events lists the association's events that end after from (zero: all),
// soonest first.
func Events(ctx context.Context, q Querier, associationID int64, from time.Time, limit int) ([]website.Event, error) {
	query := "SELECT " + eventColumns + " FROM site_events WHERE association_id = $1 AND ends_at > $2 ORDER BY starts_at, id"
	if limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", limit)
	}
	return queryList(ctx, q, scanEvent, query, associationID, from.UTC())
}

// EventSeats counts an event's sign-ups: confirmed on site and on the
// waiting list.
func EventSeats(ctx context.Context, q Querier, eventID int64) (confirmedOnSite, waiting int, err error) {
	err = q.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN status = 'confirmed' AND attendance = 'site' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'waiting' THEN 1 ELSE 0 END), 0) FROM site_signups WHERE event_id = $1`, eventID).Scan(&confirmedOnSite, &waiting)
	return confirmedOnSite, waiting, err
}

// AddSignup validates and records a sign-up to one of the association's
// events, confirmed while there are seats and on the waiting list after,
// and returns it with its id and status. A second sign-up with the same
// address answers the field problem already_signed_up.
func AddSignup(ctx context.Context, tx *Tx, associationID int64, s website.Signup, tokenHash string, now time.Time) (website.Signup, error) {
	e, err := EventByID(ctx, tx, associationID, s.EventID)
	if err != nil {
		return s, err
	}
	area, err := SiteArea(ctx, tx, associationID)
	if err != nil {
		return s, err
	}
	if err := s.Validate(e, area, now); err != nil {
		return s, err
	}
	var dup int
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM site_signups WHERE event_id = $1 AND email = $2", s.EventID, s.Email).Scan(&dup); err != nil {
		return s, err
	}
	if dup > 0 {
		return s, website.Problems{{Field: "email", Code: website.CodeAlreadySigned}}
	}
	if err := BumpSiteContent(ctx, tx, associationID); err != nil { // the seats left change
		return s, err
	}
	confirmed, _, err := EventSeats(ctx, tx, s.EventID)
	if err != nil {
		return s, err
	}
	s.Status, s.Created = website.Place(e, s.Attendance, confirmed), now.UTC()
	s.ID, err = tx.InsertID(ctx, `INSERT INTO site_signups (event_id, association_id, name, email, organisation, role, municipality_code,
		attendance, food, access_needs, status, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		s.EventID, associationID, s.Name, s.Email, s.Organisation, s.Role, s.MunicipalityCode, string(s.Attendance), s.Food, s.AccessNeeds,
		string(s.Status), tokenHash, s.Created)
	if errors.Is(err, ErrConflict) {
		return s, website.Problems{{Field: "email", Code: website.CodeAlreadySigned}}
	}
	return s, err
}

const signupColumns = "id, event_id, name, email, organisation, role, municipality_code, attendance, food, access_needs, status, created_at"

func scanSignup(scan func(...any) error) (website.Signup, error) {
	var s website.Signup
	var att, st string
	err := scan(&s.ID, &s.EventID, &s.Name, &s.Email, &s.Organisation, &s.Role, &s.MunicipalityCode, &att, &s.Food, &s.AccessNeeds, &st, &s.Created)
	s.Attendance, s.Status = website.Attendance(att), website.SignupStatus(st)
	return s, err
}

// SignupByToken reads the sign-up a cancellation link points to.
func SignupByToken(ctx context.Context, q Querier, associationID int64, tokenHash string) (website.Signup, error) {
	return scanSignup(q.QueryRow(ctx, "SELECT "+signupColumns+" FROM site_signups WHERE token_hash = $1 AND association_id = $2", tokenHash, associationID).Scan)
}

// CancelSignup cancels the sign-up of the token; when it held a seat, the
// first on the waiting list who comes on site gets it and is returned
// (nil when none).
func CancelSignup(ctx context.Context, tx *Tx, associationID int64, tokenHash string) (cancelled website.Signup, promoted *website.Signup, err error) {
	s, err := SignupByToken(ctx, tx, associationID, tokenHash)
	if err != nil {
		return s, nil, err
	}
	if s.Status == website.Cancelled {
		return s, nil, nil
	}
	if err := BumpSiteContent(ctx, tx, associationID); err != nil {
		return s, nil, err
	}
	if _, err := tx.Exec(ctx, "UPDATE site_signups SET status = 'cancelled' WHERE id = $1", s.ID); err != nil {
		return s, nil, err
	}
	held := s.Status == website.Confirmed && s.Attendance == website.OnSite
	s.Status = website.Cancelled
	if !held {
		return s, nil, nil
	}
	next, err := scanSignup(tx.QueryRow(ctx, "SELECT "+signupColumns+` FROM site_signups WHERE event_id = $1 AND status = 'waiting'
		ORDER BY created_at, id LIMIT 1`, s.EventID).Scan)
	if errors.Is(err, ErrNotFound) {
		return s, nil, nil
	}
	if err != nil {
		return s, nil, err
	}
	if _, err := tx.Exec(ctx, "UPDATE site_signups SET status = 'confirmed' WHERE id = $1", next.ID); err != nil {
		return s, nil, err
	}
	next.Status = website.Confirmed
	return s, &next, nil
}

// Signups lists an event's sign-ups for its organisers, in the order they
// came.
func Signups(ctx context.Context, q Querier, associationID, eventID int64) ([]website.Signup, error) {
	return queryList(ctx, q, scanSignup, "SELECT "+signupColumns+" FROM site_signups WHERE event_id = $1 AND association_id = $2 ORDER BY created_at, id",
		eventID, associationID)
}

// PurgeSignups deletes the sign-ups of every association's events that
// ended more than its retention days before now, and returns how many.
func PurgeSignups(ctx context.Context, tx *Tx, now time.Time) (int64, error) {
	ids, err := queryRows(ctx, tx, func(id *int64) []any { return []any{id} }, "SELECT DISTINCT association_id FROM site_signups")
	if err != nil {
		return 0, err
	}
	var n int64
	for _, id := range ids {
		set, err := SiteSettings(ctx, tx, id)
		if err != nil {
			return n, err
		}
		res, err := tx.Exec(ctx, `DELETE FROM site_signups WHERE association_id = $1 AND event_id IN
			(SELECT id FROM site_events WHERE association_id = $1 AND ends_at < $2)`, id, website.PurgeBefore(now, set.RetentionDays).UTC())
		if err != nil {
			return n, err
		}
		k, _ := res.RowsAffected()
		n += k
	}
	return n, nil
}

// Mail is a message in the outbox.
type Mail struct {
	ID            int64
	AssociationID int64
	To, Subject   string
	Body          string
	Attempts      int
}

// EnqueueMail puts a message in the outbox, in the transaction that
// records what it tells about, so that it goes if and only if that is
// committed.
func EnqueueMail(ctx context.Context, tx *Tx, associationID int64, to, subject, body string, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO site_outbox (association_id, to_addr, subject, body, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)`,
		associationID, to, subject, body, now.UTC())
	return err
}

// DueMail lists unsent messages whose time has come, oldest first.
func DueMail(ctx context.Context, q Querier, now time.Time, limit int) ([]Mail, error) {
	return queryRows(ctx, q, func(m *Mail) []any { return []any{&m.ID, &m.AssociationID, &m.To, &m.Subject, &m.Body, &m.Attempts} },
		fmt.Sprintf(`SELECT id, association_id, to_addr, subject, body, attempts FROM site_outbox
		WHERE sent_at IS NULL AND NOT failed AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT %d`, limit), now.UTC())
}

// MailSent marks a message sent.
func MailSent(ctx context.Context, tx *Tx, id int64, now time.Time) error {
	return mustAffect(tx.Exec(ctx, "UPDATE site_outbox SET sent_at = $2, attempts = attempts + 1, last_error = '' WHERE id = $1", id, now.UTC()))
}

// MailFailed records a failed attempt: tried again at next, or given up
// when final.
func MailFailed(ctx context.Context, tx *Tx, id int64, reason string, next time.Time, final bool) error {
	if len(reason) > 500 {
		reason = reason[:500]
	}
	return mustAffect(tx.Exec(ctx, "UPDATE site_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, failed = $4 WHERE id = $1",
		id, reason, next.UTC(), final))
}

// MailStatus is the outbox of an association at a glance.
type MailStatus struct {
	Queued, Sent, Failed int
}

// OutboxStatus counts an association's messages.
func OutboxStatus(ctx context.Context, q Querier, associationID int64) (MailStatus, error) {
	var m MailStatus
	err := q.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN sent_at IS NULL AND NOT failed THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN failed THEN 1 ELSE 0 END), 0)
		FROM site_outbox WHERE association_id = $1`, associationID).Scan(&m.Queued, &m.Sent, &m.Failed)
	return m, err
}
