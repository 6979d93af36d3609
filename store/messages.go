package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// MessageType is the subject (ämne) of a message between FK and care, as
// in Inera's ärendekommunikation (ArendeAmne).
type MessageType string

// The message types finsam sends.
const (
	// MessageSupplement (KOMPLT) asks the care provider to complete a
	// certificate; it is answered by a new certificate whose relation is
	// KOMPLT.
	MessageSupplement MessageType = "KOMPLT"
	// MessageReminder (PAMINN) reminds of a supplement request that was not
	// answered by its last answer date.
	MessageReminder MessageType = "PAMINN"
)

// Question is one entry of a supplement request (komplettering): the
// form's answer id (frageId: "17" for the activity limitation) and what is
// missing there.
type Question struct {
	AnswerID string `json:"answer_id"`
	Text     string `json:"text"`
}

// Message is a message from FK to the care provider about a certificate.
type Message struct {
	ID             int64
	CertificateID  int64
	Type           MessageType
	SenderOrgID    int64
	RecipientOrgID int64
	Questions      []Question
	Text           string
	CreatedBy      int64 // the user who wrote it; 0 for reminders sent by finsam
	CreatedAt      time.Time
	// LastAnswerDate is the last day to answer (sista datum för svar), a
	// date at midnight UTC.
	LastAnswerDate time.Time
	// ReminderOf is the supplement request a reminder is about.
	ReminderOf              int64
	AnsweredAt              time.Time // zero while unanswered
	AnsweredByCertificateID int64
	FetchedAt               time.Time // zero until the care provider fetched it

	// Read with the message, not stored in it: the issuer's id of the
	// certificate and the person's personnummer (for the audit log).
	CertID       string
	Personnummer string
}

// Answered reports whether a supplement request has been answered.
func (m Message) Answered() bool { return !m.AnsweredAt.IsZero() }

// Late reports whether a supplement request is unanswered after its last
// answer date; today is the date in Sweden.
func (m Message) Late(today time.Time) bool {
	return m.Type == MessageSupplement && !m.Answered() && dateArg(today) > dateArg(m.LastAnswerDate)
}

// InsertMessage stores a message and returns its id.
func InsertMessage(ctx context.Context, tx *Tx, m Message) (int64, error) {
	if m.Questions == nil {
		m.Questions = []Question{}
	}
	qs, err := json.Marshal(m.Questions)
	if err != nil {
		return 0, err
	}
	id, err := tx.InsertID(ctx, `INSERT INTO certificate_messages (certificate_id, type, sender_org_id, recipient_org_id,
		questions, message, created_by, created_at, last_answer_date, reminder_of)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		m.CertificateID, string(m.Type), m.SenderOrgID, m.RecipientOrgID, string(qs), m.Text, nullID(m.CreatedBy),
		m.CreatedAt.UTC(), dateArg(m.LastAnswerDate), nullID(m.ReminderOf))
	if err != nil {
		return 0, fmt.Errorf("insert %s message: %w", m.Type, err)
	}
	return id, nil
}

const messageColumns = `m.id, m.certificate_id, m.type, m.sender_org_id, m.recipient_org_id, m.questions, m.message,
	COALESCE(m.created_by, 0), m.created_at, m.last_answer_date, COALESCE(m.reminder_of, 0), m.answered_at,
	COALESCE(m.answered_by_certificate_id, 0), m.fetched_at, c.cert_id, p.personnummer`

const messageFrom = ` FROM certificate_messages m JOIN certificates c ON c.id = m.certificate_id
	JOIN persons p ON p.id = c.person_id`

func queryMessages(ctx context.Context, q Querier, where string, args ...any) ([]Message, error) {
	return queryList(ctx, q, func(scan func(...any) error) (Message, error) {
		var m Message
		var typ, questions string
		var answered, fetched sql.NullTime
		if err := scan(&m.ID, &m.CertificateID, &typ, &m.SenderOrgID, &m.RecipientOrgID, &questions, &m.Text,
			&m.CreatedBy, &m.CreatedAt, &m.LastAnswerDate, &m.ReminderOf, &answered, &m.AnsweredByCertificateID,
			&fetched, &m.CertID, &m.Personnummer); err != nil {
			return m, err
		}
		m.Type = MessageType(typ)
		if err := json.Unmarshal([]byte(questions), &m.Questions); err != nil {
			return m, fmt.Errorf("message %d: questions: %w", m.ID, err)
		}
		m.CreatedAt = m.CreatedAt.UTC()
		m.LastAnswerDate = m.LastAnswerDate.UTC()
		if answered.Valid {
			m.AnsweredAt = answered.Time.UTC()
		}
		if fetched.Valid {
			m.FetchedAt = fetched.Time.UTC()
		}
		return m, nil
	}, "SELECT "+messageColumns+messageFrom+" "+where, args...)
}

// CertificateMessages lists the messages about a certificate, oldest first.
func CertificateMessages(ctx context.Context, q Querier, certificateID int64) ([]Message, error) {
	return queryMessages(ctx, q, "WHERE m.certificate_id = $1 ORDER BY m.id", certificateID)
}

// maxOpenMessages bounds one fetch of open messages.
const maxOpenMessages = 1000

// OpenMessagesTo lists the open messages addressed to an organisation,
// oldest first: unanswered supplement requests and the reminders of them.
func OpenMessagesTo(ctx context.Context, q Querier, recipientOrgID int64) ([]Message, error) {
	return queryMessages(ctx, q, `LEFT JOIN certificate_messages o ON o.id = m.reminder_of
		WHERE m.recipient_org_id = $1 AND m.answered_at IS NULL AND (m.reminder_of IS NULL OR o.answered_at IS NULL)
		ORDER BY m.id LIMIT $2`, recipientOrgID, maxOpenMessages)
}

// MarkMessagesFetched records when messages were first fetched; messages
// fetched before keep their first time.
func MarkMessagesFetched(ctx context.Context, tx *Tx, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{at.UTC()}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	_, err := tx.Exec(ctx, `UPDATE certificate_messages SET fetched_at = $1
		WHERE fetched_at IS NULL AND id IN (`+strings.Join(marks, ", ")+`)`, args...)
	return err
}

// AnswerSupplements marks the open supplement requests about the
// certificate certID of a sender as answered by the certificate answerID
// (finsam's id), which relates to it as KOMPLT. It returns how many it
// marked; none is not an error (a KOMPLT answer may come without a request
// in finsam, or after the request was answered).
func AnswerSupplements(ctx context.Context, tx *Tx, senderOrgID int64, certID string, answerID int64, at time.Time) (int, error) {
	res, err := tx.Exec(ctx, `UPDATE certificate_messages SET answered_at = $1, answered_by_certificate_id = $2
		WHERE type = 'KOMPLT' AND answered_at IS NULL
		AND certificate_id = (SELECT id FROM certificates WHERE sender_org_id = $3 AND cert_id = $4)`,
		at.UTC(), answerID, senderOrgID, certID)
	if err != nil {
		return 0, fmt.Errorf("answer supplement requests: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// LateSupplements lists the supplement requests that are unanswered after
// their last answer date (before today) and have no reminder yet, oldest
// first.
func LateSupplements(ctx context.Context, q Querier, today time.Time) ([]Message, error) {
	return queryMessages(ctx, q, `WHERE m.type = 'KOMPLT' AND m.answered_at IS NULL AND m.last_answer_date < $1
		AND NOT EXISTS (SELECT 1 FROM certificate_messages r WHERE r.reminder_of = m.id)
		ORDER BY m.id`, dateArg(today))
}
