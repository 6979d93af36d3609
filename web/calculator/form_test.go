package calculator

import (
	"net/url"
	"testing"

	"github.com/finsam/finsam/rules"
)

func TestCalcFormToInput(t *testing.T) {
	f, submitted := parseCalcForm(url.Values{
		"date": {" 2014-06-30 "}, "employment": {"employee"}, "annual_income": {"300 000 kr"},
		"p2_from": {"2014-01-01"}, "p2_to": {"2014-02-01"}, "p2_degree": {"50"},
		"p4_from": {"2014-03-01"}, "p4_degree": {"100"}, "serious_illness": {"on"},
	})
	if !submitted {
		t.Fatal("not submitted")
	}
	data, rows, errs := f.input()
	if errs != nil {
		t.Fatal(errs)
	}
	want := `{"date":"2014-06-30","employment":"employee","annual_income":300000,"periods":[{"from":"2014-01-01","to":"2014-02-01","degree":50},{"from":"2014-03-01","degree":100}],"serious_illness":true}`
	if string(data) != want {
		t.Errorf("input\n got %s\nwant %s", data, want)
	}
	if len(rows) != 2 || rows[0] != 1 || rows[1] != 3 {
		t.Errorf("rows %v, want [1 3]", rows)
	}
	if _, err := rules.ParseInput(data); err != nil {
		t.Errorf("the engine refuses the form's input: %v", err)
	}
	for path, field := range map[string]string{"date": "date", "periods[0].to": "p2_to", "periods[1].degree": "p4_degree", "periods[2].from": "", "periods": ""} {
		if got := formField(path, rows); got != field {
			t.Errorf("formField(%q) = %q, want %q", path, got, field)
		}
	}
}

func TestParseKronor(t *testing.T) {
	for in, want := range map[string]float64{"300000": 300000, "300 000": 300000, "300\u00a0000 kr": 300000, "1234,5": 1234.5, "0": 0, "−5": -5} {
		if got, ok := parseKronor(in); !ok || got != want {
			t.Errorf("parseKronor(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "tre", "NaN", "Inf", "1e400", "12.3.4"} {
		if _, ok := parseKronor(in); ok {
			t.Errorf("parseKronor(%q) accepted", in)
		}
	}
}
