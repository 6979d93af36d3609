package web

// Supplement requests (komplettering, issue 6 item 5). From the certificate
// page an FK case worker picks the form's questions (answer ids) that lack
// something, writes what is missing and a last answer date; finsam stores
// the request as a KOMPLT message to the care provider that sent the
// certificate. The care provider fetches it with GET /api/v1/messages and
// answers with a new certificate whose relation is KOMPLT, which intake
// matches to the request. A request unanswered after its last answer date
// is late and gets one reminder (PAMINN, supplement_remind.go).
//
// The certificate page (certificate_pages.go) is not built here: it shows
// the form and the requests with the templates "supplement-form" and
// "supplement-status" of templates/supplement_form.html, given the
// supplementView that Server.supplementView builds.
//
// Access: every FK 7804 is addressed to Försäkringskassan, so for now a
// certificate belongs to the FK organisation, and one joined to a case to
// that case's office: the case workers who may read it on its page may ask
// for supplements (policy.WritePerson, decided by loadCertificate as for
// the page); everyone else gets 404, and nothing of the certificate.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
)

// Limits and defaults of a supplement request.
const (
	// supplementAnswerDays is the default last answer date, counted from
	// the day of the request. FK sets sistaDatumForSvar per message
	// (SendMessageToCare; Webcert's ArendeConverter only carries it) and
	// publishes no fixed period that we could find, so two weeks is our
	// choice: long enough for a doctor's appointment, short enough for the
	// benefit decision. The case worker can change it on the form.
	supplementAnswerDays = 14
	// supplementMaxAnswerDays bounds how far ahead the date may be set.
	supplementMaxAnswerDays = 90
	maxSupplementText       = 2000 // characters per question
	maxSupplementMessage    = 4000 // characters of the message
	maxSupplementFormBytes  = 256 << 10
)

// supplementQuestionIDs are the answers of FK 7804 (lisjp) a request may
// ask about, in the order of the form: smittbärarpenning, grund för
// medicinskt underlag, sysselsättning, diagnos, funktionsnedsättning,
// aktivitetsbegränsning, behandling, bedömning, prognos, åtgärder, övrigt.
// Each has the label "supplement.q.<id>".
var supplementQuestionIDs = []string{"27", "1", "28", "29", "6", "35", "17", "19", "20", "32", "37", "33", "34", "39", "40", "44", "25"}

// supplementView is what the certificate page needs to show a certificate's
// supplement requests and the form for a new one. Its T method translates,
// so that the templates can be called with it as dot:
// {{template "supplement-status" .Supplement}} and
// {{template "supplement-form" .Supplement}}.
type supplementView struct {
	Lang          string
	CertificateID int64
	// Action is the address the form posts to.
	Action   string
	Choices  []supplementChoice
	Message  string
	LastDate string // YYYY-MM-DD
	MinDate  string
	MaxDate  string
	Errors   []supplementError
	// Requests are the certificate's supplement requests, newest first.
	Requests []supplementRequest
	// Open counts the requests not yet answered (late ones included).
	Open int
}

// T translates a message id into the view's language.
func (v supplementView) T(id string) string { return translate(v.Lang, id) }

// ErrorFor is the error message of an input (by its id), or "".
func (v supplementView) ErrorFor(inputID string) string {
	for _, e := range v.Errors {
		if e.InputID == inputID {
			return e.Message
		}
	}
	return ""
}

// supplementChoice is one question of the form.
type supplementChoice struct {
	AnswerID string
	Label    string
	Checked  bool
	Text     string
	Error    string
}

// supplementError is one error of a submitted form; InputID is the id of
// the input it concerns, for the summary's link.
type supplementError struct {
	InputID string
	Message string
}

// supplementRequest is one request as the case worker sees it.
type supplementRequest struct {
	ID         int64
	Sent       string
	Questions  []supplementAsked
	Text       string
	LastDate   string
	Status     string // "open", "late" or "answered"
	Answered   string
	AnsweredBy int64 // finsam's id of the certificate that answered
	Fetched    string
	Reminded   string // when the reminder was sent, or ""
}

// supplementAsked is one question of a sent request.
type supplementAsked struct {
	Label, Text string
}

// BadgeClass is the FKUI badge class of the status.
func (r supplementRequest) BadgeClass() string {
	switch r.Status {
	case "answered":
		return "badge--success"
	case "late":
		return "badge--error"
	}
	return "badge--warning"
}

// supplementView builds the supplement part of the certificate page: the
// certificate's requests with their status, and an empty form. The caller
// has authorized the read.
func (s *Server) supplementView(ctx context.Context, certificateID int64, lang string) (supplementView, error) {
	v := newSupplementView(certificateID, lang, s.supplementToday())
	msgs, err := store.CertificateMessages(ctx, s.store, certificateID)
	if err != nil {
		return v, err
	}
	v.Requests, v.Open = supplementRequests(msgs, lang, s.supplementToday())
	return v, nil
}

// supplementToday is the server's date in Sweden, at midnight UTC (as dates are
// stored).
func (s *Server) supplementToday() time.Time { return swedishDate(s.now()) }

func newSupplementView(certificateID int64, lang string, today time.Time) supplementView {
	v := supplementView{Lang: lang, CertificateID: certificateID,
		Action:   fmt.Sprintf("/certificates/%d/supplement", certificateID),
		LastDate: today.AddDate(0, 0, supplementAnswerDays).Format(time.DateOnly),
		MinDate:  today.AddDate(0, 0, 1).Format(time.DateOnly),
		MaxDate:  today.AddDate(0, 0, supplementMaxAnswerDays).Format(time.DateOnly)}
	for _, id := range supplementQuestionIDs {
		v.Choices = append(v.Choices, supplementChoice{AnswerID: id, Label: translate(lang, "supplement.q."+id)})
	}
	return v
}

// supplementRequests turns a certificate's messages into its requests,
// newest first, each with its reminder.
func supplementRequests(msgs []store.Message, lang string, today time.Time) ([]supplementRequest, int) {
	reminded := map[int64]time.Time{}
	for _, m := range msgs {
		if m.Type == store.MessageReminder {
			reminded[m.ReminderOf] = m.CreatedAt
		}
	}
	var out []supplementRequest
	open := 0
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if m.Type != store.MessageSupplement {
			continue
		}
		r := supplementRequest{ID: m.ID, Sent: supplementTime(m.CreatedAt), Text: m.Text,
			LastDate: m.LastAnswerDate.Format(time.DateOnly), Status: "open", AnsweredBy: m.AnsweredByCertificateID}
		for _, q := range m.Questions {
			r.Questions = append(r.Questions, supplementAsked{Label: translate(lang, "supplement.q."+q.AnswerID), Text: q.Text})
		}
		switch {
		case m.Answered():
			r.Status, r.Answered = "answered", supplementTime(m.AnsweredAt)
		case m.Late(today):
			r.Status = "late"
		}
		if r.Status != "answered" {
			open++
		}
		if !m.FetchedAt.IsZero() {
			r.Fetched = supplementTime(m.FetchedAt)
		}
		if at, ok := reminded[m.ID]; ok {
			r.Reminded = supplementTime(at)
		}
		out = append(out, r)
	}
	return out, open
}

func supplementTime(t time.Time) string { return t.In(stockholm).Format("2006-01-02 15:04") }

// supplementCreate stores a supplement request (KOMPLT) about a
// certificate, with its audit entry, and goes back to the certificate page.
// A form with errors is shown again (422) and nothing is written.
func (s *Server) supplementCreate(w http.ResponseWriter, r *http.Request, a *actor) {
	ctx := r.Context()
	rec, fk, _, ok := s.loadCertificate(w, r, a, policy.WritePerson)
	if !ok {
		return
	}
	id := rec.ID
	r.Body = http.MaxBytesReader(w, r.Body, maxSupplementFormBytes)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.fail(w, r, http.StatusRequestEntityTooLarge, "too_large", "")
		} else {
			s.fail(w, r, http.StatusBadRequest, "bad_request", "")
		}
		return
	}
	lang := language(w, r)
	today := s.supplementToday()
	v := newSupplementView(id, lang, today)
	questions, message, last := v.read(r, today)
	if len(v.Errors) > 0 {
		msgs, err := store.CertificateMessages(ctx, s.store, id)
		if err != nil {
			s.unavailable(w, r, "supplement: messages", err)
			return
		}
		v.Requests, v.Open = supplementRequests(msgs, lang, today)
		s.auditRead(r, a, s.supplementEvent(r, a, "read_certificate", rec))
		s.render(w, r, http.StatusUnprocessableEntity, "supplement_form", page{Lang: lang, Title: translate(lang, "supplement.title"), Actor: a, Data: v})
		return
	}
	now := s.now()
	err := s.store.Tx(ctx, func(tx *store.Tx) error {
		mid, err := store.InsertMessage(ctx, tx, store.Message{CertificateID: id, Type: store.MessageSupplement,
			SenderOrgID: fk.ID, RecipientOrgID: rec.SenderOrgID, Questions: questions, Text: message,
			CreatedBy: a.User.ID, CreatedAt: now, LastAnswerDate: last})
		if err != nil {
			return err
		}
		e := s.supplementEvent(r, a, "request_supplement", rec)
		ids := make([]string, len(questions))
		for i, q := range questions {
			ids[i] = q.AnswerID
		}
		e.Purpose = fmt.Sprintf("message=%d questions=%s", mid, strings.Join(ids, ","))
		return store.AppendAudit(ctx, tx, s.audit.Keys(), e)
	})
	if err != nil {
		s.unavailable(w, r, "supplement: create", err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/certificates/%d", id), http.StatusSeeOther)
}

// supplementEvent is an audit event of the actor about a certificate and
// its person.
func (s *Server) supplementEvent(r *http.Request, a *actor, action string, c store.CertificateRecord) audit.Event {
	e := a.Event(r, action, audit.OutcomeOK, "certificate", itoa(c.ID))
	e.PersonKey = s.audit.Keys().PersonKey(personnummer.Number(c.Personnummer))
	return e
}

// read takes the submitted form into the view (so that it can be shown
// again) and checks it: at least one known question, a text for each, a
// message of bounded length, a last answer date after today and at most
// supplementMaxAnswerDays ahead.
func (v *supplementView) read(r *http.Request, today time.Time) ([]store.Question, string, time.Time) {
	add := func(inputID, code string) {
		v.Errors = append(v.Errors, supplementError{InputID: inputID, Message: v.T("supplement.err." + code)})
	}
	chosen := r.PostForm["question"]
	for _, q := range chosen {
		if !slices.Contains(supplementQuestionIDs, q) {
			add("supplement-q-"+supplementQuestionIDs[0], "unknown_question")
			break
		}
	}
	var questions []store.Question
	for i := range v.Choices {
		c := &v.Choices[i]
		c.Checked = slices.Contains(chosen, c.AnswerID)
		c.Text = strings.TrimSpace(r.PostForm.Get("text-" + c.AnswerID))
		if !c.Checked {
			continue
		}
		if code := checkSupplementText(c.Text, true, maxSupplementText); code != "" {
			c.Error = v.T("supplement.err." + code)
			v.Errors = append(v.Errors, supplementError{InputID: "supplement-text-" + c.AnswerID, Message: c.Label + ": " + c.Error})
			continue
		}
		questions = append(questions, store.Question{AnswerID: c.AnswerID, Text: c.Text})
	}
	if len(chosen) == 0 {
		add("supplement-q-"+supplementQuestionIDs[0], "no_question")
	}
	v.Message = strings.TrimSpace(r.PostForm.Get("message"))
	if code := checkSupplementText(v.Message, false, maxSupplementMessage); code != "" {
		add("supplement-message", code)
	}
	v.LastDate = strings.TrimSpace(r.PostForm.Get("last_answer_date"))
	last, err := time.Parse(time.DateOnly, v.LastDate)
	switch {
	case err != nil:
		add("supplement-date", "invalid_date")
	case !last.After(today):
		add("supplement-date", "date_past")
	case last.After(today.AddDate(0, 0, supplementMaxAnswerDays)):
		add("supplement-date", "date_far")
	}
	return questions, v.Message, last
}

// checkSupplementText returns the error code of a text, or "".
func checkSupplementText(v string, required bool, max int) string {
	switch {
	case v == "" && required:
		return "required"
	case !utf8.ValidString(v) || strings.IndexFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0:
		return "invalid_text"
	case utf8.RuneCountInString(v) > max:
		return "too_long"
	}
	return ""
}
