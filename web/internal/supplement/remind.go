package supplement

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// reminderAnswerDays is the new last answer date a reminder gives: a week
// from the day it is sent (our choice; FK publishes none).
const reminderAnswerDays = 7

// SendReminders sends one reminder (PAMINN) for every supplement request
// that is unanswered after its last answer date and has none yet, in one
// transaction with an audit entry each, and returns the reminders. It is
// idempotent: run again, it finds nothing to send. `finsam messages remind`
// runs it for every care provider (from cron or a systemd timer, daily);
// GET /api/v1/messages runs it for the fetching organisation first, so a
// care provider never misses a reminder that is due, even without the
// command. now is the caller's clock; "late" is decided by its date in
// Sweden. actor says who sends, for the audit log.
func SendReminders(ctx context.Context, st *store.Store, keys *audit.Keys, actor audit.Event, now time.Time) ([]store.Message, error) {
	var sent []store.Message
	err := st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		sent, err = SendRemindersTo(ctx, tx, keys, actor, now, 0)
		return err
	})
	return sent, err
}

// SendRemindersTo is SendReminders inside tx, for the requests addressed
// to one organisation (0: all).
func SendRemindersTo(ctx context.Context, tx *store.Tx, keys *audit.Keys, actor audit.Event, now time.Time, recipientOrgID int64) ([]store.Message, error) {
	today := site.SwedishDate(now)
	late, err := store.LateSupplements(ctx, tx, today)
	if err != nil {
		return nil, err
	}
	var sent []store.Message
	var events []audit.Event
	for _, m := range late {
		if recipientOrgID != 0 && m.RecipientOrgID != recipientOrgID {
			continue
		}
		p := store.Message{CertificateID: m.CertificateID, Type: store.MessageReminder, SenderOrgID: m.SenderOrgID,
			RecipientOrgID: m.RecipientOrgID, Questions: []store.Question{}, CreatedAt: now,
			Text:           strings.ReplaceAll(translate("sv", "supplement.reminder.text"), "{date}", m.LastAnswerDate.Format(time.DateOnly)),
			LastAnswerDate: today.AddDate(0, 0, reminderAnswerDays), ReminderOf: m.ID,
			CertID: m.CertID, Personnummer: m.Personnummer}
		if p.ID, err = store.InsertMessage(ctx, tx, p); err != nil {
			return nil, err
		}
		e := actor
		e.At, e.Action, e.Outcome = now, "send_reminder", audit.OutcomeOK
		e.ResourceType, e.ResourceID = "certificate", strconv.FormatInt(m.CertificateID, 10)
		e.PersonKey = keys.PersonKey(personnummer.Number(m.Personnummer))
		e.Purpose = "reminder_of=" + strconv.FormatInt(m.ID, 10)
		events = append(events, e)
		sent = append(sent, p)
	}
	return sent, store.AppendAudit(ctx, tx, keys, events...)
}
