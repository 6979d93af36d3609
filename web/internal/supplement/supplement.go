// Package supplement is the requests for supplementary information
// (komplettering) about a certificate that Försäkringskassan's case
// workers send its care provider: the form and the list of a
// certificate's requests (the partial templates "supplement-form" and
// "supplement-status", which the certificate page includes, and the page
// "supplement_form" that shows a submitted form with its errors), reading
// and checking the form, and the reminders (PAMINN) of requests left
// unanswered. A request is stored as a KOMPLT message to the care provider
// that sent the certificate; the care provider fetches it with GET
// /api/v1/messages and answers with a new certificate whose relation is
// KOMPLT, which intake matches to the request.
package supplement

import (
	"context"
	"embed"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
)

// Templates holds the page and the partial templates of supplement
// requests.
//
//go:embed templates/*.html
var Templates embed.FS

//go:embed messages/*.json
var messageFS embed.FS

// Messages are the words of supplement requests.
var Messages = site.MustCatalogue(messageFS)

func translate(lang, id string) string { return Messages.T(lang, id) }

// Limits and defaults of a supplement request.
const (
	// answerDays is the default last answer date, counted from
	// the day of the request. FK sets sistaDatumForSvar per message
	// (SendMessageToCare; Webcert's ArendeConverter only carries it) and
	// publishes no fixed period that we could find, so two weeks is our
	// choice: long enough for a doctor's appointment, short enough for the
	// benefit decision. The case worker can change it on the form.
	answerDays = 14
	// maxAnswerDays bounds how far ahead the date may be set.
	maxAnswerDays = 90
	// MaxText bounds the text of one question, in characters.
	MaxText    = 2000
	maxMessage = 4000 // characters of the message
	// MaxFormBytes bounds the body of a submitted form.
	MaxFormBytes = 256 << 10
)

// QuestionIDs are the answers of FK 7804 (lisjp) a request may
// ask about, in the order of the form: smittbärarpenning, grund för
// medicinskt underlag, sysselsättning, diagnos, funktionsnedsättning,
// aktivitetsbegränsning, behandling, bedömning, prognos, åtgärder, övrigt.
// Each has the label "supplement.q.<id>".
var QuestionIDs = []string{"27", "1", "28", "29", "6", "35", "17", "19", "20", "32", "37", "33", "34", "39", "40", "44", "25"}

// View is what the certificate page needs to show a certificate's
// supplement requests and the form for a new one. Its T method translates,
// so that the templates can be called with it as dot:
// {{template "supplement-status" .Supplement}} and
// {{template "supplement-form" .Supplement}}.
type View struct {
	Lang          string
	CertificateID int64
	// Action is the address the form posts to.
	Action   string
	Choices  []Choice
	Message  string
	LastDate string // YYYY-MM-DD
	MinDate  string
	MaxDate  string
	Errors   []Error
	// MessageCount, MessageLeft and MessageOver are the words of the
	// message's counter (see form.Input).
	MessageCount, MessageLeft, MessageOver string
	// Requests are the certificate's supplement requests, newest first.
	Requests []Request
	// Open counts the requests not yet answered (late ones included).
	Open int
}

// T translates a message id into the view's language.
func (v View) T(id string) string { return translate(v.Lang, id) }

// ErrorFor is the error message of an input (by its id), or "".
func (v View) ErrorFor(inputID string) string {
	for _, e := range v.Errors {
		if e.InputID == inputID {
			return e.Message
		}
	}
	return ""
}

// Choice is one question of the form.
type Choice struct {
	AnswerID string
	Label    string
	Checked  bool
	Text     string
	Error    string
	// Found: the quality check found this answer lacking, so the form
	// offers it first, chosen, with the finding as its text.
	Found bool
	// Missing is the words of the text's label, "vad saknas?".
	Missing string
	// Count, Left and Over are the words of the text's counter (see
	// form.Input).
	Count, Left, Over string
}

// Found are the questions the quality check found lacking; More are the
// rest, which the form folds away.
func (v View) Found() []Choice { return v.choices(true) }
func (v View) More() []Choice  { return v.choices(false) }

func (v View) choices(found bool) []Choice {
	var out []Choice
	for _, c := range v.Choices {
		if c.Found == found {
			out = append(out, c)
		}
	}
	return out
}

// FirstID is the id of the form's first checkbox, where the summary's
// "choose a question" leads.
func (v View) FirstID() string { return "supplement-q-" + v.Choices[0].AnswerID }

// MoreOpen tells whether the folded questions are shown: when one of them
// is chosen or wrong, or when the summary's link leads into them.
func (v View) MoreOpen() bool {
	for _, c := range v.More() {
		if c.Checked || c.Error != "" {
			return true
		}
	}
	return len(v.Found()) == 0 && v.ErrorFor(v.FirstID()) != ""
}

// Error is one error of a submitted form; InputID is the id of
// the input it concerns, for the summary's link, and Label names the
// field there.
type Error struct {
	InputID string
	Label   string
	Message string
}

// Request is one request as the case worker sees it.
type Request struct {
	ID         int64
	Sent       string
	Questions  []Asked
	Text       string
	LastDate   string
	Status     string // "open", "late" or "answered"
	Answered   string
	AnsweredBy int64 // finsam's id of the certificate that answered
	Fetched    string
	Reminded   string // when the reminder was sent, or ""
}

// Asked is one question of a sent request.
type Asked struct {
	Label, Text string
}

// BadgeClass is the FKUI badge class of the status.
func (r Request) BadgeClass() string {
	switch r.Status {
	case "answered":
		return "badge--success"
	case "late":
		return "badge--error"
	}
	return "badge--warning"
}

// Load builds the supplement part of the certificate page: the
// certificate's requests with their status, and a form with its quality
// findings chosen, on the day today (in Sweden, at midnight UTC). The
// caller has authorized the read.
func Load(ctx context.Context, q store.Querier, certificateID int64, findings []certificate.Finding, lang string, today time.Time) (View, error) {
	v := NewView(certificateID, findings, lang, today)
	msgs, err := store.CertificateMessages(ctx, q, certificateID)
	if err != nil {
		return v, err
	}
	v.Requests, v.Open = Requests(msgs, lang, today)
	return v, nil
}

// NewView is the form about a certificate on the day today: the questions
// its quality findings concern come first, chosen, with what the findings
// say as their text (the case worker edits or unticks them), and then the
// others, empty.
func NewView(certificateID int64, findings []certificate.Finding, lang string, today time.Time) View {
	v := View{Lang: lang, CertificateID: certificateID,
		Action:   fmt.Sprintf("/certificates/%d/supplement", certificateID),
		LastDate: today.AddDate(0, 0, answerDays).Format(time.DateOnly),
		MinDate:  today.AddDate(0, 0, 1).Format(time.DateOnly),
		MaxDate:  today.AddDate(0, 0, maxAnswerDays).Format(time.DateOnly)}
	v.MessageCount, v.MessageLeft, v.MessageOver = site.TextCounter(lang, maxMessage)
	texts := map[string][]string{}
	for _, f := range findings {
		if !slices.Contains(QuestionIDs, f.AnswerID) {
			continue
		}
		text := f.Message
		if lang == "en" && f.MessageEN != "" {
			text = f.MessageEN
		}
		if f.Code == certificate.FindingFMBExceeded {
			// Its words name the diagnosis: the case worker writes the
			// question themselves.
			text = ""
		}
		texts[f.AnswerID] = append(texts[f.AnswerID], text)
	}
	var more []Choice
	for _, id := range QuestionIDs {
		c := Choice{AnswerID: id, Label: translate(lang, "supplement.q."+id), Missing: translate(lang, "supplement.missing")}
		c.Count, c.Left, c.Over = site.TextCounter(lang, MaxText)
		if t, ok := texts[id]; ok {
			c.Found, c.Checked, c.Text = true, true, strings.TrimSpace(strings.Join(t, " "))
			v.Choices = append(v.Choices, c)
		} else {
			more = append(more, c)
		}
	}
	v.Choices = append(v.Choices, more...)
	return v
}

// Requests turns a certificate's messages into its requests,
// newest first, each with its reminder.
func Requests(msgs []store.Message, lang string, today time.Time) ([]Request, int) {
	reminded := map[int64]time.Time{}
	for _, m := range msgs {
		if m.Type == store.MessageReminder {
			reminded[m.ReminderOf] = m.CreatedAt
		}
	}
	var out []Request
	open := 0
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if m.Type != store.MessageSupplement {
			continue
		}
		r := Request{ID: m.ID, Sent: localTime(m.CreatedAt), Text: m.Text,
			LastDate: m.LastAnswerDate.Format(time.DateOnly), Status: "open", AnsweredBy: m.AnsweredByCertificateID}
		for _, q := range m.Questions {
			r.Questions = append(r.Questions, Asked{Label: translate(lang, "supplement.q."+q.AnswerID), Text: q.Text})
		}
		switch {
		case m.Answered():
			r.Status, r.Answered = "answered", localTime(m.AnsweredAt)
		case m.Late(today):
			r.Status = "late"
		}
		if r.Status != "answered" {
			open++
		}
		if !m.FetchedAt.IsZero() {
			r.Fetched = localTime(m.FetchedAt)
		}
		if at, ok := reminded[m.ID]; ok {
			r.Reminded = localTime(at)
		}
		out = append(out, r)
	}
	return out, open
}

func localTime(t time.Time) string { return t.In(site.Stockholm).Format("2006-01-02 15:04") }

// Read takes the submitted form into the view (so that it can be shown
// again) and checks it: at least one known question, a text for each, a
// message of bounded length, a last answer date after today and at most
// maxAnswerDays ahead. The form's problems are v.Errors.
func (v *View) Read(r *http.Request, today time.Time) ([]store.Question, string, time.Time) {
	labels := map[string]string{v.FirstID(): v.T("supplement.questions"),
		"supplement-message": v.T("supplement.message"), "supplement-date": v.T("supplement.lastdate")}
	add := func(inputID, message string) {
		v.Errors = append(v.Errors, Error{InputID: inputID, Label: labels[inputID], Message: message})
	}
	chosen := r.PostForm["question"]
	for _, q := range chosen {
		if !slices.Contains(QuestionIDs, q) {
			add(v.FirstID(), v.T("supplement.err.unknown_question"))
			break
		}
	}
	var questions []store.Question
	for i := range v.Choices {
		c := &v.Choices[i]
		c.Checked = slices.Contains(chosen, c.AnswerID)
		c.Text = strings.TrimSpace(site.TextareaValue(r.PostForm.Get("text-" + c.AnswerID)))
		if !c.Checked {
			continue
		}
		if c.Error = v.textError(c.Text, true, MaxText); c.Error != "" {
			v.Errors = append(v.Errors, Error{InputID: "supplement-text-" + c.AnswerID, Label: c.Label, Message: c.Error})
			continue
		}
		questions = append(questions, store.Question{AnswerID: c.AnswerID, Text: c.Text})
	}
	if len(chosen) == 0 {
		add(v.FirstID(), v.T("supplement.err.no_question"))
	}
	// The request asks in the certificate's order, whatever the form's.
	slices.SortFunc(questions, func(a, b store.Question) int {
		return slices.Index(QuestionIDs, a.AnswerID) - slices.Index(QuestionIDs, b.AnswerID)
	})
	v.Message = strings.TrimSpace(site.TextareaValue(r.PostForm.Get("message")))
	if msg := v.textError(v.Message, false, maxMessage); msg != "" {
		add("supplement-message", msg)
	}
	v.LastDate = strings.TrimSpace(r.PostForm.Get("last_answer_date"))
	last, err := time.Parse(time.DateOnly, v.LastDate)
	switch {
	case err != nil:
		add("supplement-date", v.T("supplement.err.invalid_date"))
	case !last.After(today):
		add("supplement-date", v.T("supplement.err.date_past"))
	case last.After(today.AddDate(0, 0, maxAnswerDays)):
		add("supplement-date", v.T("supplement.err.date_far"))
	}
	return questions, v.Message, last
}

// textError is what is wrong with a text in words, or "": a text over the
// limit says by how much.
func (v *View) textError(text string, required bool, max int) string {
	switch code := checkText(text, required, max); code {
	case "":
		return ""
	case "too_long":
		return site.TooLong("", text, max).Message(nil, v.Lang, "")
	default:
		return v.T("supplement.err." + code)
	}
}

// checkText returns the error code of a text, or "".
func checkText(v string, required bool, max int) string {
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
