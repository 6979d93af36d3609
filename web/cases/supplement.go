package cases

// Supplement requests (komplettering): from the certificate page an FK
// case worker picks the form's questions (answer ids) that lack something,
// writes what is missing and a last answer date; finsam stores the request
// as a KOMPLT message to the care provider that sent the certificate (see
// package web/internal/supplement, which also draws the form and the
// requests on the certificate page and sends the reminders).
//
// Access: every FK 7804 is addressed to Försäkringskassan, so for now a
// certificate belongs to the FK organisation, and one joined to a case to
// that case's office: the case workers who may read it on its page may ask
// for supplements (policy.WritePerson, decided by
// certview.Load as for the page); everyone else gets 404, and
// nothing of the certificate.

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/supplement"
)

// Supplement is POST /certificates/{id}/supplement: it stores a
// supplement request (KOMPLT) about a certificate, with its audit entry,
// and goes back to the certificate page. A form with errors is shown again
// (422) and nothing is written.
func (s *Handlers) Supplement(w http.ResponseWriter, r *http.Request, a *site.Actor) error {
	ctx := r.Context()
	rec, fk, _, err := certview.Load(s.Site, r, a, policy.WritePerson)
	if err != nil {
		return err
	}
	id := rec.ID
	if err := site.ParseFormMax(w, r, supplement.MaxFormBytes); err != nil {
		return err
	}
	lang := site.Language(w, r)
	today := site.SwedishDate(s.Now())
	v := supplement.NewView(id, certview.ParseFindings(rec.Findings), lang, today)
	questions, message, last := v.Read(r, today)
	if len(v.Errors) > 0 {
		msgs, err := store.CertificateMessages(ctx, s.Store, id)
		if err != nil {
			return site.Unavailable("supplement: messages", err)
		}
		v.Requests, v.Open = supplement.Requests(msgs, lang, today)
		s.AuditRead(r, a, s.certificateEvent(r, a, "read_certificate", rec))
		s.Render(w, r, http.StatusUnprocessableEntity, "supplement_form", site.Page{Lang: lang, Title: v.T("supplement.title"), Actor: a, Data: v})
		return nil
	}
	now := s.Now()
	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		mid, err := store.InsertMessage(ctx, tx, store.Message{CertificateID: id, Type: store.MessageSupplement,
			SenderOrgID: fk.ID, RecipientOrgID: rec.SenderOrgID, Questions: questions, Text: message,
			CreatedBy: a.User.ID, CreatedAt: now, LastAnswerDate: last})
		if err != nil {
			return err
		}
		e := s.certificateEvent(r, a, "request_supplement", rec)
		ids := make([]string, len(questions))
		for i, q := range questions {
			ids[i] = q.AnswerID
		}
		e.Purpose = fmt.Sprintf("message=%d questions=%s", mid, strings.Join(ids, ","))
		return store.AppendAudit(ctx, tx, s.Audit.Keys(), e)
	})
	if err != nil {
		return site.Unavailable("supplement: create", err)
	}
	http.Redirect(w, r, fmt.Sprintf("/certificates/%d", id), http.StatusSeeOther)
	return nil
}

// certificateEvent is an audit event of the actor about a certificate and
// its person.
func (s *Handlers) certificateEvent(r *http.Request, a *site.Actor, action string, c store.CertificateRecord) audit.Event {
	e := a.Event(r, action, audit.OutcomeOK, "certificate", itoa(c.ID))
	e.PersonKey = s.Audit.Keys().PersonKey(personnummer.Number(c.Personnummer))
	return e
}
