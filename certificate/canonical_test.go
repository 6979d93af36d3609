package certificate

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the reference for Sweden's offsets, in the test binary only
)

func TestCanonicalNormalises(t *testing.T) {
	c := base(t)
	c.Patient.Personnummer = "850412-9829"
	c.Diagnoses[0].Code = "f32.1"
	c.Occupation = []string{OccupationStudies, OccupationCurrentWork}
	c.Basis[0], c.Basis[1] = c.Basis[1], c.Basis[0]
	c.SickLeave[0], c.SickLeave[1] = c.SickLeave[1], c.SickLeave[0]
	c.WorkMeasures = []string{"BESOK_ARBETSPLATS", "ARBETSANPASSNING"}
	c.Other = "rad ett\r\nrad två\rrad tre"
	var got map[string]any
	if err := json.Unmarshal(c.Canonical(), &got); err != nil {
		t.Fatal(err)
	}
	check := func(path string, v, want any) {
		t.Helper()
		a, _ := json.Marshal(v)
		b, _ := json.Marshal(want)
		if !bytes.Equal(a, b) {
			t.Errorf("%s = %s, want %s", path, a, b)
		}
	}
	check("signed_at", got["signed_at"], "2026-03-02T09:15:00Z")
	check("patient", got["patient"], map[string]any{"personnummer": "198504129829"})
	check("diagnoses[0].code", got["diagnoses"].([]any)[0].(map[string]any)["code"], "F321")
	check("occupation", got["occupation"], []string{OccupationCurrentWork, OccupationStudies})
	check("basis[0].type", got["basis"].([]any)[0].(map[string]any)["type"], BasisExamination)
	check("sick_leave[0].degree", got["sick_leave"].([]any)[0].(map[string]any)["degree"], DegreeFull)
	check("work_measures", got["work_measures"], []string{"ARBETSANPASSNING", "BESOK_ARBETSPLATS"})
	check("other", got["other"], "rad ett\nrad två\nrad tre")
	if _, ok := got["relation"]; ok {
		t.Error("relation present without a relation")
	}
	d := base(t)
	d.Other = c.Other
	d.Occupation = []string{OccupationCurrentWork, OccupationStudies}
	if !bytes.Equal(c.Canonical(), d.Canonical()) {
		t.Errorf("reordered lists give another Canonical:\n%s\n%s", c.Canonical(), d.Canonical())
	}
}

func TestCanonicalKeepsTheDiagnosisOrderAndTellsBodiesApart(t *testing.T) {
	a := base(t)
	a.Diagnoses = append(a.Diagnoses, Diagnosis{Code: "G47.0", Text: "Insomni"})
	b := base(t)
	b.Diagnoses = []Diagnosis{{Code: "G47.0", Text: "Insomni"}, a.Diagnoses[0]}
	if bytes.Equal(a.Canonical(), b.Canonical()) {
		t.Fatal("the main diagnosis does not matter to Canonical")
	}
	c := base(t)
	c.ActivityLimitation += "."
	if bytes.Equal(c.Canonical(), base(t).Canonical()) {
		t.Fatal("a changed text gives the same Canonical")
	}
}

func TestCanonicalOfEmptyCertificateHasEveryList(t *testing.T) {
	got := string((&Certificate{}).Canonical())
	for _, f := range []string{`"basis":[]`, `"occupation":[]`, `"diagnoses":[]`, `"sick_leave":[]`, `"work_measures":[]`,
		`"prognosis":null`, `"working_time_distribution":null`, `"signed_at":"0001-01-01T00:00:00Z"`} {
		if !strings.Contains(got, f) {
			t.Errorf("%s missing from %s", f, got)
		}
	}
	if _, err := ParseJSON([]byte(got)); err != nil {
		t.Fatalf("Canonical of an empty certificate does not parse: %v", err)
	}
}

func TestCanonicalRoundTripsThroughParseJSON(t *testing.T) {
	for _, ex := range examples {
		for _, ext := range []string{"json", "xml"} {
			var c *Certificate
			var err error
			if ext == "json" {
				c, err = ParseJSON(readExample(t, ex.name, ext))
			} else {
				c, err = ParseXML(readExample(t, ex.name, ext))
			}
			if err != nil {
				t.Fatal(err)
			}
			first := c.Canonical()
			back, err := ParseJSON(first)
			if err != nil {
				t.Fatalf("%s.%s: Canonical does not parse: %v", ex.name, ext, err)
			}
			if second := back.Canonical(); !bytes.Equal(first, second) {
				t.Fatalf("%s.%s: not stable:\n%s\n%s", ex.name, ext, first, second)
			}
		}
	}
}

func TestStockholmOffsetAgreesWithTzdata(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Skip(err)
	}
	for tm := time.Date(1981, 1, 1, 0, 30, 0, 0, time.UTC); tm.Year() < 2040; tm = tm.Add(time.Hour) {
		_, want := tm.In(loc).Zone()
		if got := stockholmOffset(tm); got != want {
			t.Fatalf("%s: offset %d, tzdata %d", tm, got, want)
		}
	}
}

func TestSignedDateIsTheSwedishDay(t *testing.T) {
	c := &Certificate{SignedAt: time.Date(2026, 6, 20, 22, 30, 0, 0, time.UTC)} // 00:30 on the 21st in Sweden
	if got := c.SignedDate(); got != MustDate("2026-06-21") {
		t.Fatalf("got %s", got)
	}
	if !(&Certificate{}).SignedDate().IsZero() {
		t.Fatal("no signing time gives a date")
	}
}

func TestDateAgreesWithTheTimePackage(t *testing.T) {
	prev := MustDate("1899-12-31")
	for tm := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() < 2101; tm = tm.AddDate(0, 0, 1) {
		s := tm.Format(time.DateOnly)
		d, err := ParseDate(s)
		if err != nil || d.String() != s || d.Sub(prev) != 1 || !d.Time().Equal(tm) || DateOf(tm) != d {
			t.Fatalf("%s: %v %s %d", s, err, d, d.Sub(prev))
		}
		prev = d
	}
	for _, s := range []string{"", "2026-1-01", "2026/01/01", "2026-02-29", "2026-13-01", "0000-01-01", "20260101", "2026-01-01T00:00", "2026-01-0x"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	b, _ := json.Marshal(struct{ A, B Date }{A: MustDate("2026-01-02")})
	if string(b) != `{"A":"2026-01-02","B":null}` {
		t.Fatalf("got %s", b)
	}
	var v struct{ A, B Date }
	if err := json.Unmarshal(b, &v); err != nil || v.A != MustDate("2026-01-02") || !v.B.IsZero() {
		t.Fatalf("got %+v %v", v, err)
	}
}
