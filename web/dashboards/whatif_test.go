package dashboards_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/dashboards"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/webtest"
)

const shorterNormalLevel = `{"name": "180 dagar på normalnivå", "params": [{"name": "normal_level_max_days", "values": [{"from": "2008-07-01", "value": "180"}]}]}`

// storeScenario stores the scenario as an administrator would.
func storeScenario(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	if err := st.Tx(ctx, func(tx *store.Tx) error {
		_, err := store.InsertRuleScenario(ctx, tx, store.RuleScenario{Name: "kortare-normalniva", Body: shorterNormalLevel,
			CreatedAt: time.Now(), CreatedBy: "test"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

func postJSON(t *testing.T, c *webtest.Client, target, body string, v any) int {
	t.Helper()
	rec := c.DoBody("POST", target, body, "application/json")
	json.Unmarshal(rec.Body.Bytes(), v)
	return rec.Code
}

// wait polls a run until it is done.
func wait(t *testing.T, c *webtest.Client, id string) dashboards.WhatifStatus {
	t.Helper()
	for range 600 {
		var st dashboards.WhatifStatus
		if code := getJSON(t, c, "/api/v1/dashboards/whatif?run="+id, &st); code != http.StatusOK {
			t.Fatalf("status of %s: %d", id, code)
		}
		if st.Status != "running" {
			return st
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the run did not finish")
	return dashboards.WhatifStatus{}
}

func TestWhatIfRunsInTheBackgroundJoinsAndRefusesBadInput(t *testing.T) {
	webtest.Each(t, func(t *testing.T, st *store.Store) {
		s := caseloadServer(t, st)
		storeScenario(t, st)
		dir := s.SignedIn(t, director)
		before := webtestSnapshot(t, st)

		var first, second dashboards.WhatifStatus
		if code := postJSON(t, dir, "/api/v1/dashboards/whatif", `{"scenario": "kortare-normalniva", "date": "2026-11-23"}`, &first); code != http.StatusAccepted || first.ID == "" {
			t.Fatalf("start: %d %+v", code, first)
		}
		postJSON(t, dir, "/api/v1/dashboards/whatif", `{"scenario": "kortare-normalniva", "date": "2026-11-23"}`, &second)
		if second.ID != first.ID || !second.Joined {
			t.Errorf("the same run asked twice: %s then %s (joined %v)", first.ID, second.ID, second.Joined)
		}
		done := wait(t, dir, first.ID)
		if done.Status != "done" || done.Summary == nil || done.Summary.Cases == 0 || done.Summary.ChangedLevel == 0 ||
			done.Summary.What.CostKr >= done.Summary.Real.CostKr {
			t.Fatalf("run: %+v", done)
		}
		// The same scenario inline is another run, with the same outcome.
		var inline dashboards.WhatifStatus
		postJSON(t, dir, "/api/v1/dashboards/whatif", `{"scenario": `+shorterNormalLevel+`, "date": "2026-11-23"}`, &inline)
		if inline.ID == first.ID {
			t.Error("an inline scenario joined a stored one's run")
		}
		if got := wait(t, dir, inline.ID); got.Summary == nil || got.Summary.Changed != done.Summary.Changed {
			t.Errorf("inline: %+v, stored: %d changed", got, done.Summary.Changed)
		}

		// The office's manager: their own office only.
		chef := s.SignedIn(t, manager)
		if code := getJSON(t, chef, "/api/v1/dashboards/whatif?run="+first.ID, nil); code != http.StatusNotFound {
			t.Errorf("the Visby manager reads the director's run: %d", code)
		}
		var own dashboards.WhatifStatus
		postJSON(t, chef, "/api/v1/dashboards/whatif", `{"scenario": "kortare-normalniva", "date": "2026-11-23"}`, &own)
		if got := wait(t, chef, own.ID); got.Summary == nil || got.Summary.Cases >= done.Summary.Cases || len(got.Summary.ByOffice) != 1 {
			t.Errorf("the Visby manager's run: %+v", got.Summary)
		}

		for _, tc := range []struct{ body, field, code string }{
			{`{"scenario": "finns-inte"}`, "scenario", "unknown"},
			{`{"scenario": ""}`, "scenario", "required"},
			{`{"scenario": {"name": "x", "params": [{"name": "no_such_param", "values": [{"from": "2008-07-01", "value": "1"}]}]}}`, "scenario", ""},
			{`{"scenario": "kortare-normalniva", "date": "2026-02-30"}`, "date", "date"},
			{`{"scenario": "kortare-normalniva", "date": "1999-01-01"}`, "date", "range"},
			{`{"scenario": "kortare-normalniva", "office": 999999}`, "office", "unknown"},
		} {
			var e site.APIErrorBody
			code := postJSON(t, dir, "/api/v1/dashboards/whatif", tc.body, &e)
			if code != http.StatusUnprocessableEntity || len(e.Error.Fields) == 0 || e.Error.Fields[0].Field != tc.field ||
				tc.code != "" && e.Error.Fields[0].Code != tc.code {
				t.Errorf("%s: %d %+v", tc.body, code, e)
			}
		}

		// The page: the form, a run started from it, and its outcome.
		page := dir.Do("GET", "/dashboards/vad-om", nil).Body.String()
		if !strings.Contains(page, `<option value="kortare-normalniva">kortare-normalniva</option>`) {
			t.Error("the form does not offer the stored scenario")
		}
		rec := dir.Do("POST", "/dashboards/vad-om", url.Values{"scenario": {"kortare-normalniva"}, "date": {"2026-11-23"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/dashboards/vad-om?run="+first.ID {
			t.Errorf("the form's run: %d %s, want the joined %s", rec.Code, rec.Header().Get("Location"), first.ID)
		}
		result := dir.Do("GET", rec.Header().Get("Location"), nil).Body.String()
		for _, want := range []string{"Ärenden som ändras", "<dd>" + strconv.Itoa(done.Summary.Changed) + "</dd>", "Per diagnoskapitel", `href="/arenden/`} {
			if !strings.Contains(result, want) {
				t.Errorf("the result lacks %q", want)
			}
		}
		for _, g := range done.Summary.ByOffice {
			if want := `<th scope="row" class="table__column">` + g.Name + `</th>`; g.Name != "" && !strings.Contains(result, want) {
				t.Errorf("the result lacks the office row %q", want)
			}
		}
		if rows := strings.Count(result, `<tr class="table__row"><th scope="row"`); rows < len(done.Summary.ByOffice)+len(done.Summary.ByChapter) {
			t.Errorf("%d group rows, want at least %d offices and %d chapters", rows, len(done.Summary.ByOffice), len(done.Summary.ByChapter))
		}
		bad := dir.Do("POST", "/dashboards/vad-om", url.Values{"scenario": {""}, "date": {"i morgon"}})
		if bad.Code != http.StatusUnprocessableEntity || !strings.Contains(bad.Body.String(), `aria-invalid="true"`) ||
			!strings.Contains(bad.Body.String(), "Välj ett scenario.") {
			t.Errorf("a bad form: %d", bad.Code)
		}
		if after := webtestSnapshot(t, st); !equalSnapshots(before, after) {
			t.Error("what-if runs changed the cases")
		}
	})
}
