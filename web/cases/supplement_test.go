package cases_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/certview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/supplement"
	"github.com/finsam/finsam/web/internal/webtest"
)

// supplementTokens are care-provider tokens: Region Gotland's, which reads
// and writes, one of it that only writes, and another care provider's.
type supplementTokens struct{ region, writeOnly, other string }

// supplementSetup is the demo server (clock at 2026-11-23 09:00 UTC) with
// the tokens and the original certificate received from Region Gotland.
func supplementSetup(t *testing.T, st *store.Store) (*webtest.Server, supplementTokens, int64) {
	t.Helper()
	s := webtest.Demo(t, st)
	ctx := context.Background()
	tok := supplementTokens{account.NewSecret(account.TokenPrefix), account.NewSecret(account.TokenPrefix), account.NewSecret(account.TokenPrefix)}
	err := st.Tx(ctx, func(tx *store.Tx) error {
		region, _ := store.OrganisationBySlug(ctx, tx, "region-gotland")
		other, _ := store.OrganisationBySlug(ctx, tx, "vardcentral-visby-demo")
		for _, c := range []struct {
			org    int64
			secret string
			scopes []account.Scope
		}{{region.ID, tok.region, []account.Scope{account.ScopeCertificatesWrite, account.ScopeCertificatesRead}},
			{region.ID, tok.writeOnly, []account.Scope{account.ScopeCertificatesWrite}},
			{other.ID, tok.other, []account.Scope{account.ScopeCertificatesWrite, account.ScopeCertificatesRead}}} {
			if _, err := store.CreateToken(ctx, tx, store.Token{OrgID: c.org, Name: "t", Scopes: c.scopes}, c.secret); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	original, _, _ := webtest.SupplementPair(t)
	rec := postCertificate(s, tok.region, original)
	if rec.Code != http.StatusCreated {
		t.Fatalf("original certificate: %d %s", rec.Code, rec.Body)
	}
	var receipt struct{ ID int64 }
	json.Unmarshal(rec.Body.Bytes(), &receipt)
	return s, tok, receipt.ID
}

// postCertificate sends a certificate with a care provider's token.
func postCertificate(s *webtest.Server, token string, body []byte) *httptest.ResponseRecorder {
	return s.Do("POST", "/api/v1/certificates", strings.NewReader(string(body)), "Authorization", "Bearer "+token,
		"Content-Type", "application/json")
}

// fetchMessages is GET /api/v1/messages with a token.
func fetchMessages(t *testing.T, s *webtest.Server, token string) (int, []supplement.CareMessage) {
	t.Helper()
	rec := s.Do("GET", "/api/v1/messages", nil, "Authorization", "Bearer "+token)
	var body supplement.CareMessages
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Messages == nil {
			t.Fatalf("messages body %s: %v", rec.Body, err)
		}
	}
	return rec.Code, body.Messages
}

// supplementView is the supplement part of the certificate page as it
// stands now.
func supplementView(ctx context.Context, s *webtest.Server, certID int64, lang string) (supplement.View, error) {
	rec, err := store.CertificateByID(ctx, s.Store, certID)
	if err != nil {
		return supplement.View{}, err
	}
	return supplement.Load(ctx, s.Store, certID, certview.ParseFindings(rec.Findings), lang, site.SwedishDate(s.Clock.Now()))
}

func validSupplementForm() url.Values {
	return url.Values{"question": {"17", "35"}, "text-17": {"Beskriv vilka aktiviteter patienten inte klarar."},
		"text-35": {"Beskriv funktionsnedsättningen med undersökningsfynd."}, "message": {"Tack på förhand."},
		"last_answer_date": {"2026-12-07"}}
}

func TestSupplementRequestFormRefusesBadInput(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, _, certID := supplementSetup(t, st)
	b := s.Client(t)
	b.Login("handlaggare", "demo")
	target := "/certificates/" + itoa(certID) + "/supplement"
	with := func(change func(url.Values)) url.Values {
		f := validSupplementForm()
		change(f)
		return f
	}
	tests := []struct {
		name string
		form url.Values
		want string // in the page
	}{
		{"no question", with(func(f url.Values) { f.Del("question") }), "Välj minst en del av intyget som ska kompletteras."},
		{"a question without text", with(func(f url.Values) { f.Set("text-35", "  ") }), "Funktionsnedsättning: Skriv vad som saknas."},
		{"an unknown question", with(func(f url.Values) { f.Add("question", "99") }), "Välj delar av intyget i listan."},
		{"a text too long", with(func(f url.Values) { f.Set("text-17", strings.Repeat("å", supplement.MaxText+3)) }),
			`<a href="#supplement-text-17">Aktivitetsbegränsning: Texten är 3 tecken för lång (högst 2000).</a>`},
		{"a message too long", with(func(f url.Values) { f.Set("message", strings.Repeat("ö", 4001)) }),
			`<a href="#supplement-message">Meddelande till vårdgivaren (frivilligt): Texten är 1 tecken för lång (högst 4000).</a>`},
		{"no date, line breaks counted once", with(func(f url.Values) { f.Set("message", strings.Repeat("ö\r\n", 2000)); f.Del("last_answer_date") }),
			`<ul class="error-list__list">
      <li class="error-list__link"><a href="#supplement-date">Sista datum för svar: Skriv datumet som ÅÅÅÅ-MM-DD.</a></li>
    </ul>`},
		{"a control character", with(func(f url.Values) { f.Set("message", "a\x00b") }), "Texten innehåller otillåtna tecken."},
		{"no date", with(func(f url.Values) { f.Del("last_answer_date") }), "Skriv datumet som ÅÅÅÅ-MM-DD."},
		{"a date that is not one", with(func(f url.Values) { f.Set("last_answer_date", "2026-02-30") }), "Skriv datumet som ÅÅÅÅ-MM-DD."},
		{"today", with(func(f url.Values) { f.Set("last_answer_date", "2026-11-23") }), "måste vara efter i dag"},
		{"too far ahead", with(func(f url.Values) { f.Set("last_answer_date", "2027-03-01") }), "högst 90 dagar fram"},
	}
	for _, tc := range tests {
		rec := b.Do("POST", target, tc.form)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want 422 with %q", tc.name, rec.Code, tc.want)
		}
		// What was typed is shown again.
		if tc.name == "no date" && !strings.Contains(body, "Tack på förhand.") {
			t.Errorf("%s: the message was not kept", tc.name)
		}
	}
	if n := countRows(t, st, "certificate_messages"); n != 0 {
		t.Fatalf("%d messages written from bad input", n)
	}
	if n := countAudit(t, st, "request_supplement", audit.OutcomeOK); n != 0 {
		t.Fatalf("%d requests audited from bad input", n)
	}
}

func TestSupplementRequestAccess(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, _, certID := supplementSetup(t, st)
	target := "/certificates/" + itoa(certID) + "/supplement"
	tests := []struct {
		user, path string
		status     int
	}{
		{"samordnare-af", target, http.StatusNotFound},     // another organisation's certificate
		{"samordnare-region", target, http.StatusNotFound}, // even the sender's staff: FK's case
		{"chef", target, http.StatusForbidden},             // FK, but not a case worker
		{"handlaggare", "/certificates/999999/supplement", http.StatusNotFound},
		{"handlaggare", "/certificates/abc/supplement", http.StatusNotFound},
	}
	for _, tc := range tests {
		b := s.Client(t)
		b.Login(tc.user, "demo")
		if rec := b.Do("POST", tc.path, validSupplementForm()); rec.Code != tc.status {
			t.Errorf("%s %s: %d, want %d", tc.user, tc.path, rec.Code, tc.status)
		}
	}
	if n := countRows(t, st, "certificate_messages"); n != 0 {
		t.Fatalf("%d messages written by refused requests", n)
	}
	if n := countAudit(t, st, "write_person", audit.OutcomeDenied); n < 3 {
		t.Fatalf("%d refusals audited, want 3", n)
	}
}

// TestSupplementRequestRoundTrip: a case worker asks, the care provider
// fetches through the API (other organisations see nothing), answers with a
// KOMPLT certificate, and the request closes.
func TestSupplementRequestRoundTrip(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s, tok, certID := supplementSetup(t, st)
		_, answer, originalID := webtest.SupplementPair(t)
		b := s.Client(t)
		b.Login("handlaggare", "demo")
		rec := b.Do("POST", "/certificates/"+itoa(certID)+"/supplement", validSupplementForm())
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/certificates/"+itoa(certID) {
			t.Fatalf("request: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
		}
		if n := countAudit(t, st, "request_supplement", audit.OutcomeOK); n != 1 {
			t.Fatalf("%d audit entries for the request, want 1", n)
		}
		v, err := supplementView(ctx, s, certID, "sv")
		if err != nil || len(v.Requests) != 1 || v.Open != 1 || v.Requests[0].Status != "open" || v.Requests[0].Fetched != "" ||
			len(v.Requests[0].Questions) != 2 || v.Requests[0].Questions[0].Label != "Funktionsnedsättning" {
			t.Fatalf("view after the request: %+v %v", v, err)
		}

		// Other care providers, and a token without certificates:read, see nothing.
		if code, msgs := fetchMessages(t, s, tok.other); code != http.StatusOK || len(msgs) != 0 {
			t.Fatalf("another care provider: %d %+v", code, msgs)
		}
		if code, _ := fetchMessages(t, s, tok.writeOnly); code != http.StatusForbidden {
			t.Fatalf("a token without certificates:read: %d", code)
		}
		code, msgs := fetchMessages(t, s, tok.region)
		if code != http.StatusOK || len(msgs) != 1 {
			t.Fatalf("the care provider: %d %+v", code, msgs)
		}
		m := msgs[0]
		if m.Type != "KOMPLT" || m.CertificateID != originalID || m.FinsamCertificateID != certID || len(m.Questions) != 2 ||
			m.Questions[0].AnswerID != "35" || m.Text != "Tack på förhand." || m.LastAnswerDate != "2026-12-07" || m.ReminderOf != nil ||
			!m.SentAt.Equal(s.Clock.Now().UTC().Truncate(0)) {
			t.Fatalf("message %+v", m)
		}
		if n := countAudit(t, st, "fetch_message", audit.OutcomeOK); n != 1 {
			t.Fatalf("%d fetches audited, want 1", n)
		}
		if v, _ := supplementView(ctx, s, certID, "sv"); v.Requests[0].Fetched == "" {
			t.Fatal("the fetch is not shown")
		}

		// The answer closes the request.
		rec = postCertificate(s, tok.region, answer)
		if rec.Code != http.StatusCreated {
			t.Fatalf("answer: %d %s", rec.Code, rec.Body)
		}
		var receipt struct{ ID int64 }
		json.Unmarshal(rec.Body.Bytes(), &receipt)
		if _, msgs := fetchMessages(t, s, tok.region); len(msgs) != 0 {
			t.Fatalf("open after the answer: %+v", msgs)
		}
		v, _ = supplementView(ctx, s, certID, "sv")
		if r := v.Requests[0]; r.Status != "answered" || r.AnsweredBy != receipt.ID || r.Answered == "" || v.Open != 0 {
			t.Fatalf("view after the answer: %+v", v)
		}
	})
}

// TestSupplementReminders: a request unanswered after its last answer date
// is late and gets one reminder, whether the command or a fetch sends it.
func TestSupplementReminders(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		s, tok, certID := supplementSetup(t, st)
		clk := s.Clock
		b := s.Client(t)
		b.Login("handlaggare", "demo")
		if rec := b.Do("POST", "/certificates/"+itoa(certID)+"/supplement", validSupplementForm()); rec.Code != http.StatusSeeOther {
			t.Fatalf("request: %d", rec.Code)
		}
		system := audit.Event{ActorName: "test"}
		// On the last answer date (in Sweden) it is not late yet.
		clk.Add(14*24*time.Hour + 14*time.Hour) // 2026-12-07 23:00 UTC = 2026-12-08 00:00 in Stockholm
		clk.Add(-time.Minute)
		if sent, err := supplement.SendReminders(ctx, st, webtest.Keys(t), system, s.Clock.Now()); err != nil || len(sent) != 0 {
			t.Fatalf("reminders on the last day: %d %v", len(sent), err)
		}
		if v, _ := supplementView(ctx, s, certID, "sv"); v.Requests[0].Status != "open" {
			t.Fatalf("status on the last day: %s", v.Requests[0].Status)
		}
		// A minute later it is the next day in Sweden: late. The care
		// provider's fetch sends the reminder that is due.
		clk.Add(time.Minute)
		if v, _ := supplementView(ctx, s, certID, "sv"); v.Requests[0].Status != "late" || v.Requests[0].Reminded != "" {
			t.Fatalf("status the day after: %+v", v.Requests[0])
		}
		_, msgs := fetchMessages(t, s, tok.region)
		if len(msgs) != 2 || msgs[1].Type != "PAMINN" || msgs[1].ReminderOf == nil || *msgs[1].ReminderOf != msgs[0].ID ||
			msgs[1].LastAnswerDate != "2026-12-15" || !strings.Contains(msgs[1].Text, "2026-12-07") {
			t.Fatalf("messages with the reminder: %+v", msgs)
		}
		// Once only.
		if sent, err := supplement.SendReminders(ctx, st, webtest.Keys(t), system, s.Clock.Now().Add(48*time.Hour)); err != nil || len(sent) != 0 {
			t.Fatalf("reminders again: %d %v", len(sent), err)
		}
		if _, msgs := fetchMessages(t, s, tok.region); len(msgs) != 2 {
			t.Fatalf("a second fetch: %+v", msgs)
		}
		if n := countAudit(t, st, "send_reminder", audit.OutcomeOK); n != 1 {
			t.Fatalf("%d reminders audited, want 1", n)
		}
		v, _ := supplementView(ctx, s, certID, "sv")
		if v.Requests[0].Reminded == "" {
			t.Fatalf("the reminder is not shown: %+v", v.Requests[0])
		}
		// The answer closes the request and its reminder.
		_, answer, _ := webtest.SupplementPair(t)
		if rec := postCertificate(s, tok.region, answer); rec.Code != http.StatusCreated {
			t.Fatalf("answer: %d %s", rec.Code, rec.Body)
		}
		if _, msgs := fetchMessages(t, s, tok.region); len(msgs) != 0 {
			t.Fatalf("open after the answer: %+v", msgs)
		}
	})
}

// TestSupplementTemplates renders the partials as the certificate page will.
func TestSupplementTemplates(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, _, certID := supplementSetup(t, st)
	v, err := supplementView(context.Background(), s, certID, "en")
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, name := range []string{"supplement-status", "supplement-form"} {
		if err := s.Site().Templates()["supplement_form"].ExecuteTemplate(&out, name, v); err != nil {
			t.Fatal(err)
		}
	}
	html := out.String()
	for _, want := range []string{"No supplement has been requested", `action="/certificates/` + itoa(certID) + `/supplement"`,
		`value="2026-12-07"`, "Activity limitation: what is missing?", `name="text-17"`} {
		if !strings.Contains(html, want) {
			t.Errorf("the partials lack %q", want)
		}
	}
}

// The request form starts from the quality check: the parts it found
// lacking come first, chosen, with what it found as their text; the other
// parts wait folded away, unchosen and empty.
func TestSupplementFormOffersTheFindingsChosen(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, _, certID := supplementSetup(t, st)
	b := s.Client(t)
	b.Login("handlaggare", "demo")
	page := b.Do("GET", "/certificates/"+itoa(certID), nil).Body.String()
	form := page[strings.Index(page, `<section class="finsam-supplement-form"`):]
	found := strings.Index(form, `id="supplement-q-17" name="question" value="17" checked>`)
	more := strings.Index(form, `<details class="finsam-details">`)
	if found < 0 || more < 0 || found > more {
		t.Fatal("the finding's part is not first and chosen, before the folded rest")
	}
	if !strings.Contains(form, `data-counter="supplement-text-17-count">Aktivitetsbegränsningen är inte beskriven tillräckligt.`) {
		t.Error("the finding's part has not the finding as its text")
	}
	if n := strings.Count(form, `name="question" value=`); n != len(supplement.QuestionIDs) {
		t.Errorf("%d parts on the form, want %d", n, len(supplement.QuestionIDs))
	}
	if n := strings.Count(form, " checked>"); n != 1 {
		t.Errorf("%d parts chosen, want the 1 found", n)
	}
	if !strings.Contains(form, "Lägg till fler delar av intyget") {
		t.Error("no way to add more parts")
	}
}
