package supplement

import (
	"time"

	"github.com/finsam/finsam/store"
)

// CareMessage is one message from FK to the care provider, as
// GET /api/v1/messages gives it.
type CareMessage struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
	// CertificateID is the issuer's id of the certificate the message is
	// about (what a KOMPLT answer's relation.certificate_id names);
	// FinsamCertificateID is finsam's.
	CertificateID       string           `json:"certificate_id"`
	FinsamCertificateID int64            `json:"finsam_certificate_id"`
	Questions           []store.Question `json:"questions"`
	Text                string           `json:"text"`
	SentAt              time.Time        `json:"sent_at"`
	LastAnswerDate      string           `json:"last_answer_date"`
	ReminderOf          *int64           `json:"reminder_of"`
}

// CareMessages is the answer of GET /api/v1/messages.
type CareMessages struct {
	Messages []CareMessage `json:"messages"`
}

// NewCareMessage is m as the care provider's system gets it: no reminder
// is null, and no questions an empty list.
func NewCareMessage(m store.Message) CareMessage {
	cm := CareMessage{ID: m.ID, Type: string(m.Type), CertificateID: m.CertID, FinsamCertificateID: m.CertificateID,
		Questions: m.Questions, Text: m.Text, SentAt: m.CreatedAt, LastAnswerDate: m.LastAnswerDate.Format(time.DateOnly)}
	if m.ReminderOf != 0 {
		cm.ReminderOf = &m.ReminderOf
	}
	if cm.Questions == nil {
		cm.Questions = []store.Question{}
	}
	return cm
}
