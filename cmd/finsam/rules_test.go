package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const contractSample = `{"date":"2014-06-30","employment":"employee","annual_income":300000,"periods":[{"from":"2014-01-01","degree":100}]}`

func golden(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "rules", "testdata", "evaluate", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRulesEvaluatePrintsEveryFieldAsOneLine(t *testing.T) {
	code, out, errOut := finsamIn(t, contractSample, "rules", "evaluate")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
		t.Fatalf("want one line of JSON, got %q", out)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"date", "sick", "chain_day", "chain_phase", "payer", "level", "time_limit_reached",
		"frame_days", "sgi", "full_daily_amount", "daily_amount", "milestones", "trace"} {
		if _, ok := got[f]; !ok {
			t.Errorf("output lacks %q", f)
		}
	}
	// The worked example in rules/testdata is the reference answer.
	var want map[string]any
	if err := json.Unmarshal(golden(t, "contract-sample.output.json"), &want); err != nil {
		t.Fatal(err)
	}
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if !bytes.Equal(gotJSON, wantJSON) {
		t.Errorf("output differs from the golden file:\n got %s\nwant %s", gotJSON, wantJSON)
	}
}

func TestRulesEvaluateExplainIsTheSwedishText(t *testing.T) {
	code, out, _ := finsamIn(t, contractSample, "rules", "evaluate", "--explain")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if want := string(golden(t, "contract-sample.explain.txt")); out != want {
		t.Errorf("--explain differs from the golden explanation:\n%s", out)
	}
}

func TestRulesEvaluateBadInputIsAnErrorObjectOnStdoutAndExit1(t *testing.T) {
	tests := []struct {
		name, input, code, field string
	}{
		{"malformed JSON", `{"date":`, "invalid_json", ""},
		{"empty input", "", "invalid_json", ""},
		{"impossible date", `{"date":"2014-13-40"}`, "invalid_date", "date"},
		{"unknown employment", `{"date":"2014-06-30","employment":"pirate","annual_income":1,"periods":[]}`, "unknown_employment", "employment"},
		{"bad degree", `{"date":"2014-06-30","employment":"employee","annual_income":1,"periods":[{"from":"2014-01-01","degree":30}]}`, "invalid_degree", "periods[0].degree"},
		{"to before from", `{"date":"2014-06-30","employment":"employee","annual_income":1,"periods":[{"from":"2014-01-01","to":"2013-12-31","degree":100}]}`, "period_to_before_from", "periods[0].to"},
		{"overlapping periods", `{"date":"2014-06-30","employment":"employee","annual_income":1,"periods":[{"from":"2014-01-01","degree":100},{"from":"2014-02-01","degree":50}]}`, "overlapping_periods", "periods[1].from"},
		{"date out of range", `{"date":"2031-01-01","employment":"employee","annual_income":1,"periods":[]}`, "date_out_of_range", "date"},
		{"negative income", `{"date":"2014-06-30","employment":"employee","annual_income":-1,"periods":[]}`, "negative_income", "annual_income"},
		{"too large", `{"date":"2014-06-30","employment":"employee","annual_income":1,"periods":[]}` + strings.Repeat(" ", 70000), "too_large", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := finsamIn(t, tc.input, "rules", "evaluate")
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if errOut != "" {
				t.Errorf("stderr %q, want nothing: the error object is the answer", errOut)
			}
			var got struct {
				Error *struct {
					Code, Message string
					Field         *string
				}
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil || got.Error == nil {
				t.Fatalf("stdout is not an error object: %q (%v)", out, err)
			}
			if got.Error.Code != tc.code || got.Error.Field == nil || *got.Error.Field != tc.field || got.Error.Message == "" {
				t.Errorf("got %s, want code %s field %q", out, tc.code, tc.field)
			}
		})
	}
}

func TestRulesBatchKeepsOrderAndGoesOnAfterABadLine(t *testing.T) {
	unemployed := `{"date":"2015-06-30","employment":"unemployed","annual_income":300000,"periods":[{"from":"2014-01-01","degree":50}]}`
	in := contractSample + "\n" + "not json\n" + "\n" + unemployed + "\n" + `{"date":"2014-02-30"}`
	code, out, errOut := finsamIn(t, in, "rules", "batch")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("want 5 output lines for 5 input lines, got %d:\n%s", len(lines), out)
	}
	want := []struct{ key, value string }{
		{"chain_day", "181"}, {"error", "invalid_json"}, {"error", "invalid_json"}, {"chain_day", "546"}, {"error", "invalid_date"},
	}
	for i, w := range want {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(lines[i]), &m); err != nil {
			t.Fatalf("line %d is not JSON: %s", i+1, lines[i])
		}
		got := string(m[w.key])
		if w.key == "error" {
			var e struct{ Code string }
			json.Unmarshal(m["error"], &e)
			got = e.Code
		}
		if got != w.value {
			t.Errorf("line %d: %s = %s, want %s (%s)", i+1, w.key, got, w.value, lines[i])
		}
	}
	// With the trace by default, and the same bytes as evaluate.
	_, single, _ := finsamIn(t, contractSample, "rules", "evaluate")
	if lines[0]+"\n" != single {
		t.Errorf("batch and evaluate differ for the same input:\nbatch    %s\nevaluate %s", lines[0], single)
	}
}

func TestRulesBatchNoTraceDropsTheTrace(t *testing.T) {
	_, out, _ := finsamIn(t, contractSample+"\n", "rules", "batch", "--no-trace")
	if !strings.Contains(out, `"trace":[]`) || strings.Contains(out, "prisbasbelopp") {
		t.Fatalf("--no-trace output still has a trace: %s", out)
	}
}

func TestRulesParamsListsPrisbasbeloppWithItsSource(t *testing.T) {
	code, out, _ := finsamIn(t, "", "rules", "params")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var row string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "prisbasbelopp ") && strings.Contains(l, "2026-01-01") {
			row = l
		}
	}
	if row == "" {
		t.Fatalf("no prisbasbelopp row for 2026:\n%s", out)
	}
	for _, want := range []string{"2026-12-31", "59200", "kr", "SFB 2 kap. 6–7 §§", "regeringen.se"} {
		if !strings.Contains(row, want) {
			t.Errorf("prisbasbelopp 2026 row lacks %q: %s", want, row)
		}
	}
	if !strings.HasPrefix(out, "PARAMETER") || !strings.Contains(strings.SplitN(out, "\n", 2)[0], "SOURCE") {
		t.Errorf("table has no header naming the source column: %s", strings.SplitN(out, "\n", 2)[0])
	}

	code, out, _ = finsamIn(t, "", "rules", "params", "--json")
	if code != 0 {
		t.Fatalf("--json: exit %d", code)
	}
	var rows []struct {
		Name, From, Value, Unit, Ref, Source, Note string
		To                                         *string
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	var found, open bool
	for _, r := range rows {
		if r.Name == "prisbasbelopp" && r.From == "2026-01-01" && r.Value == "59200" && r.Source != "" && r.Ref != "" {
			found = true
		}
		if r.To == nil {
			open = true
		}
	}
	if !found || !open {
		t.Errorf("--json lacks prisbasbelopp 2026 with source (%v) or an open-ended value as null (%v)", found, open)
	}
}

func TestRulesUsage(t *testing.T) {
	checkUsage(t, []usageCase{
		{[]string{"rules"}, 2, "", "Usage: finsam rules"},
		{[]string{"rules", "--help"}, 0, "rules evaluate", ""},
		{[]string{"rules", "nonsense"}, 2, "", `unknown subcommand "nonsense"`},
		{[]string{"rules", "evaluate", "--help"}, 0, "--explain", ""},
		{[]string{"rules", "batch", "--help"}, 0, "JSON Lines", ""},
		{[]string{"rules", "params", "--help"}, 0, "paragraph in the law", ""},
		{[]string{"rules", "evaluate", "--bogus"}, 2, "", "flag provided but not defined"},
		{[]string{"rules", "batch", "--bogus"}, 2, "", "Usage: finsam rules batch"},
		{[]string{"rules", "params", "extra"}, 2, "", "unexpected argument"},
	})
}

// Every worked example of package rules comes out as its golden output made
// compact: the same bytes the API test in package web expects.
func TestRulesEvaluateGivesTheGoldenOutputsByteForByte(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("..", "..", "rules", "testdata", "evaluate", "*.input.json"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, p := range inputs {
		name := strings.TrimSuffix(filepath.Base(p), ".input.json")
		in := golden(t, name+".input.json")
		var want bytes.Buffer
		if err := json.Compact(&want, golden(t, name+".output.json")); err != nil {
			t.Fatal(err)
		}
		want.WriteByte('\n')
		if code, out, _ := finsamIn(t, string(in), "rules", "evaluate"); code != 0 || out != want.String() {
			t.Errorf("%s: exit %d\n got %s\nwant %s", name, code, out, want.String())
		}
	}
}

// A value stored with 'rules params set' is listed with --stored; a bad
// one prints its problems with stable codes and stores nothing.
func TestRulesParamsSetStoresAValueAndRefusesBadOnes(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := finsam(t, nil, "migrate", "up", "--data", dir); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	code, out, errOut := finsam(t, nil, "rules", "params", "set", "--data", dir, "--name", "prisbasbelopp", "--from", "2028-01-01",
		"--value", "-60500")
	if code != 1 || !strings.Contains(out, `{"error":{"code":"missing_source","message":`) || !strings.Contains(out, `"code":"negative_value"`) {
		t.Fatalf("bad value: %d %q %q", code, out, errOut)
	}
	code, out, errOut = finsam(t, nil, "rules", "params", "set", "--data", dir, "--name", "prisbasbelopp", "--from", "2028-01-01",
		"--value", "60500", "--source", "SFS 2027:999")
	if code != 0 || !strings.Contains(out, "stored prisbasbelopp = 60500 from 2028-01-01") {
		t.Fatalf("set: %d %q %q", code, out, errOut)
	}
	code, out, _ = finsam(t, nil, "rules", "params", "--stored", "--data", dir)
	var row string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "prisbasbelopp ") && strings.Contains(l, "2028-01-01") {
			row = l
		}
	}
	if code != 0 || !strings.Contains(row, "2028-12-31") || !strings.Contains(row, "SFS 2027:999") || !strings.HasSuffix(strings.TrimSpace(row), "stored") {
		t.Errorf("--stored: %d row %q", code, row)
	}
	// Without --stored only the built-in values are listed.
	if _, out, _ := finsam(t, nil, "rules", "params", "--data", dir); strings.Contains(out, "SFS 2027:999") {
		t.Error("the stored value is listed without --stored")
	}
}

func TestRulesScenariosAreStoredListedAndEvaluated(t *testing.T) {
	dir := t.TempDir()
	finsam(t, nil, "migrate", "up", "--data", dir)
	file := filepath.Join(dir, "cap.json")
	os.WriteFile(file, []byte(`{"name": "SGI cap 12 pbb", "description": "A higher cap",
		"params": [{"name": "sgi_cap_pbb", "values": [{"from": "2022-01-01", "value": "12.0"}]}]}`), 0o644)
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"name": "x", "params": [{"name": "karensvecka", "values": [{"from": "2022-01-01", "value": "7"}]}]}`), 0o644)

	if code, out, _ := finsam(t, nil, "rules", "scenarios", "add", bad, "--data", dir); code != 1 || !strings.Contains(out, `"code":"unknown_parameter","message":"no parameter is called \"karensvecka\"","field":"params[0].name"`) {
		t.Errorf("bad scenario: %d %q", code, out)
	}
	if code, out, errOut := finsam(t, nil, "rules", "scenarios", "add", file, "--data", dir); code != 0 || !strings.Contains(out, `stored scenario "SGI cap 12 pbb"`) {
		t.Fatalf("add: %d %q %q", code, out, errOut)
	}
	code, out, _ := finsam(t, nil, "rules", "scenarios", "--data", dir)
	if code != 0 || !strings.Contains(out, "SGI cap 12 pbb") || !strings.Contains(out, "sgi_cap_pbb=12.0") || strings.Contains(out, "karensvecka") {
		t.Errorf("list: %d %q", code, out)
	}

	in := `{"date":"2024-03-01","employment":"employee","annual_income":1000000,"periods":[]}`
	code, out, _ = finsamIn(t, in, "rules", "evaluate", "--scenario", file)
	if code != 0 || !strings.Contains(out, `"sgi":687600`) || !strings.Contains(out, `{"step":"scenario_override","ref":"scenario: SGI cap 12 pbb","value":"sgi_cap_pbb = 12.0 (2022-01-01–)"}`) {
		t.Errorf("evaluate --scenario: %d %s", code, out)
	}
	if code, out, _ = finsamIn(t, in, "rules", "evaluate", "--scenario", bad); code != 1 || !strings.Contains(out, `"code":"unknown_parameter"`) {
		t.Errorf("evaluate with a bad scenario: %d %s", code, out)
	}
}
