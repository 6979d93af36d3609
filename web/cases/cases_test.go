package cases_test

import (
	"context"
	"encoding/json"
	"github.com/finsam/finsam/web"
	"github.com/finsam/finsam/web/internal/webtest"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
)

var inputJSON = regexp.MustCompile(`<code id="case-input-json">([^<]*)</code>`)

// factOf is the value beside a label in a <dl> of the page.
func factOf(body, label string) string {
	m := regexp.MustCompile(`<dt>` + regexp.QuoteMeta(label) + `</dt><dd>([^<]*)</dd>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// TestCasePageFiguresEqualRulesEvaluate: the chain day, phase, payer and
// milestones on the case page, and the chain day, phase and next checkpoint
// on the worklist, are what `finsam rules evaluate` (EvaluateRulesJSON, the
// function the command line and the API call) answers for the case's
// periods and facts on the same day.
func TestCasePageFiguresEqualRulesEvaluate(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := casesSetup(t, st)
		worker := signedIn(t, s, "hw-visby", casesPassword)
		body := worker.Do("GET", "/arenden/"+itoa(f.Mine), nil).Body.String()
		m := inputJSON.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("the page shows no input JSON")
		}
		input := html.UnescapeString(m[1])
		// The input is the case's periods and facts on today's date,
		// written down here independently of the page.
		want := `{"date":"2026-11-23","employment":"employee","annual_income":0,"periods":[` +
			`{"from":"2026-09-01","to":"2026-10-31","degree":100},{"from":"2026-11-01","to":"2026-12-31","degree":50}],"serious_illness":false}`
		if input != want {
			t.Fatalf("input\n%s\nwant\n%s", input, want)
		}
		out, problem := web.EvaluateRulesJSON(s.Site().Engine(), []byte(input))
		if problem != nil {
			t.Fatal(problem)
		}
		var res rules.Result
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatal(err)
		}
		if res.ChainDay != 84 {
			t.Fatalf("the engine says day %d; the fixture expects 84", res.ChainDay)
		}
		checks := map[string]string{
			"Dag i rehabiliteringskedjan": strconv.Itoa(res.ChainDay),
			"Fas i rehabiliteringskedjan": phaseText(res.ChainPhase),
			"Betalare":                    translate("sv", "calc.payer."+res.Payer),
			"Sjukpenning för dagen":       formatInt("sv", res.DailyAmount) + " kr",
			"Dag 91: arbetsförmågan prövas mot annat arbete hos arbetsgivaren": res.Milestones.Day91.String() + " (7 dagar kvar)",
			"Dag 181: arbetsförmågan prövas mot arbetsmarknaden":               res.Milestones.Day181.String() + " (" + strconv.Itoa(res.Milestones.Day181.Sub(res.Date)) + " dagar kvar)",
			"Dag 366: prövning mot arbetsmarknaden utan undantag":              res.Milestones.Day366.String() + " (" + strconv.Itoa(res.Milestones.Day366.Sub(res.Date)) + " dagar kvar)",
		}
		for label, want := range checks {
			if got := factOf(body, label); got != want {
				t.Errorf("case page %q: %q, want %q", label, got, want)
			}
		}
		if n := strings.Count(body, `<tr class="table__row">`); n < len(res.Trace) {
			t.Errorf("the trace has %d steps, the page %d rows", len(res.Trace), n)
		}
		for _, st := range res.Trace {
			if !strings.Contains(body, html.EscapeString(st.Ref)) {
				t.Errorf("the page lacks the trace's reference %q", st.Ref)
			}
		}

		// The worklist shows what the recompute stored, which is the
		// same answer (the milestones are the case page's: the list keeps
		// to one line a case).
		list := worker.Do("GET", "/arenden", nil).Body.String()
		row := rowOf(t, list, f.Mine)
		for _, want := range []string{">" + strconv.Itoa(res.ChainDay) + "<", ">" + phaseText(res.ChainPhase) + "<"} {
			if !strings.Contains(row, want) {
				t.Errorf("worklist row lacks %q:\n%s", want, row)
			}
		}
	})
}

// rowOf is the worklist's table row of a case.
func rowOf(t *testing.T, body string, id int64) string {
	t.Helper()
	i := strings.Index(body, `href="/arenden/`+itoa(id)+`"`)
	if i < 0 {
		t.Fatalf("case %d is not listed", id)
	}
	start := strings.LastIndex(body[:i], "<tr")
	end := strings.Index(body[i:], "</tr>")
	return body[start : i+end]
}

func TestCasePageAccessAndAudit(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := casesSetup(t, st)
		path := "/arenden/" + itoa(f.Mine)
		key := webtest.Keys(t).PersonKey(personnummer.Number(f.PnrMine))

		t.Run("the case worker reads the case with diagnoses, audited with the person's key", func(t *testing.T) {
			worker := signedIn(t, s, "hw-visby", casesPassword)
			rec := worker.Do("GET", path, nil)
			body := rec.Body.String()
			statusIs(t, "GET", rec.Code, http.StatusOK)
			for _, want := range []string{"Anna Andersson", "19700101-9801", "Lokalt försäkringscenter Visby", "Vera Visbyhandläggare",
				`id="frister"`, `id="signaler"`, `id="perioder"`, `id="intyg"`, `id="fakta"`, `id="beslut"`, `id="plan"`, `id="anteckningar"`,
				`role="img"`, `id="case-timeline-table"`, "Bedömning inför dag 91", "Ingen kontakt med den försäkrade",
				`action="/arenden/` + itoa(f.Mine) + `/perioder"`, `name="version" value="1"`} {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			for _, action := range []string{"read_case", "read_diagnoses"} {
				if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'hw-visby' AND action = $1 AND person_key = $2 AND resource_id = $3",
					action, key, itoa(f.Mine)); n != 1 {
					t.Errorf("%d %s entries, want 1", n, action)
				}
			}
			if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'hw-visby' AND action = 'read_case' AND purpose = 'relation=assigned'"); n != 1 {
				t.Errorf("%d read_case entries saying the case is the reader's own", n)
			}
			if regexp.MustCompile(`href="[^"]*(19|20)\d{6}-?\d{4}`).MatchString(body) {
				t.Error("a personnummer in a link")
			}
		})

		t.Run("a colleague of the office is asked why, then reads it; the audit says why", func(t *testing.T) {
			b := signedIn(t, s, "hw-kollega", casesPassword)
			ask := b.Do("GET", path, nil)
			statusIs(t, "colleague without a purpose", ask.Code, http.StatusOK)
			if body := ask.Body.String(); !strings.Contains(body, "Varför öppnar du ärendet?") || strings.Contains(body, "Anna Andersson") || strings.Contains(body, "19700101-9801") {
				t.Error("the purpose page is missing or shows the person")
			}
			statusIs(t, "'other' without a description", b.Do("GET", path+"?syfte=other", nil).Code, http.StatusUnprocessableEntity)
			statusIs(t, "an unknown purpose", b.Do("GET", path+"?syfte=curious", nil).Code, http.StatusUnprocessableEntity)
			if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'hw-kollega' AND action = 'read_case'"); n != 0 {
				t.Errorf("%d read_case entries before a purpose was given", n)
			}
			rec := b.Do("GET", path+"?syfte=substitute", nil)
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Anna Andersson") {
				t.Fatalf("with a purpose: %d", rec.Code)
			}
			// The purpose is remembered for the case (a cookie on its path).
			if rec := b.Do("GET", path, nil); !strings.Contains(rec.Body.String(), "Anna Andersson") {
				t.Error("asked again on the next visit")
			}
			if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'hw-kollega' AND action = 'read_case' AND purpose = 'relation=office purpose=substitute'"); n != 2 {
				t.Errorf("%d read_case entries of an office case with the purpose, want 2", n)
			}
		})

		t.Run("the manager reads it without forms or diagnoses", func(t *testing.T) {
			chef := signedIn(t, s, "chef", "demo")
			body := chef.Do("GET", path, nil).Body.String()
			if strings.Contains(body, `/perioder"`) || strings.Contains(body, `/frister/`) || strings.Contains(body, `/beslut"`) {
				t.Error("the manager is offered a case worker's form")
			}
			if !strings.Contains(body, `action="/arenden/`+itoa(f.Mine)+`/tilldela"`) {
				t.Error("the manager is not offered re-assignment")
			}
			if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'chef' AND action = 'read_diagnoses'"); n != 0 {
				t.Errorf("%d read_diagnoses entries for the manager", n)
			}
		})

		t.Run("another office's case worker and other organisations get 404, administrators 403", func(t *testing.T) {
			for user, want := range map[string]int{"hw-annat": 404, "samordnare-af": 404, "samordnare-region": 404, "forbund": 404, "admin": 403, "styrelse": 403} {
				password := "demo"
				if strings.HasPrefix(user, "hw-") {
					password = casesPassword
				}
				b := signedIn(t, s, user, password)
				for _, p := range []string{path, "/api/v1/cases/" + itoa(f.Mine)} {
					rec := b.Do("GET", p, nil)
					if rec.Code != want || strings.Contains(rec.Body.String(), "Anna Andersson") {
						t.Errorf("%s GET %s: %d, want %d", user, p, rec.Code, want)
					}
				}
			}
			if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'hw-annat' AND outcome = 'denied' AND resource_id = $1", itoa(f.Mine)); n != 2 {
				t.Errorf("%d denied entries for the other office's case worker, want 2", n)
			}
			worker := signedIn(t, s, "hw-visby", casesPassword)
			for _, p := range []string{"/arenden/99999999", "/arenden/abc", "/arenden/" + itoa(f.Elsewhere)} {
				statusIs(t, p, worker.Do("GET", p, nil).Code, http.StatusNotFound)
			}
		})

		t.Run("a protected identity is hidden from all but the case worker handling the case", func(t *testing.T) {
			p := "/arenden/" + itoa(f.Protected)
			own := signedIn(t, s, "hw-visby", casesPassword).Do("GET", p, nil).Body.String()
			if !strings.Contains(own, "Sara Skyddad") || !strings.Contains(own, "Skyddade personuppgifter") {
				t.Error("the assigned case worker does not see the name and the protection")
			}
			for _, user := range []string{"hw-kollega", "chef"} {
				password := casesPassword
				if user == "chef" {
					password = "demo"
				}
				b := signedIn(t, s, user, password)
				for _, page := range []string{p + "?syfte=colleague", "/arenden/kontor", "/api/v1/cases/" + itoa(f.Protected)} {
					body := b.Do("GET", page, nil).Body.String()
					if strings.Contains(body, "Sara Skyddad") || strings.Contains(body, "19800202-9802") {
						t.Errorf("%s sees the protected person on %s", user, page)
					}
				}
				if body := b.Do("GET", p+"?syfte=colleague", nil).Body.String(); !strings.Contains(body, "Skyddad identitet") {
					t.Errorf("%s: no 'Skyddad identitet'", user)
				}
			}
		})

		t.Run("another day's result", func(t *testing.T) {
			worker := signedIn(t, s, "hw-visby", casesPassword)
			body := worker.Do("GET", path+"?datum=2026-12-31", nil).Body.String()
			if got := factOf(body, "Dag i rehabiliteringskedjan"); got != "122" {
				t.Errorf("day on 2026-12-31: %q, want 122", got)
			}
			body = worker.Do("GET", path+"?datum=2026-13-01", nil).Body.String()
			if !strings.Contains(body, "Skriv ett datum som finns") || factOf(body, "Dag i rehabiliteringskedjan") != "84" {
				t.Error("a bad date is not reported, or today is not shown instead")
			}
		})
	})
}

// postCase posts a form of the case page.
func postCase(b *browser, caseID int64, action string, form url.Values) *formAnswer {
	rec := b.Do("POST", "/arenden/"+itoa(caseID)+action, form)
	return &formAnswer{Code: rec.Code, Body: rec.Body.String(), Location: rec.Header().Get("Location")}
}

// formAnswer is the part of an answer the form tests read.
type formAnswer struct {
	Code     int
	Body     string
	Location string
}

func TestCaseForms(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := casesSetup(t, st)
		ctx := context.Background()
		worker := signedIn(t, s, "hw-visby", casesPassword)
		v := func() string { return strconv.Itoa(caseVersionOf(t, st, f.Mine)) }
		rows := func(query string) int { return webtest.Count(t, st, query, f.Mine) }

		t.Run("closing a deadline", func(t *testing.T) {
			d := openDeadline(t, st, f.Mine)
			path := "/frister/" + itoa(d.ID)
			// A colleague saves a note after the page was shown: the
			// version the page carries is stale. 409, the page again with
			// the message, nothing written.
			shown := v()
			colleague := signedIn(t, s, "hw-kollega", casesPassword)
			// Not their case: without a purpose the form is not taken (the
			// purpose page answers); with one it is, and the audit says why.
			note := url.Values{"version": {shown}, "kind": {"note"}, "body": {"Noterat"}}
			if res := postCase(colleague, f.Mine, "/anteckningar", note); res.Code != http.StatusOK || !strings.Contains(res.Body, `name="syfte"`) {
				t.Errorf("colleague's note without a purpose: %d, want the purpose page", res.Code)
			}
			if n := rows("SELECT count(*) FROM case_notes WHERE case_id = $1 AND body = 'Noterat'"); n != 0 {
				t.Fatalf("a note without a purpose was written")
			}
			statusIs(t, "colleague's note", postCase(colleague, f.Mine, "/anteckningar?syfte=colleague", note).Code, http.StatusSeeOther)
			if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'hw-kollega' AND action = 'add_case_note' AND purpose LIKE 'note=% purpose=colleague'"); n != 1 {
				t.Errorf("%d audit rows of the colleague's note with its purpose, want 1", n)
			}
			res := postCase(worker, f.Mine, path, url.Values{"version": {shown}, "note": {"klart"}})
			statusIs(t, "stale", res.Code, http.StatusConflict)
			if !strings.Contains(res.Body, "Ärendet har ändrats av någon annan") || !strings.Contains(res.Body, `value="klart"`) ||
				!strings.Contains(res.Body, `name="version" value="`+v()+`"`) {
				t.Error("no conflict message, or the page does not keep what was typed and show the new version")
			}
			if got := openDeadlineByID(t, st, f.Mine, d.ID); got.Done {
				t.Fatal("a stale close was written")
			}
			before := caseVersionOf(t, st, f.Mine)
			res = postCase(worker, f.Mine, path, url.Values{"version": {v()}, "note": {"Avstämt med arbetsgivaren"}})
			if res.Code != http.StatusSeeOther || res.Location != "/arenden/"+itoa(f.Mine)+"#frister" {
				t.Fatalf("close: %d %s", res.Code, res.Location)
			}
			got := openDeadlineByID(t, st, f.Mine, d.ID)
			if !got.Done || got.ClosedBy != "Vera Visbyhandläggare" || got.Note != "Avstämt med arbetsgivaren" {
				t.Errorf("closed deadline %+v", got)
			}
			if caseVersionOf(t, st, f.Mine) != before+1 {
				t.Error("the version did not move")
			}
			if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'hw-visby' AND action = 'close_deadline' AND purpose = $1", "deadline="+itoa(d.ID)); n != 1 {
				t.Errorf("%d close_deadline entries", n)
			}
			// Twice: a field error, nothing written.
			res = postCase(worker, f.Mine, path, url.Values{"version": {v()}})
			statusIs(t, "twice", res.Code, http.StatusUnprocessableEntity)
			if !strings.Contains(res.Body, "Fristen är redan avslutad") {
				t.Error("no 'Fristen är redan avslutad'")
			}
			// A deadline of another case.
			other := openDeadline(t, st, f.Protected)
			statusIs(t, "another case's deadline", postCase(worker, f.Mine, "/frister/"+itoa(other.ID), url.Values{"version": {v()}}).Code, http.StatusNotFound)
			// No version: 400.
			statusIs(t, "no version", postCase(worker, f.Mine, path, url.Values{}).Code, http.StatusBadRequest)
		})

		t.Run("adding a period by hand", func(t *testing.T) {
			n := rows("SELECT count(*) FROM sick_leave_periods WHERE person_id = (SELECT person_id FROM sickness_cases WHERE id = $1)")
			bad := []struct {
				name string
				form url.Values
				want string
			}{
				{"overlap", url.Values{"from": {"2026-12-01"}, "to": {"2027-01-10"}, "degree": {"100"}, "source": {"Pappersintyg"}}, "överlappar"},
				{"degree", url.Values{"from": {"2027-01-01"}, "to": {"2027-01-10"}, "degree": {"30"}, "source": {"Pappersintyg"}}, "Välj 25, 50, 75 eller 100 procent"},
				{"to before from", url.Values{"from": {"2027-01-10"}, "to": {"2027-01-01"}, "degree": {"100"}, "source": {"Pappersintyg"}}, "slutar innan den börjar"},
				{"another case", url.Values{"from": {"2027-06-01"}, "to": {"2027-06-30"}, "degree": {"100"}, "source": {"Pappersintyg"}}, "hör inte till det här sjukfallet"},
				{"no source", url.Values{"from": {"2027-01-01"}, "to": {"2027-01-10"}, "degree": {"100"}}, "Fyll i det här fältet"},
				{"bad date", url.Values{"from": {"2027-02-30"}, "to": {"2027-03-10"}, "degree": {"100"}, "source": {"x"}}, "Skriv ett datum som finns"},
			}
			for _, tc := range bad {
				tc.form.Set("version", v())
				res := postCase(worker, f.Mine, "/perioder", tc.form)
				if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tc.want) {
					t.Errorf("%s: %d, want 422 with %q", tc.name, res.Code, tc.want)
				}
				if !strings.Contains(res.Body, `<details class="finsam-details" open>`) || !strings.Contains(res.Body, `aria-invalid="true"`) {
					t.Errorf("%s: the form is not shown open with the field marked", tc.name)
				}
			}
			if got := rows("SELECT count(*) FROM sick_leave_periods WHERE person_id = (SELECT person_id FROM sickness_cases WHERE id = $1)"); got != n {
				t.Fatalf("a bad period was written (%d → %d)", n, got)
			}
			res := postCase(worker, f.Mine, "/perioder", url.Values{"version": {v()}, "from": {"2027-01-01"}, "to": {"2027-01-31"}, "degree": {"25"},
				"source": {"Läkarintyg på papper, inkom 2026-11-20"}})
			statusIs(t, "good period", res.Code, http.StatusSeeOther)
			c, _ := store.CaseByID(ctx, st, f.Mine)
			if c.LastDay.UTC().Format(time.DateOnly) != "2027-01-31" {
				t.Errorf("the case was not widened: last day %v", c.LastDay)
			}
			body := worker.Do("GET", "/arenden/"+itoa(f.Mine), nil).Body.String()
			if !strings.Contains(body, "Manuellt: Läkarintyg på papper, inkom 2026-11-20") {
				t.Error("the period's source is not shown")
			}
		})

		t.Run("decisions need a justification", func(t *testing.T) {
			res := postCase(worker, f.Mine, "/beslut", url.Values{"version": {v()}, "outcome": {"granted"}, "decided_on": {"2026-11-20"}, "paragraph": {"SFB 27 kap. 2 §"}})
			statusIs(t, "no justification", res.Code, http.StatusUnprocessableEntity)
			if !strings.Contains(res.Body, "Motivering: Fyll i det här fältet.") {
				t.Error("no field error for the justification in the summary")
			}
			res = postCase(worker, f.Mine, "/beslut", url.Values{"version": {v()}, "outcome": {"maybe"}, "decided_on": {"2030-01-01"}, "paragraph": {"x"}, "justification": {"x"}})
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Välj beviljat, avslag eller återkallat") || !strings.Contains(res.Body, "har inte inträffat än") {
				t.Errorf("bad outcome and future date: %d", res.Code)
			}
			if n := rows("SELECT count(*) FROM case_decisions WHERE case_id = $1"); n != 0 {
				t.Fatal("a bad decision was written")
			}
			res = postCase(worker, f.Mine, "/beslut", url.Values{"version": {v()}, "outcome": {"granted"}, "decided_on": {"2026-11-20"},
				"paragraph": {"SFB 27 kap. 2 §"}, "justification": {"Arbetsförmågan är nedsatt enligt intyget."}})
			statusIs(t, "decision", res.Code, http.StatusSeeOther)
			if n := rows("SELECT count(*) FROM case_decisions WHERE case_id = $1"); n != 1 {
				t.Errorf("%d decisions", n)
			}
		})

		t.Run("plan actions and their status", func(t *testing.T) {
			af := webtest.OrgNamed(t, st, "af")
			res := postCase(worker, f.Mine, "/atgarder", url.Values{"version": {v()}, "title": {"Arbetsträning"}, "owner_org_id": {itoa(webtest.OrgNamed(t, st, "region-stockholm").ID)}, "due": {"2026-12-15"}})
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Välj en organisation i listan") {
				t.Errorf("a region the person does not live in: %d", res.Code)
			}
			res = postCase(worker, f.Mine, "/atgarder", url.Values{"version": {v()}, "title": {"Arbetsträning"}, "owner_org_id": {itoa(af.ID)}, "due": {"2026-12-15"}})
			statusIs(t, "action", res.Code, http.StatusSeeOther)
			actions, _ := store.PlanActions(ctx, st, f.Mine)
			if len(actions) != 1 || actions[0].OwnerName != "Arbetsförmedlingen" || actions[0].Status != store.ActionPlanned {
				t.Fatalf("actions %+v", actions)
			}
			res = postCase(worker, f.Mine, "/atgarder/"+itoa(actions[0].ID), url.Values{"version": {v()}, "status": {"ongoing"}})
			statusIs(t, "status", res.Code, http.StatusSeeOther)
			res = postCase(worker, f.Mine, "/atgarder/"+itoa(actions[0].ID), url.Values{"version": {v()}, "status": {"lost"}})
			statusIs(t, "bad status", res.Code, http.StatusUnprocessableEntity)
			actions, _ = store.PlanActions(ctx, st, f.Mine)
			if actions[0].Status != store.ActionOngoing {
				t.Errorf("status %q", actions[0].Status)
			}
			body := worker.Do("GET", "/arenden/"+itoa(f.Mine), nil).Body.String()
			if !strings.Contains(body, "Region Gotland") || !strings.Contains(body, "Gotlands kommun") || strings.Contains(body, ">Region Stockholm<") {
				t.Error("the owners offered are not FK, AF and the person's region and municipality")
			}
		})

		t.Run("notes and contacts", func(t *testing.T) {
			res := postCase(worker, f.Mine, "/anteckningar", url.Values{"version": {v()}, "kind": {"contact"}, "contact_on": {"2026-12-01"}, "channel": {"phone"}, "body": {"Samtal"}})
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "har inte inträffat än") {
				t.Errorf("a contact tomorrow: %d", res.Code)
			}
			res = postCase(worker, f.Mine, "/anteckningar", url.Values{"version": {v()}, "kind": {"contact"}, "contact_on": {"2026-11-23"}, "channel": {"phone"}, "body": {"Samtal om återgång"}})
			statusIs(t, "contact", res.Code, http.StatusSeeOther)
			// The contact is a fact the recompute reads: the no-contact
			// warning is gone at once.
			ws, _ := store.CaseWarnings(ctx, st, f.Mine)
			for _, w := range ws {
				if w.Kind == "no_contact" {
					t.Error("the no-contact warning stays after a contact")
				}
			}
		})

		t.Run("facts", func(t *testing.T) {
			res := postCase(worker, f.Mine, "/fakta", url.Values{"version": {v()}, "employment": {"employee"}, "annual_income_kr": {"300 000"}, "employer_org_number": {"556000-0002"}})
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Organisationsnumret stämmer inte") {
				t.Errorf("bad organisation number: %d", res.Code)
			}
			res = postCase(worker, f.Mine, "/fakta", url.Values{"version": {v()}, "employment": {"employee"}, "annual_income_kr": {"300 000"},
				"employer_org_number": {"2021005521"}, "employer_name": {"Visby Bygg AB"}})
			statusIs(t, "facts", res.Code, http.StatusSeeOther)
			c, _ := store.CaseByID(ctx, st, f.Mine)
			if c.AnnualIncomeOre != 30000000 || c.EmployerOrgNumber != "202100-5521" || c.EmployerName != "Visby Bygg AB" {
				t.Errorf("facts %+v", c)
			}
			// The SGI follows at once, on the page and in the stored state.
			body := worker.Do("GET", "/arenden/"+itoa(f.Mine), nil).Body.String()
			if got := factOf(body, "Sjukpenninggrundande inkomst (SGI)"); got != "300\u00a0000 kr" {
				t.Errorf("SGI on the page: %q", got)
			}
			if c.SGIKr != 300000 {
				t.Errorf("stored SGI %d", c.SGIKr)
			}
		})

		t.Run("who may write", func(t *testing.T) {
			form := url.Values{"version": {v()}, "kind": {"note"}, "body": {"x"}}
			notes := rows("SELECT count(*) FROM case_notes WHERE case_id = $1")
			chef := signedIn(t, s, "chef", "demo")
			statusIs(t, "manager", postCase(chef, f.Mine, "/anteckningar", form).Code, http.StatusForbidden)
			other := signedIn(t, s, "hw-annat", casesPassword)
			statusIs(t, "another office", postCase(other, f.Mine, "/anteckningar", form).Code, http.StatusNotFound)
			statusIs(t, "another organisation", postCase(signedIn(t, s, "samordnare-af", "demo"), f.Mine, "/anteckningar", form).Code, http.StatusNotFound)
			if n := rows("SELECT count(*) FROM case_notes WHERE case_id = $1"); n != notes {
				t.Errorf("%d notes written by those who may not", n)
			}
		})
	})
}

func openDeadlineByID(t *testing.T, st *store.Store, caseID, id int64) store.CaseDeadline {
	t.Helper()
	ds, err := store.CaseDeadlines(context.Background(), st, caseID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("no deadline %d", id)
	return store.CaseDeadline{}
}

// The case pages work under the CSP: no inline script or style, also in
// the SVG; scripts are the site's own files.
func TestCasePagesHaveNoInlineScriptOrStyle(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, f := casesSetup(t, st)
	pages := map[string][]string{
		"hw-visby": {"/arenden", "/arenden/" + itoa(f.Mine), "/arenden/" + itoa(f.Protected) + "?lang=en"},
		"chef":     {"/arenden/kontor", "/arenden/" + itoa(f.Unassigned)},
	}
	for user, paths := range pages {
		password := casesPassword
		if user == "chef" {
			password = "demo"
		}
		b := signedIn(t, s, user, password)
		for _, p := range paths {
			body := b.Do("GET", p, nil).Body.String()
			for _, bad := range []string{"<style", " style=", " onclick=", " onload="} {
				if strings.Contains(body, bad) {
					t.Errorf("%s contains %q", p, bad)
				}
			}
			if n := webtest.InlineScripts(body); n != 0 {
				t.Errorf("%s has %d inline scripts", p, n)
			}
		}
	}
}
