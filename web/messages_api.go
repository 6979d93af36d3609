package web

import (
	"context"
	"net/http"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/supplement"
)

// listMessages gives a care provider's system the open messages addressed
// to its organisation (supplement requests not yet answered, and their
// reminders), oldest first, and records the first fetch of each. Reminders
// that are due are sent first (see SendReminders). Each message handed out
// is audited as a read of the person's data, in the transaction that marks
// it fetched.
func (s *Server) listMessages(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	now := s.now()
	var msgs []store.Message
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		system := audit.Event{ActorName: "finsam", ActorOrg: a.Org.Slug, RemoteAddr: a.RemoteAddr, RequestID: RequestID(ctx)}
		if _, err := supplement.SendRemindersTo(ctx, tx, s.audit.Keys(), system, now, a.Org.ID); err != nil {
			return err
		}
		var err error
		if msgs, err = store.OpenMessagesTo(ctx, tx, a.Org.ID); err != nil {
			return err
		}
		ids := make([]int64, len(msgs))
		events := make([]audit.Event, len(msgs))
		for i, m := range msgs {
			ids[i] = m.ID
			e := a.Event(r, "fetch_message", audit.OutcomeOK, "certificate", itoa(m.CertificateID))
			e.At = now
			e.PersonKey = s.audit.Keys().PersonKey(personnummer.Number(m.Personnummer))
			e.Purpose = "message=" + itoa(m.ID)
			events[i] = e
		}
		if err := store.MarkMessagesFetched(ctx, tx, ids, now); err != nil {
			return err
		}
		return store.AppendAudit(ctx, tx, s.audit.Keys(), events...)
	})
	if err != nil {
		return site.Unavailable("list messages", err)
	}
	out := supplement.CareMessages{Messages: make([]supplement.CareMessage, len(msgs))}
	for i, m := range msgs {
		out.Messages[i] = supplement.NewCareMessage(m)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// supplementPart is the supplement requests' part of a certificate's page
// (see certificates.Supplements).
func (s *Server) supplementPart(ctx context.Context, certificateID int64, findings []certificate.Finding, lang string) (any, error) {
	return supplement.Load(ctx, s.store, certificateID, findings, lang, site.SwedishDate(s.now()))
}
