package cases_test

import (
	"context"
	"encoding/json"
	"github.com/finsam/finsam/web"
	"github.com/finsam/finsam/web/cases"
	"github.com/finsam/finsam/web/internal/webtest"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
)

// apiDo sends a JSON request as the browser's signed-in user.
func apiDo(b *browser, method, path, body string) (int, map[string]any) {
	var rec = b.Do(method, path, nil)
	if body != "" {
		rec = b.DoBody(method, path, body, "application/json")
	}
	var out map[string]any
	json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}

// fieldCodes are the field codes of a 422 answer, "field:code" each.
func fieldCodes(out map[string]any) []string {
	var codes []string
	e, _ := out["error"].(map[string]any)
	fs, _ := e["fields"].([]any)
	for _, f := range fs {
		m := f.(map[string]any)
		codes = append(codes, m["field"].(string)+":"+m["code"].(string))
	}
	return codes
}

func errorCode(out map[string]any) string {
	e, _ := out["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestCasesAPI(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s, f := casesSetup(t, st)
		ctx := context.Background()
		worker := signedIn(t, s, "hw-visby", casesPassword)
		base := "/api/v1/cases/" + itoa(f.Mine)

		t.Run("the worklist with filters and cursor", func(t *testing.T) {
			code, out := apiDo(worker, "GET", "/api/v1/cases?limit=1", "")
			statusIs(t, "list", code, http.StatusOK)
			cases := out["cases"].([]any)
			if len(cases) != 1 || out["count"].(float64) != 2 || out["next_cursor"] == nil {
				t.Fatalf("page 1: %v", out)
			}
			first := cases[0].(map[string]any)
			code, out = apiDo(worker, "GET", "/api/v1/cases?limit=1&cursor="+out["next_cursor"].(string), "")
			second := out["cases"].([]any)[0].(map[string]any)
			if code != 200 || second["id"] == first["id"] || out["next_cursor"] != nil {
				t.Errorf("page 2: %d %v", code, out)
			}
			_, out = apiDo(worker, "GET", "/api/v1/cases?phase=1-90", "")
			cs := out["cases"].([]any)
			if len(cs) != 1 || cs[0].(map[string]any)["id"].(float64) != float64(f.Mine) {
				t.Fatalf("phase filter: %v", out)
			}
			c := cs[0].(map[string]any)
			if c["chain_day"].(float64) != 84 || c["phase"] != "1-90" || c["next_milestone"].(map[string]any)["kind"] != "day_91" ||
				c["next_deadline"].(map[string]any)["overdue"] != true || c["person"].(map[string]any)["name"] != "Anna Andersson" {
				t.Errorf("case summary %v", c)
			}
			code, out = apiDo(worker, "GET", "/api/v1/cases?phase=x&cursor=y&limit=9999", "")
			if code != http.StatusUnprocessableEntity || !slices.Equal(fieldCodes(out), []string{"phase:unknown_phase", "cursor:invalid_cursor", "limit:invalid_limit"}) {
				t.Errorf("bad query: %d %v", code, fieldCodes(out))
			}
			// A case worker names no office.
			code, _ = apiDo(worker, "GET", "/api/v1/cases?office="+itoa(f.Visby), "")
			statusIs(t, "office by a case worker", code, http.StatusForbidden)
			// The manager's default is the office.
			_, out = apiDo(signedIn(t, s, "chef", "demo"), "GET", "/api/v1/cases", "")
			if out["count"].(float64) != 3 {
				t.Errorf("the manager's list: %v", out["count"])
			}
		})

		t.Run("one case with the result of finsam rules evaluate", func(t *testing.T) {
			code, out := apiDo(worker, "GET", base, "")
			statusIs(t, "case", code, http.StatusOK)
			c, _ := store.CaseByID(ctx, st, f.Mine)
			periods, _ := store.PersonPeriods(ctx, st, c.PersonID, c.FirstDay, c.LastDay)
			in, _ := json.Marshal(cases.RulesInputOf(c, periods, s.Site().Today()))
			want, problem := web.EvaluateRulesJSON(s.Site().Engine(), in)
			if problem != nil {
				t.Fatal(problem)
			}
			got, _ := json.Marshal(out["result"])
			var a, b any
			json.Unmarshal(got, &a)
			json.Unmarshal(want, &b)
			ja, _ := json.Marshal(a)
			jb, _ := json.Marshal(b)
			if string(ja) != string(jb) {
				t.Errorf("result\n%s\nwant\n%s", ja, jb)
			}
			if len(out["deadlines"].([]any)) == 0 || len(out["warnings_detail"].([]any)) == 0 || len(out["periods"].([]any)) != 2 {
				t.Errorf("deadlines, warnings or periods missing: %v", out)
			}
			w := out["warnings_detail"].([]any)[0].(map[string]any)
			if w["reason"] == "" || w["rule"] == "" {
				t.Errorf("warning without reason or rule: %v", w)
			}
			if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'hw-visby' AND action = 'read_case' AND resource_id = $1", itoa(f.Mine)); n != 1 {
				t.Errorf("%d read_case entries", n)
			}
		})

		t.Run("closing a deadline", func(t *testing.T) {
			d := openDeadline(t, st, f.Mine)
			path := base + "/deadlines/" + itoa(d.ID) + "/close"
			v := itoa(int64(caseVersionOf(t, st, f.Mine)))
			code, out := apiDo(worker, "POST", path, `{"note":"klart"}`)
			if code != http.StatusUnprocessableEntity || !slices.Equal(fieldCodes(out), []string{"version:required"}) {
				t.Errorf("no version: %d %v", code, out)
			}
			code, out = apiDo(worker, "POST", path, `{"version":`+v+`,"note":"Avstämt"}`)
			statusIs(t, "close", code, http.StatusOK)
			dl := out["deadline"].(map[string]any)
			if dl["status"] != "done" || dl["closed_by"] != "Vera Visbyhandläggare" || out["version"].(float64) != float64(caseVersionOf(t, st, f.Mine)) {
				t.Errorf("closed: %v", out)
			}
			// The same version again: stale (409) before anything else.
			other := openDeadline(t, st, f.Mine)
			code, out = apiDo(worker, "POST", base+"/deadlines/"+itoa(other.ID)+"/close", `{"version":`+v+`}`)
			if code != http.StatusConflict || errorCode(out) != "stale_version" {
				t.Errorf("stale: %d %v", code, out)
			}
			if openDeadlineByID(t, st, f.Mine, other.ID).Done {
				t.Error("a stale close was written")
			}
			// Closed twice: already_done.
			cur := itoa(int64(caseVersionOf(t, st, f.Mine)))
			code, out = apiDo(worker, "POST", path, `{"version":`+cur+`}`)
			if code != http.StatusUnprocessableEntity || !slices.Equal(fieldCodes(out), []string{"deadline:already_done"}) {
				t.Errorf("twice: %d %v", code, out)
			}
			code, _ = apiDo(worker, "POST", path, `{"version":`+cur+`,"extra":1}`)
			statusIs(t, "unknown field", code, http.StatusBadRequest)
			code, _ = apiDo(worker, "GET", base+"/deadlines", "")
			statusIs(t, "deadlines", code, http.StatusOK)
		})

		t.Run("decisions", func(t *testing.T) {
			v := itoa(int64(caseVersionOf(t, st, f.Mine)))
			code, out := apiDo(worker, "POST", base+"/decisions", `{"version":`+v+`,"outcome":"granted","decided_on":"2026-11-20","paragraph":"SFB 27 kap. 2 §"}`)
			if code != http.StatusUnprocessableEntity || !slices.Equal(fieldCodes(out), []string{"justification:required"}) {
				t.Errorf("no justification: %d %v", code, out)
			}
			code, out = apiDo(worker, "POST", base+"/decisions", `{"version":`+v+`,"outcome":"nope","decided_on":"2026-02-30","paragraph":"","justification":"x"}`)
			if code != http.StatusUnprocessableEntity || !slices.Equal(fieldCodes(out), []string{"outcome:unknown_outcome", "decided_on:invalid_date", "paragraph:required"}) {
				t.Errorf("bad decision: %d %v", code, fieldCodes(out))
			}
			if n := webtest.Count(t, st, "SELECT count(*) FROM case_decisions WHERE case_id = $1", f.Mine); n != 0 {
				t.Fatal("a bad decision was written")
			}
			code, out = apiDo(worker, "POST", base+"/decisions", `{"version":`+v+`,"outcome":"rejected","decided_on":"2026-11-20","paragraph":"SFB 27 kap. 2 §","justification":"Arbetsförmågan är inte nedsatt."}`)
			if code != http.StatusCreated || out["decision"].(map[string]any)["outcome"] != "rejected" {
				t.Errorf("decision: %d %v", code, out)
			}
			_, out = apiDo(worker, "GET", base+"/decisions", "")
			if len(out["decisions"].([]any)) != 1 {
				t.Errorf("decisions: %v", out)
			}
		})

		t.Run("plan actions", func(t *testing.T) {
			v := itoa(int64(caseVersionOf(t, st, f.Mine)))
			code, out := apiDo(worker, "POST", base+"/plan-actions", `{"version":`+v+`,"title":"","owner_org_id":999999,"due":"2026-12-01"}`)
			if code != http.StatusUnprocessableEntity || !slices.Equal(fieldCodes(out), []string{"title:required", "owner_org_id:unknown_org"}) {
				t.Errorf("bad action: %d %v", code, fieldCodes(out))
			}
			code, out = apiDo(worker, "POST", base+"/plan-actions", `{"version":`+v+`,"title":"Arbetsplatsbesök","owner_org_id":`+itoa(f.FK.ID)+`,"due":"2026-12-01"}`)
			if code != http.StatusCreated || out["plan_action"].(map[string]any)["status"] != "planned" {
				t.Errorf("action: %d %v", code, out)
			}
			_, out = apiDo(worker, "GET", base+"/plan-actions", "")
			if len(out["plan_actions"].([]any)) != 1 {
				t.Errorf("actions: %v", out)
			}
		})

		t.Run("access", func(t *testing.T) {
			code, _ := apiDo(signedIn(t, s, "hw-annat", casesPassword), "GET", base, "")
			statusIs(t, "another office", code, http.StatusNotFound)
			code, _ = apiDo(signedIn(t, s, "hw-annat", casesPassword), "POST", base+"/decisions", `{"version":1}`)
			statusIs(t, "another office writes", code, http.StatusNotFound)
			code, _ = apiDo(signedIn(t, s, "chef", "demo"), "POST", base+"/decisions", `{"version":1}`)
			statusIs(t, "manager writes", code, http.StatusForbidden)
			code, _ = apiDo(signedIn(t, s, "admin", "demo"), "GET", "/api/v1/cases", "")
			statusIs(t, "administrator", code, http.StatusForbidden)
			code, _ = apiDo(s.Client(t), "GET", "/api/v1/cases", "")
			statusIs(t, "anonymous", code, http.StatusUnauthorized)
			// A colleague of the office opening a case not assigned to them
			// says why (the purpose prompt, as the page asks).
			colleague := signedIn(t, s, "hw-kollega", casesPassword)
			readsBefore := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'hw-kollega' AND action = 'read_case'")
			code, out := apiDo(colleague, "GET", base, "")
			if code != http.StatusBadRequest || out["error"].(map[string]any)["code"] != "purpose_required" {
				t.Errorf("colleague without a purpose: %d %v, want 400 purpose_required", code, out)
			}
			code, _ = apiDo(colleague, "GET", base+"?purpose=other", "")
			statusIs(t, "other without its text", code, http.StatusBadRequest)
			code, _ = apiDo(colleague, "POST", base+"/decisions", `{"version":1}`)
			statusIs(t, "colleague writes without a purpose", code, http.StatusBadRequest)
			if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'hw-kollega' AND action = 'read_case'"); n != readsBefore {
				t.Errorf("reads refused for want of a purpose were audited as reads: %d → %d", readsBefore, n)
			}
			code, _ = apiDo(colleague, "GET", base+"/deadlines?purpose=substitute", "")
			statusIs(t, "colleague with a purpose", code, http.StatusOK)
			if n := webtest.Count(t, st, "SELECT count(*) FROM audit_log WHERE actor_name = 'hw-kollega' AND action = 'read_case' AND purpose = 'relation=office purpose=substitute'"); n != 1 {
				t.Errorf("%d audit rows of the colleague's read with its purpose, want 1", n)
			}
			rec := worker.DoBody("POST", base+"/decisions", `{"version":1}`, "application/json", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
			statusIs(t, "cross-site", rec.Code, http.StatusForbidden)
			rec = worker.DoBody("POST", base+"/decisions", `version=1`, "application/x-www-form-urlencoded")
			statusIs(t, "not JSON", rec.Code, http.StatusUnsupportedMediaType)
		})
	})
}

// TestCaseResultMatchesCalculatorInput: the case page's input is the
// rules input the calculator takes, so a result can be checked by hand.
func TestCaseResultMatchesCalculatorInput(t *testing.T) {
	st := webtest.Open(t, store.SQLite)
	s, f := casesSetup(t, st)
	c, _ := store.CaseByID(context.Background(), st, f.Mine)
	periods, _ := store.PersonPeriods(context.Background(), st, c.PersonID, c.FirstDay, c.LastDay)
	in := cases.RulesInputOf(c, periods, s.Site().Today())
	b, _ := json.Marshal(in)
	parsed, err := rules.ParseInput(b)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"annual_income":0`) || len(parsed.Periods) != 2 {
		t.Errorf("input %s", b)
	}
}
