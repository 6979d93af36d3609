package cases_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// nextPage finds a worklist's link to the following page; the link's
// address is the first submatch.
var nextPage = pageLink("after")

// pageLink matches a link to the worklist (one's own or the office's) whose
// query carries the keyset cursor named cursor.
func pageLink(cursor string) *regexp.Regexp {
	return regexp.MustCompile(`href="(/arenden(?:/kontor)?\?[^"]*` + cursor + `=[^"]+)"`)
}

// followPage opens the page that link finds in body, one case a page, and
// returns its HTML; without such a link it stops the test with missing.
func followPage(t *testing.T, b *browser, link *regexp.Regexp, body, missing string) string {
	t.Helper()
	m := link.FindStringSubmatch(body)
	if m == nil {
		t.Fatal(missing)
	}
	return b.Do("GET", strings.ReplaceAll(m[1], "&amp;", "&")+"&limit=1", nil).Body.String()
}

func TestWorklist(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := casesSetup(t, st)
		worker := signedIn(t, s, "hw-visby", casesPassword)

		t.Run("the case worker's own cases by next deadline, each listing audited", func(t *testing.T) {
			rec := worker.Do("GET", "/arenden", nil)
			body := rec.Body.String()
			statusIs(t, "GET /arenden", rec.Code, http.StatusOK)
			got := listedCases(body)
			if len(got) != 2 || !slices.Contains(got, f.Mine) || !slices.Contains(got, f.Protected) {
				t.Fatalf("listed %v, want the two cases of hw-visby", got)
			}
			// Sorted by the next due deadline.
			var dues []string
			for _, id := range got {
				c, _ := store.CaseByID(context.Background(), st, id)
				dues = append(dues, c.NextDue.Format("2006-01-02"))
			}
			if !slices.IsSorted(dues) {
				t.Errorf("not by next deadline: %v", dues)
			}
			for _, want := range []string{"<strong>Dina ärenden</strong>: 2 ärenden", "Plan för återgång i arbete", "dagar sen</span>",
				`<span class="finsam-sr-only">Ingen plan inför dag 90</span>`, "50 %", "<td colspan=\"7\" class=\"table__column\"><strong>Försenade</strong></td>", `<nav class="finsam-nav"`, `href="/arenden" aria-current="page"`} {
				if !strings.Contains(body, want) {
					t.Errorf("the worklist lacks %q", want)
				}
			}
			for _, href := range regexp.MustCompile(`href="[^"]*"`).FindAllString(body, -1) {
				if personnummerLike.MatchString(href) {
					t.Errorf("a personnummer in a link: %s", href)
				}
			}
			key := webtest.Keys(t).PersonKey(personnummer.Number(f.PnrMine))
			if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'hw-visby' AND action = 'list_cases'"); n != 1 {
				t.Errorf("%d list_cases entries, want one for the list view", n)
			}
			if n := webtest.Count(t, st, `SELECT count(*) FROM audit_persons p JOIN audit_log l ON l.seq = p.seq
				WHERE l.actor_name = 'hw-visby' AND l.action = 'list_cases'`); n != 2 {
				t.Errorf("the list view names %d persons, want the two listed", n)
			}
			// The listed person's extract shows the list view.
			entries, err := store.PersonAudit(context.Background(), st, key, "")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(entries, func(e audit.Entry) bool { return e.Action == "list_cases" && e.ActorName == "hw-visby" }) {
				t.Errorf("the extract of the listed person lacks the list view: %+v", entries)
			}
			if _, err := st.VerifyAudit(context.Background(), webtest.Keys(t)); err != nil {
				t.Errorf("the chain with a list view does not verify: %v", err)
			}
		})

		t.Run("filters", func(t *testing.T) {
			for q, want := range map[string][]int64{
				"phase=1-90":     {f.Mine},
				"phase=181-365":  {f.Protected},
				"phase=91-180":   nil,
				"overdue=1":      {f.Protected, f.Mine},
				"warnings=1":     {f.Protected, f.Mine},
				"phase=nonsense": {f.Protected, f.Mine},
			} {
				body := worker.Do("GET", "/arenden?"+q, nil).Body.String()
				got := listedCases(body)
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("%s: %v, want %v", q, got, want)
				}
			}
			body := worker.Do("GET", "/arenden?phase=nonsense", nil).Body.String()
			if !strings.Contains(body, "en fas som inte finns") {
				t.Error("an unknown phase is not reported")
			}
			body = worker.Do("GET", "/arenden?overdue=1&phase=1-90", nil).Body.String()
			if !strings.Contains(body, `id="worklist-overdue" name="overdue" value="1" checked`) || !strings.Contains(body, `<option value="1-90" selected>`) {
				t.Error("the filter form does not keep the choices")
			}
		})

		t.Run("paging with the keyset cursor", func(t *testing.T) {
			body := worker.Do("GET", "/arenden?limit=1&warnings=1", nil).Body.String()
			first := listedCases(body)
			m := nextPage.FindStringSubmatch(body)
			if len(first) != 1 || m == nil || !strings.Contains(body, "Nästa sida") {
				t.Fatalf("page 1: %v, next link %v", first, m)
			}
			next := strings.ReplaceAll(m[1], "&amp;", "&")
			if !strings.Contains(next, "warnings=1") {
				t.Errorf("the next page forgets the filter: %s", next)
			}
			body = worker.Do("GET", next+"&limit=1", nil).Body.String()
			second := listedCases(body)
			if len(second) != 1 || second[0] == first[0] || !strings.Contains(body, "Första sidan") {
				t.Errorf("page 2: %v after %v", second, first)
			}
			if strings.Contains(body, "Nästa sida") {
				t.Error("a next page after the last case")
			}
			statusIs(t, "bad cursor", worker.Do("GET", "/arenden?after=garbage", nil).Code, http.StatusOK)
		})

		t.Run("the manager's office list and re-assignment", func(t *testing.T) {
			chef := signedIn(t, s, "chef", "demo")
			rec := chef.Do("GET", "/arenden", nil)
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/arenden/kontor" {
				t.Fatalf("manager at /arenden: %d %s", rec.Code, rec.Header().Get("Location"))
			}
			body := chef.Do("GET", "/arenden/kontor", nil).Body.String()
			got := listedCases(body)
			slices.Sort(got)
			want := []int64{f.Mine, f.Protected, f.Unassigned}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("the office list: %v, want %v (not the other office's %d)", got, want, f.Elsewhere)
			}
			if !strings.Contains(body, "Skyddad identitet") || strings.Contains(body, "Sara Skyddad") {
				t.Error("the manager sees a protected person's name")
			}
			// The other office: 404 for an office-bound manager.
			statusIs(t, "other office", chef.Do("GET", "/arenden/kontor?scope=office-"+itoa(f.Other), nil).Code, http.StatusNotFound)
			statusIs(t, "a customer group", chef.Do("GET", "/arenden/kontor?group=1", nil).Code, http.StatusNotFound)
			statusIs(t, "case worker", worker.Do("GET", "/arenden/kontor", nil).Code, http.StatusForbidden)

			// Give the unassigned case to hw-kollega.
			version := itoa(int64(caseVersionOf(t, st, f.Unassigned)))
			back := "/arenden/kontor?overdue=1"
			rec = chef.Do("POST", "/arenden/"+itoa(f.Unassigned)+"/tilldela", url.Values{"version": {version}, "user": {itoa(f.Colleague)}, "return": {back}})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != back {
				t.Fatalf("assign: %d %s", rec.Code, rec.Header().Get("Location"))
			}
			c, _ := store.CaseByID(context.Background(), st, f.Unassigned)
			if c.AssignedUserID != f.Colleague {
				t.Fatalf("assigned to %d", c.AssignedUserID)
			}
			if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'chef' AND action = 'assign_case' AND resource_id = $1 AND purpose = $2 AND person_key <> ''",
				itoa(f.Unassigned), "from=0 to="+itoa(f.Colleague)); n != 1 {
				t.Errorf("%d assign_case entries", n)
			}
			// The same form again: its version is stale. 409, nothing written.
			rec = chef.Do("POST", "/arenden/"+itoa(f.Unassigned)+"/tilldela", url.Values{"version": {version}, "user": {itoa(f.Worker)}, "return": {back}})
			statusIs(t, "stale assign", rec.Code, http.StatusConflict)
			if !strings.Contains(rec.Body.String(), "Ärendet har ändrats av någon annan") {
				t.Error("no conflict message")
			}
			if c, _ := store.CaseByID(context.Background(), st, f.Unassigned); c.AssignedUserID != f.Colleague {
				t.Error("a stale re-assignment was written")
			}
			// A case worker of another office: refused.
			rec = chef.Do("POST", "/arenden/"+itoa(f.Unassigned)+"/tilldela", url.Values{"version": {itoa(int64(c.Version))}, "user": {itoa(f.OtherWorker)}})
			statusIs(t, "another office's case worker", rec.Code, http.StatusUnprocessableEntity)
			// Another office's case: 404. A case worker: 403.
			rec = chef.Do("POST", "/arenden/"+itoa(f.Elsewhere)+"/tilldela", url.Values{"version": {"1"}, "user": {""}})
			statusIs(t, "another office's case", rec.Code, http.StatusNotFound)
			rec = worker.Do("POST", "/arenden/"+itoa(f.Unassigned)+"/tilldela", url.Values{"version": {"1"}, "user": {itoa(f.Worker)}})
			statusIs(t, "a case worker re-assigns", rec.Code, http.StatusForbidden)
			// An address of another site is not followed.
			c, _ = store.CaseByID(context.Background(), st, f.Unassigned)
			rec = chef.Do("POST", "/arenden/"+itoa(f.Unassigned)+"/tilldela", url.Values{"version": {itoa(int64(c.Version))}, "user": {""}, "return": {"https://evil.example/"}})
			if rec.Header().Get("Location") != "/arenden/kontor" {
				t.Errorf("return to %q", rec.Header().Get("Location"))
			}
		})

		t.Run("moving a case to another office", func(t *testing.T) {
			chef := signedIn(t, s, "chef", "demo")
			path := "/arenden/" + itoa(f.Mine)
			page := chef.Do("GET", path, nil).Body.String()
			if !strings.Contains(page, `action="`+path+`/kontor"`) || !strings.Contains(page, `<option value="`+itoa(f.Other)+`">`) ||
				strings.Contains(page, `<option value="`+itoa(f.Visby)+`">Lokalt försäkringscenter`) {
				t.Fatal("the case page lacks the move form with the other offices (and only those)")
			}
			// No office is chosen before the manager chooses one.
			if !strings.Contains(page, `<option value="" selected>Välj kontor</option>`) || strings.Contains(page, `<option value="`+itoa(f.Other)+`" selected>`) {
				t.Error("the move form starts on an office")
			}
			version := itoa(int64(caseVersionOf(t, st, f.Mine)))
			// Its own office, or no office: 422, nothing written.
			for office, message := range map[string]string{itoa(f.Visby): "Välj ett annat av Försäkringskassans kontor",
				"": "Välj det kontor ärendet ska flyttas till.", "999999": "Välj ett annat av Försäkringskassans kontor"} {
				rec := chef.Do("POST", path+"/kontor", url.Values{"version": {version}, "office": {office}, "confirm": {"1"}})
				statusIs(t, "move to "+office, rec.Code, http.StatusUnprocessableEntity)
				if body := rec.Body.String(); !strings.Contains(body, `<a href="#move-office">Kontor: `+message) || !strings.Contains(body, `aria-describedby="move-office-error"`) {
					t.Errorf("move to %q: no field message", office)
				}
			}
			statusIs(t, "a case worker moves", worker.Do("POST", path+"/kontor", url.Values{"version": {version}, "office": {itoa(f.Other)}}).Code, http.StatusForbidden)
			// A valid choice is asked about first, and nothing moves.
			ask := chef.Do("POST", path+"/kontor", url.Values{"version": {version}, "office": {itoa(f.Other)}})
			if body := ask.Body.String(); ask.Code != http.StatusOK || !strings.Contains(body, "<h1>Flytta ärendet?</h1>") ||
				!strings.Contains(body, "Ja, flytta ärendet") || !strings.Contains(body, `name="office" value="`+itoa(f.Other)+`"`) {
				t.Errorf("move without confirmation: %d, no confirmation page", ask.Code)
			}
			if c, _ := store.CaseByID(context.Background(), st, f.Mine); c.OfficeID != f.Visby || itoa(int64(c.Version)) != version {
				t.Fatal("a refused or unconfirmed move was written")
			}
			rec := chef.Do("POST", path+"/kontor", url.Values{"version": {version}, "office": {itoa(f.Other)}, "confirm": {"1"}})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/arenden/kontor" {
				t.Fatalf("move: %d %s", rec.Code, rec.Header().Get("Location"))
			}
			// The office list it returns to says so, once.
			if page := chef.Do("GET", "/arenden/kontor", nil).Body.String(); !strings.Contains(page, "Ärendet är flyttat.") {
				t.Error("the office list after a move does not say the case was moved")
			}
			if page := chef.Do("GET", "/arenden/kontor", nil).Body.String(); strings.Contains(page, "Ärendet är flyttat.") {
				t.Error("the office list says the case was moved again")
			}
			c, _ := store.CaseByID(context.Background(), st, f.Mine)
			if c.OfficeID != f.Other || c.AssignedUserID != 0 {
				t.Errorf("moved case: office %d assigned %d, want office %d and nobody", c.OfficeID, c.AssignedUserID, f.Other)
			}
			if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'chef' AND action = 'move_case' AND resource_id = $1 AND purpose = $2",
				itoa(f.Mine), "from_office="+itoa(f.Visby)+" to_office="+itoa(f.Other)); n != 1 {
				t.Errorf("%d move_case entries", n)
			}
			// Gone from Visby: its manager and case worker no longer see it,
			// the other office's case worker does.
			statusIs(t, "Visby's manager after the move", chef.Do("GET", path, nil).Code, http.StatusNotFound)
			statusIs(t, "Visby's case worker after the move", worker.Do("GET", path, nil).Code, http.StatusNotFound)
			if rec := signedIn(t, s, "hw-annat", casesPassword).Do("GET", path+"?syfte=colleague", nil); rec.Code != http.StatusOK {
				t.Errorf("the new office's case worker: %d", rec.Code)
			}
			// The same form again: stale and no longer Visby's.
			statusIs(t, "move again", chef.Do("POST", path+"/kontor", url.Values{"version": {version}, "office": {itoa(f.Visby)}}).Code, http.StatusNotFound)
		})

		t.Run("English", func(t *testing.T) {
			body := worker.Do("GET", "/arenden?lang=en", nil).Body.String()
			for _, want := range []string{"My cases", "Next deadline", "Return-to-work plan", "Overdue"} {
				if !strings.Contains(body, want) {
					t.Errorf("the English worklist lacks %q", want)
				}
			}
		})
	})
}
func TestWorklistNavigation(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, _ := casesSetup(t, st)
	s.ShownTo(t, "/account", `href="/arenden"`,
		map[string]bool{"handlaggare": true, "chef": true, "samordnare-af": false, "admin": false, "styrelse": false})
}
