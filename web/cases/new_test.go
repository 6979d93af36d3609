package cases_test

import (
	"context"
	"fmt"
	"github.com/finsam/finsam/web/internal/webtest"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
)

func newCaseForm(pnr, from, to, degree string) url.Values {
	return url.Values{"personnummer": {pnr}, "name": {"Testa Testsson (testperson)"}, "municipality": {"0980"},
		"from": {from}, "to": {to}, "degree": {degree}, "source": {"Läkarintyg på papper"}}
}

// A case worker enters a sickness case by hand for a person finsam does not
// know: the personnummer is checked (checksum, date), nothing is written on
// a problem, and a good form makes the person, the period and a case in the
// case worker's office assigned to them, audited.
func TestNewCaseByHand(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.Demo(t, st)
		hw := signedIn(t, s, "handlaggare", "demo")
		if rec := hw.Do("GET", "/arenden/nytt", nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Nytt sjukfall") {
			t.Fatalf("form: %d", rec.Code)
		}
		persons, periods, cases := countRows(t, st, "persons"), countRows(t, st, "sick_leave_periods"), countRows(t, st, "sickness_cases")
		for _, tt := range []struct {
			name string
			form url.Values
			want string
		}{
			{"checksum", newCaseForm("19121212-1213", "2026-11-02", "2026-12-06", "100"), "Kontrollsiffran stämmer inte"},
			{"impossible date", newCaseForm("19800230-1234", "2026-11-02", "2026-12-06", "100"), "Födelsedatumet i personnumret finns inte"},
			{"not a number", newCaseForm("abc", "2026-11-02", "2026-12-06", "100"), "Skriv personnumret som"},
			{"degree", newCaseForm("19121212-1212", "2026-11-02", "2026-12-06", "60"), "Välj 25, 50, 75 eller 100 procent"},
			{"to before from", newCaseForm("19121212-1212", "2026-12-06", "2026-11-02", "100"), "slutar innan den börjar"},
			{"municipality", func() url.Values {
				f := newCaseForm("19121212-1212", "2026-11-02", "2026-12-06", "100")
				f.Set("municipality", "9999")
				return f
			}(), "Det finns ingen kommun med den koden"},
		} {
			rec := hw.Do("POST", "/arenden/nytt", tt.form)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("%s: %d, want 422 with %q", tt.name, rec.Code, tt.want)
			}
		}
		if p, q, c := countRows(t, st, "persons"), countRows(t, st, "sick_leave_periods"), countRows(t, st, "sickness_cases"); p != persons || q != periods || c != cases {
			t.Fatalf("refused forms wrote: persons %d→%d, periods %d→%d, cases %d→%d", persons, p, periods, q, cases, c)
		}

		// 19121212-1212 is Skatteverket's well-known test number.
		rec := hw.Do("POST", "/arenden/nytt", newCaseForm("191212121212", "2026-11-02", "2026-12-06", "50"))
		loc := rec.Header().Get("Location")
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/arenden/") {
			t.Fatalf("create: %d %s %s", rec.Code, loc, rec.Body.String())
		}
		var id int64
		fmt.Sscanf(strings.TrimPrefix(loc, "/arenden/"), "%d", &id)
		c, err := store.CaseByID(context.Background(), st, id)
		if err != nil {
			t.Fatal(err)
		}
		me, _ := store.UserByName(context.Background(), st, "handlaggare")
		if c.OfficeID != me.OfficeID || c.AssignedUserID != me.ID || c.PersonName != "Testa Testsson (testperson)" ||
			c.MunicipalityCode != "0980" || c.Personnummer != "191212121212" || c.EvalDate.IsZero() {
			t.Errorf("the new case: %+v", c)
		}
		if strings.Contains(loc, "1212") {
			t.Error("the personnummer is in the URL")
		}
		ps, _ := store.PersonPeriods(context.Background(), st, c.PersonID, c.FirstDay, c.LastDay)
		if len(ps) != 1 || ps[0].Degree != 50 || ps[0].Source != "Läkarintyg på papper" || ps[0].CertificateID != 0 {
			t.Errorf("periods %+v", ps)
		}
		if n := countAudit(t, st, "create_case", "ok"); n != 1 {
			t.Errorf("%d create_case audit entries", n)
		}
		if page := hw.Do("GET", loc, nil); page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "Läkarintyg på papper") {
			t.Errorf("the case page: %d", page.Code)
		}

		// The same period again overlaps; a later one joins the case.
		if rec := hw.Do("POST", "/arenden/nytt", newCaseForm("191212121212", "2026-11-20", "2026-12-20", "100")); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(rec.Body.String(), "överlappar") {
			t.Errorf("overlap: %d", rec.Code)
		}
		rec = hw.Do("POST", "/arenden/nytt", newCaseForm("191212121212", "2026-12-07", "2027-01-10", "100"))
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != loc {
			t.Errorf("a following period: %d %s, want the same case %s", rec.Code, rec.Header().Get("Location"), loc)
		}

		// A manager may not; nor may another organisation's coordinator.
		if rec := signedIn(t, s, "chef", "demo").Do("GET", "/arenden/nytt", nil); rec.Code != http.StatusForbidden {
			t.Errorf("manager: %d", rec.Code)
		}
		if rec := signedIn(t, s, "samordnare-af", "demo").Do("POST", "/arenden/nytt", newCaseForm("191212121212", "2027-02-01", "2027-02-10", "100")); rec.Code != http.StatusNotFound {
			t.Errorf("AF coordinator: %d", rec.Code)
		}
	})
}

// A case worker closes a case (it leaves the worklist) and opens it again,
// each time after a confirmation page that writes nothing; a stale version
// or an unknown status changes nothing.
func TestCloseAndReopenCase(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := webtest.Demo(t, st)
		hw := signedIn(t, s, "handlaggare", "demo")
		rec := hw.Do("POST", "/arenden/nytt", newCaseForm("191212121212", "2026-11-02", "2026-12-06", "100"))
		loc := rec.Header().Get("Location")
		var id int64
		fmt.Sscanf(strings.TrimPrefix(loc, "/arenden/"), "%d", &id)
		ctx := context.Background()
		c, err := store.CaseByID(ctx, st, id)
		if err != nil {
			t.Fatal(err)
		}
		send := func(status string, version int, confirm bool) *httptest.ResponseRecorder {
			f := url.Values{"status": {status}, "version": {fmt.Sprint(version)}}
			if confirm {
				f.Set("confirm", "1")
			}
			return hw.Do("POST", loc+"/status", f)
		}
		post := func(status string, version int) int { return send(status, version, true).Code }
		if code := post("archived", c.Version); code != http.StatusUnprocessableEntity {
			t.Errorf("unknown status: %d", code)
		}
		if code := send(store.CaseClosed, c.Version+5, false).Code; code != http.StatusConflict {
			t.Errorf("stale version: %d", code)
		}
		// The first post asks: what will happen, the button, a way back,
		// and the form's values again with confirm=1.
		ask := send(store.CaseClosed, c.Version, false)
		page := ask.Body.String()
		for _, want := range []string{"<h1>Avsluta ärendet?</h1>", fmt.Sprintf("Ärende %d för", id), "frister bevakas inte längre",
			"Ja, avsluta ärendet", `href="` + loc + `#status">Avbryt</a>`, `name="confirm" value="1"`, `name="status" value="closed"`,
			fmt.Sprintf(`name="version" value="%d"`, c.Version), `action="` + loc + `/status"`} {
			if !strings.Contains(page, want) {
				t.Errorf("confirmation page (%d) lacks %q", ask.Code, want)
			}
		}
		if ask.Code != http.StatusOK {
			t.Errorf("confirmation: %d", ask.Code)
		}
		if got, _ := store.CaseByID(ctx, st, id); got.Status != store.CaseOpen || got.Version != c.Version {
			t.Fatalf("refused or unconfirmed edits changed the case: %s v%d", got.Status, got.Version)
		}
		if n := countAudit(t, st, "set_case_status", "ok"); n != 0 {
			t.Errorf("%d set_case_status audit entries before confirming", n)
		}
		if code := post(store.CaseClosed, c.Version); code != http.StatusSeeOther {
			t.Fatalf("close: %d", code)
		}
		const flash = `message-box--success" role="alert">
  <div class="message-box__content"><p>Ärendet är avslutat.</p>`
		if page := hw.Do("GET", loc, nil).Body.String(); !strings.Contains(page, flash) {
			t.Error("the page after closing says nothing about it")
		}
		if page := hw.Do("GET", loc, nil).Body.String(); strings.Contains(page, flash) {
			t.Error("the message after closing is shown twice")
		}
		me, _ := store.UserByName(ctx, st, "handlaggare")
		rows, _, err := store.Worklist(ctx, st, store.WorklistQuery{AssignedUserID: me.ID, Limit: store.MaxWorklistPage})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.ID == id {
				t.Error("a closed case is on the worklist")
			}
		}
		if page := hw.Do("GET", loc, nil).Body.String(); !strings.Contains(page, "Öppna ärendet igen") {
			t.Error("the closed case's page offers no reopening")
		}
		if page := send(store.CaseOpen, c.Version+1, false).Body.String(); !strings.Contains(page, "Ja, öppna ärendet igen") {
			t.Error("reopening asks no confirmation")
		}
		if code := post(store.CaseOpen, c.Version+1); code != http.StatusSeeOther {
			t.Fatalf("reopen: %d", code)
		}
		if got, _ := store.CaseByID(ctx, st, id); got.Status != store.CaseOpen {
			t.Errorf("after reopening: %s", got.Status)
		}
		if n := countAudit(t, st, "set_case_status", "ok"); n != 2 {
			t.Errorf("%d set_case_status audit entries, want 2", n)
		}
	})
}
