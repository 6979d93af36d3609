package web

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
)

func init() {
	maps.Copy(routeAccess, map[string]who{
		"GET /regler/parametrar":        everyone,
		"GET /api/v1/rules/parameters":  everyone,
		"GET /api/v1/rules/scenarios":   everyone,
		"GET /admin/regler":             rulesAdmins,
		"POST /admin/regler/varden":     rulesAdmins,
		"POST /admin/regler/scenarier":  rulesAdmins,
		"POST /api/v1/rules/parameters": rulesAdmins,
		"POST /api/v1/rules/scenarios":  rulesAdmins,
	})
}

// set2028 is a situation in 2028, a year the built-in parameters have no
// prisbasbelopp for.
const in2028 = `{"date":"2028-03-01","employment":"employee","annual_income":1000000,"periods":[{"from":"2028-01-10","degree":100}]}`

const calc2028 = "/rakna?date=2028-03-01&employment=employee&annual_income=1000000&p1_from=2028-01-10&p1_degree=100"

func recompute(t *testing.T, s *Server, st *store.Store, day civil.Date) store.RecomputeRun {
	t.Helper()
	rc := casework.Recomputer{Store: st, Engine: s.engine(), Now: s.now}
	run, err := rc.Run(context.Background(), day, "command")
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// A year past the newest parameter the calculator, the API and the
// recompute all answer, provisionally; the administrator's value makes
// them final at the next recompute.
func TestProvisionalUntilTheAdministratorAddsTheValue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, c := demoServer(t, st)
		caseID, _, _ := matrixCase(t, st)
		c.Set(time.Date(2028, 3, 1, 9, 0, 0, 0, time.UTC))
		day := civil.MustParse("2028-03-01")

		body := do(s, "GET", calc2028, nil).Body.String()
		if !strings.Contains(body, "Preliminärt resultat") || !strings.Contains(body, "Prisbasbelopp") {
			t.Errorf("the calculator shows no provisional notice")
		}
		if status, _, out := postRules(s, in2028); status != 200 || !strings.Contains(string(out), `"provisional":["prisbasbelopp"]`) {
			t.Errorf("API: %d %s", status, out)
		}
		run := recompute(t, s, st, day)
		if run.Failed != 0 || run.Provisional == 0 || run.Provisional != run.Processed {
			t.Fatalf("recompute %+v: want every case provisional and none failed", run)
		}
		if body := do(s, "GET", "/metrics", nil).Body.String(); !strings.Contains(body, "finsam_recompute_last_provisional_cases "+strconv.FormatInt(run.Provisional, 10)) {
			t.Error("/metrics lacks the provisional count")
		}
		worker := signedIn(t, s, "handlaggare", "demo")
		if body := worker.Do("GET", "/arenden/"+strconv.FormatInt(caseID, 10)+"?syfte=coordination", nil).Body.String(); !strings.Contains(body, "Preliminärt resultat") {
			t.Errorf("the case page shows no provisional notice")
		}

		admin := signedIn(t, s, "admin", "demo")
		page := admin.Do("GET", "/admin/regler", nil).Body.String()
		if !strings.Contains(page, "bara kända till och med 2027-12-31") || !strings.Contains(page, strconv.FormatInt(run.Provisional, 10)+" ärenden har preliminära resultat") {
			t.Errorf("the admin page does not say the values ran out")
		}
		rec := admin.Do("POST", "/admin/regler/varden", url.Values{"name": {"prisbasbelopp"}, "from": {"2028-01-01"}, "value": {"-60500"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "prisbasbelopp kan inte vara negativt") ||
			!strings.Contains(rec.Body.String(), "ange källan till värdet") || strings.Contains(rec.Body.String(), "negative_value") {
			t.Errorf("bad value: %d", rec.Code)
		}
		if vs, _ := store.RuleParamValues(context.Background(), st); len(vs) != 0 {
			t.Fatal("a refused value was stored")
		}
		rec = admin.Do("POST", "/admin/regler/varden", url.Values{"name": {"prisbasbelopp"}, "from": {"2028-01-01"}, "value": {"60500"},
			"source": {"SFS 2027:999"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/regler?sparat=varde" {
			t.Fatalf("store: %d %s", rec.Code, rec.Body.String())
		}

		if status, _, out := postRules(s, in2028); status != 200 || !strings.Contains(string(out), `"provisional":[]`) || !strings.Contains(string(out), `"sgi":605000`) {
			t.Errorf("API after the value: %d %s", status, out)
		}
		if strings.Contains(do(s, "GET", calc2028, nil).Body.String(), "Preliminärt resultat") {
			t.Error("the calculator still shows the notice")
		}
		run = recompute(t, s, st, day)
		if run.Failed != 0 || run.Provisional != 0 || run.Processed == 0 {
			t.Errorf("second recompute %+v: want every case final", run)
		}
		public := do(s, "GET", "/regler/parametrar", nil).Body.String()
		if !strings.Contains(public, "SFS 2027:999") || !strings.Contains(public, "60\u00a0500 kr") || !strings.Contains(public, "Sparat") {
			t.Error("the parameters page lacks the stored value")
		}
	})
}

// From 1 November the administration page warns that next year's values
// are missing.
func TestTheAdminPageWarnsFromFirstNovember(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, c := demoServer(t, st)
	for _, tc := range []struct {
		now  time.Time
		warn bool
	}{{time.Date(2026, 10, 31, 12, 0, 0, 0, time.UTC), false}, {time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC), false},
		{time.Date(2027, 10, 31, 12, 0, 0, 0, time.UTC), false}, {time.Date(2027, 11, 1, 12, 0, 0, 0, time.UTC), true}} {
		c.Set(tc.now)
		body := signedIn(t, s, "admin", "demo").Do("GET", "/admin/regler", nil).Body.String()
		if got := strings.Contains(body, "Värden för 2028 saknas: Prisbasbelopp."); got != tc.warn {
			t.Errorf("%v: warning shown %v, want %v", tc.now, got, tc.warn)
		}
	}
}

func TestRulesParametersAndScenariosAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s, _ := demoServer(t, st)
		admin := signedIn(t, s, "admin", "demo")
		rec := admin.DoBody("POST", "/api/v1/rules/parameters", `{"name":"rate_normal","from":"2029-01-01","value":"1.5"}`, "application/json")
		var e struct {
			Error APIError `json:"error"`
		}
		json.Unmarshal(rec.Body.Bytes(), &e)
		codes := map[string]string{}
		for _, f := range e.Error.Fields {
			codes[f.Field] = f.Code
		}
		if rec.Code != 422 || codes["value"] != "value_out_of_range" || codes["source"] != "missing_source" {
			t.Errorf("bad value: %d %s", rec.Code, rec.Body.String())
		}
		rec = admin.DoBody("POST", "/api/v1/rules/parameters", `{"name":"prisbasbelopp","from":"2027-01-01","value":"60000","source":"x"}`, "application/json")
		if json.Unmarshal(rec.Body.Bytes(), &e); rec.Code != 422 || e.Error.Code != "builtin_conflict" {
			t.Errorf("same day as a built-in value: %d %s", rec.Code, rec.Body.String())
		}
		rec = admin.DoBody("POST", "/api/v1/rules/parameters", `{"name":"prisbasbelopp","from":"2028-01-01","value":"60500","source":"SFS 2027:999"}`, "application/json")
		if rec.Code != 201 {
			t.Fatalf("store: %d %s", rec.Code, rec.Body.String())
		}
		var list struct {
			KnownUntil string `json:"known_until"`
			Parameters []rules.ParamRow
		}
		json.Unmarshal(do(s, "GET", "/api/v1/rules/parameters", nil).Body.Bytes(), &list)
		last := list.Parameters[0]
		for _, p := range list.Parameters {
			if p.Name == "prisbasbelopp" {
				last = p
			}
		}
		if list.KnownUntil != "2028-12-31" || last.Origin != "stored" || last.Value != "60500" {
			t.Errorf("list: %s %+v", list.KnownUntil, last)
		}

		scenario := `{"name": "SGI cap 12 pbb", "params": [{"name": "sgi_cap_pbb", "values": [{"from": "2022-01-01", "value": "12.0"}]}]}`
		if rec := admin.DoBody("POST", "/api/v1/rules/scenarios", `{"name": "x", "params": [{"name": "karensvecka", "values": [{"from": "2022-01-01", "value": "7"}]}]}`, "application/json"); rec.Code != 422 || !strings.Contains(rec.Body.String(), `"unknown_parameter"`) {
			t.Errorf("unknown parameter: %d %s", rec.Code, rec.Body.String())
		}
		if rec := admin.DoBody("POST", "/api/v1/rules/scenarios", scenario, "application/json"); rec.Code != 201 {
			t.Fatalf("scenario: %d %s", rec.Code, rec.Body.String())
		}
		if body := do(s, "GET", "/api/v1/rules/scenarios", nil).Body.String(); !strings.Contains(body, `"name":"SGI cap 12 pbb"`) || !strings.Contains(body, `"value":"12.0"`) {
			t.Errorf("scenarios: %s", body)
		}
		in := `{"date":"2024-03-01","employment":"employee","annual_income":1000000,"periods":[]}`
		for _, ref := range []string{"SGI cap 12 pbb", scenario} {
			status, _, out := postRulesTo(s, "/api/v1/rules/evaluate?scenario="+url.QueryEscape(ref), in)
			if status != 200 || !strings.Contains(string(out), `"sgi":687600`) || !strings.Contains(string(out), `"step":"scenario_override"`) {
				t.Errorf("scenario %.20s: %d %s", ref, status, out)
			}
		}
		if status, _, out := postRulesTo(s, "/api/v1/rules/evaluate?scenario=nothing", in); status != 422 || !strings.Contains(string(out), `"code":"unknown_scenario"`) {
			t.Errorf("unknown scenario: %d %s", status, out)
		}
		bad := `{"params": [{"name": "karensvecka", "values": [{"from": "2022-01-01", "value": "7"}]}]}`
		if status, _, out := postRulesTo(s, "/api/v1/rules/evaluate?scenario="+url.QueryEscape(bad), in); status != 422 || !strings.Contains(string(out), `"field":"scenario.params[0].name"`) {
			t.Errorf("bad inline scenario: %d %s", status, out)
		}
		// The admin page shows a scenario's problems in words.
		rec = admin.Do("POST", "/admin/regler/scenarier", url.Values{"scenario": {bad}})
		if rec.Code != 422 || !strings.Contains(rec.Body.String(), "parameter 1: det finns ingen parameter som heter &#34;karensvecka&#34;") {
			t.Errorf("admin scenario: %d", rec.Code)
		}
	})
}

func postRulesTo(s *Server, target, body string) (int, string, []byte) {
	rec := do(s, "POST", target, strings.NewReader(body), "Content-Type", "application/json")
	return rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes()
}

const contractSample = `{"date":"2014-06-30","employment":"employee","annual_income":300000,"periods":[{"from":"2014-01-01","degree":100}]}`

func postRules(s *Server, body string) (status int, contentType string, out []byte) {
	return postRulesTo(s, "/api/v1/rules/evaluate", body)
}
