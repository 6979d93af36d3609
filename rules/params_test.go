package rules

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// embeddedParams copies the embedded parameter files so that a test can
// break one of them.
func embeddedParams(t *testing.T) fstest.MapFS {
	t.Helper()
	sub, err := fs.Sub(paramFiles, "params")
	if err != nil {
		t.Fatal(err)
	}
	m := fstest.MapFS{}
	names, _ := fs.Glob(sub, "*.json")
	for _, n := range names {
		b, err := fs.ReadFile(sub, n)
		if err != nil {
			t.Fatal(err)
		}
		m[n] = &fstest.MapFile{Data: b}
	}
	return m
}

func TestEmbeddedParametersAreValid(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	// Dates run to three years past the last prisbasbelopp (2027), the
	// newest values carried forward after it.
	first, last := e.DateRange()
	if first != mustDate("2008-07-01") || last != mustDate("2030-12-31") {
		t.Errorf("date range %v – %v", first, last)
	}
	if k := e.KnownUntil(); k != mustDate("2027-12-31") {
		t.Errorf("known until %v", k)
	}
	if e.historyStart != mustDate("2005-01-01") {
		t.Errorf("history start %v", e.historyStart)
	}
	rows := e.Params()
	if len(rows) < 40 {
		t.Fatalf("only %d parameter rows", len(rows))
	}
	for _, r := range rows {
		if r.Ref == "" || r.Source == "" || r.Unit == "" || r.Value == "" || r.From.IsZero() {
			t.Errorf("incomplete row %+v", r)
		}
	}
	// Params returns a copy: changing it must not change the engine.
	rows[0].Value = "changed"
	if e.Params()[0].Value == "changed" {
		t.Error("Params exposes the engine's rows")
	}
}

func TestEveryPrisbasbeloppYearFrom2008To2026IsThere(t *testing.T) {
	e := testEngine(t)
	want := map[int]int64{2008: 41000, 2009: 42800, 2010: 42400, 2011: 42800, 2012: 44000, 2013: 44500, 2014: 44400,
		2015: 44500, 2016: 44300, 2017: 44800, 2018: 45500, 2019: 46500, 2020: 47300, 2021: 47600, 2022: 48300,
		2023: 52500, 2024: 57300, 2025: 58800, 2026: 59200}
	for y, v := range want {
		d, _ := NewDate(y, 7, 1)
		if got := e.pbbFor(d).v; got != v {
			t.Errorf("%d: prisbasbelopp %d, want %d", y, got, v)
		}
	}
}

func TestParameterFilesWithGapsOrOverlapsAreRejected(t *testing.T) {
	cases := []struct {
		name, file, from, to, wantErr string
	}{
		{"gap", "sgi_cap_pbb.json", `"from": "2018-07-01"`, `"from": "2018-07-02"`, "gap"},
		{"overlap", "sgi_cap_pbb.json", `"from": "2018-07-01"`, `"from": "2018-06-30"`, "overlapping"},
		{"open value not last", "rate_normal.json", `"to": "2010-12-31", `, ``, "open-ended"},
		{"missing source", "rate_normal.json", `"source": "SFS 2008:480`, `"source": "", "note": "SFS 2008:480`, "source"},
		{"unknown key", "rate_normal.json", `"source": "SFS 2008:480`, `"sourc": "SFS 2008:480`, "unknown field"},
		{"bad decimal", "rate_normal.json", `"value": "0.80"`, `"value": "0,80"`, "decimal"},
		{"unknown karens rule", "karens_employee.json", `"value": "karensavdrag"`, `"value": "karensvecka"`, "not one of"},
		{"coverage ends before the last prisbasbelopp", "rate_normal.json", `{"from": "2011-01-01", "value": "0.80"`, `{"from": "2011-01-01", "to": "2020-12-31", "value": "0.80"`, "ends"},
		{"prisbasbelopp not a calendar year", "prisbasbelopp.json", `"to": "2008-12-31"`, `"to": "2008-12-30"`, "gap"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := embeddedParams(t)
			s := string(m[c.file].Data)
			if !strings.Contains(s, c.from) {
				t.Fatalf("%s does not contain %q", c.file, c.from)
			}
			m[c.file] = &fstest.MapFile{Data: []byte(strings.Replace(s, c.from, c.to, 1))}
			_, err := newFromFS(m)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("error %v, want one mentioning %q", err, c.wantErr)
			}
		})
	}
	t.Run("missing parameter", func(t *testing.T) {
		m := embeddedParams(t)
		delete(m, "frame_window_days.json")
		if _, err := newFromFS(m); err == nil || !strings.Contains(err.Error(), "missing") {
			t.Errorf("error %v", err)
		}
	})
}
