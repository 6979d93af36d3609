package cases_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

// prevPage finds a worklist's link to the preceding page; the link's
// address is the first submatch.
var prevPage = pageLink("before")

func TestWorklistOrdersPagesAndExport(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := casesSetup(t, st)
		worker := signedIn(t, s, "hw-visby", casesPassword)
		ctx := context.Background()

		t.Run("every order is the stored one, without groups", func(t *testing.T) {
			for _, tc := range []struct {
				sort string
				key  func(c store.Case) int
			}{
				{"degree", func(c store.Case) int { return c.Degree }},
				{"chain_day", func(c store.Case) int { return c.ChainDay }},
				{"warnings", func(c store.Case) int { return c.WarningCount }},
			} {
				for _, order := range []string{"asc", "desc"} {
					body := worker.Do("GET", "/arenden?sort="+tc.sort+"&order="+order, nil).Body.String()
					var keys []int
					for _, id := range listedCases(body) {
						c, _ := store.CaseByID(ctx, st, id)
						keys = append(keys, tc.key(c))
					}
					if order == "desc" {
						slices.Reverse(keys)
					}
					if len(keys) != 2 || !slices.IsSorted(keys) {
						t.Errorf("%s %s: keys %v", tc.sort, order, keys)
					}
					if strings.Contains(body, `finsam-wl-group`) || !strings.Contains(body, "Listan är inte grupperad") {
						t.Errorf("%s %s: due groups in another order", tc.sort, order)
					}
					aria := map[string]string{"asc": "ascending", "desc": "descending"}[order]
					if !strings.Contains(body, `aria-sort="`+aria+`"`) {
						t.Errorf("%s %s: no aria-sort=%s", tc.sort, order, aria)
					}
				}
			}
			body := worker.Do("GET", "/arenden?sort=name", nil).Body.String()
			if !strings.Contains(body, "en sorteringsordning som inte finns") {
				t.Error("an unknown order is not reported")
			}
			// A cursor of another order is a problem, not a page.
			body = worker.Do("GET", "/arenden?sort=degree&after=2026-01-01.1", nil).Body.String()
			if !strings.Contains(body, "en sida som inte finns") {
				t.Error("a date cursor in the order by degree is used")
			}
		})

		t.Run("previous and next pages, with the page count", func(t *testing.T) {
			for _, sort := range []string{"", "sort=degree&order=desc&"} {
				body := worker.Do("GET", "/arenden?"+sort+"limit=1", nil).Body.String()
				first := listedCases(body)
				if !strings.Contains(body, "Sida 1 av 2") || prevPage.MatchString(body) {
					t.Errorf("%s page 1: no count or a previous link", sort)
				}
				body = followPage(t, worker, nextPage, body, sort+": no next page")
				if !strings.Contains(body, "Sida 2 av 2") {
					t.Errorf("%s page 2: no count", sort)
				}
				body = followPage(t, worker, prevPage, body, sort+" page 2: no previous page")
				if got := listedCases(body); !slices.Equal(got, first) || !strings.Contains(body, "Sida 1 av 2") {
					t.Errorf("%s back: %v, want %v", sort, got, first)
				}
			}
		})

		t.Run("CSV export of the rows shown, audited as one list", func(t *testing.T) {
			body := worker.Do("GET", "/arenden?phase=1-90", nil).Body.String()
			if !strings.Contains(body, `href="/arenden.csv?phase=1-90"`) {
				t.Fatal("no export link with the page's filter")
			}
			rec := worker.Do("GET", "/arenden.csv?phase=1-90", nil)
			statusIs(t, "export", rec.Code, http.StatusOK)
			csv := rec.Body.String()
			if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") || !strings.Contains(csv, "Personnummer") ||
				!strings.Contains(csv, "19700101-9801") || strings.Count(csv, "\r\n") != 2 {
				t.Errorf("export:\n%s", csv)
			}
			if n := webtest.Count(t, st, `SELECT count(*) FROM audit_persons p JOIN audit_log l ON l.seq = p.seq
				WHERE l.actor_name = 'hw-visby' AND l.action = 'export_cases' AND l.resource_id = '/arenden.csv'`); n != 1 {
				t.Errorf("the export names %d persons, want the one exported", n)
			}
			// A manager's export of the office, with the case worker column.
			chef := signedIn(t, s, "chef", "demo")
			rec = chef.Do("GET", "/arenden.csv", nil)
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/arenden/kontor.csv" {
				t.Errorf("a manager's export of their own cases: %d %s", rec.Code, rec.Header().Get("Location"))
			}
			rec = chef.Do("GET", "/arenden/kontor.csv", nil)
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Handläggare") || strings.Count(rec.Body.String(), "\r\n") != 4 {
				t.Errorf("office export: %d\n%s", rec.Code, rec.Body.String())
			}
			statusIs(t, "another office's export", chef.Do("GET", "/arenden/kontor.csv?scope=office-"+itoa(f.Other), nil).Code, http.StatusNotFound)
			statusIs(t, "a case worker's office export", worker.Do("GET", "/arenden/kontor.csv", nil).Code, http.StatusForbidden)
		})
	})
}

func TestBulkAssignment(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := casesSetup(t, st)
		ctx := context.Background()
		chef := signedIn(t, s, "chef", "demo")
		pick := func(id int64) string { return itoa(id) + "." + itoa(int64(caseVersionOf(t, st, id))) }
		assignee := func(id int64) int64 { c, _ := store.CaseByID(ctx, st, id); return c.AssignedUserID }
		audits := func() int {
			return webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'chef' AND action = 'assign_case'")
		}

		body := chef.Do("GET", "/arenden/kontor", nil).Body.String()
		for _, want := range []string{`action="/arenden/kontor/tilldela"`, `name="case" value="` + pick(f.Unassigned) + `"`,
			`<option value="">Välj handläggare</option>`, "Handläggarnas öppna ärenden", "Bara ärenden utan handläggare"} {
			if !strings.Contains(body, want) {
				t.Errorf("the office list lacks %q", want)
			}
		}
		if strings.Contains(body, " selected>") && regexp.MustCompile(`id="bulk-user"[^>]*>[^/]*selected`).MatchString(body) {
			t.Error("a case worker is chosen beforehand")
		}
		if got := listedCases(chef.Do("GET", "/arenden/kontor?unassigned=1", nil).Body.String()); !slices.Equal(got, []int64{f.Unassigned}) {
			t.Errorf("unassigned: %v", got)
		}

		// Refused before anything is written: another office's case among
		// the chosen (404), a case worker of another office (422), nobody
		// chosen (422), no case (422), a case worker (403).
		for _, tc := range []struct {
			label  string
			who    *browser
			form   url.Values
			status int
		}{
			{"another office's case", chef, url.Values{"case": {pick(f.Unassigned), pick(f.Elsewhere)}, "user": {itoa(f.Colleague)}}, http.StatusNotFound},
			{"another office's case worker", chef, url.Values{"case": {pick(f.Unassigned)}, "user": {itoa(f.OtherWorker)}}, http.StatusUnprocessableEntity},
			{"no case worker", chef, url.Values{"case": {pick(f.Unassigned)}, "user": {""}}, http.StatusUnprocessableEntity},
			{"no case", chef, url.Values{"user": {itoa(f.Colleague)}}, http.StatusUnprocessableEntity},
			{"a case worker", signedIn(t, s, "hw-visby", casesPassword), url.Values{"case": {pick(f.Unassigned)}, "user": {itoa(f.Worker)}}, http.StatusForbidden},
		} {
			statusIs(t, tc.label, tc.who.Do("POST", "/arenden/kontor/tilldela", tc.form).Code, tc.status)
			if assignee(f.Unassigned) != 0 || audits() != 0 {
				t.Fatalf("%s: written", tc.label)
			}
		}

		// Two cases to hw-kollega; one audit entry each.
		back := "/arenden/kontor?overdue=1"
		stale := pick(f.Mine)
		rec := chef.Do("POST", "/arenden/kontor/tilldela", url.Values{"case": {pick(f.Unassigned), pick(f.Mine)}, "user": {itoa(f.Colleague)}, "return": {back}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/arenden/kontor?assigned=2&overdue=1" {
			t.Fatalf("bulk assign: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		if assignee(f.Unassigned) != f.Colleague || assignee(f.Mine) != f.Colleague || audits() != 2 {
			t.Fatalf("assigned to %d and %d, %d entries", assignee(f.Unassigned), assignee(f.Mine), audits())
		}
		if !strings.Contains(chef.Do("GET", rec.Header().Get("Location"), nil).Body.String(), "2 ärenden tilldelades.") {
			t.Error("no message of the assignment")
		}
		// A stale version: that case is left, the other is given away.
		rec = chef.Do("POST", "/arenden/kontor/tilldela", url.Values{"case": {stale, pick(f.Protected)}, "user": {itoa(f.Colleague)}, "return": {back}})
		statusIs(t, "stale", rec.Code, http.StatusConflict)
		if !strings.Contains(rec.Body.String(), "Ärende "+itoa(f.Mine)) || !strings.Contains(rec.Body.String(), "1 ärenden tilldelades") {
			t.Errorf("the stale case is not named")
		}
		if assignee(f.Protected) != f.Colleague || audits() != 3 {
			t.Errorf("the fresh case: assigned to %d, %d entries", assignee(f.Protected), audits())
		}
	})
}
