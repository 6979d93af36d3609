package certificate

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// today is the day the tests receive certificates on.
var today = MustDate("2026-06-20")

// examples are the complete certificates in testdata/, each in JSON and in
// RegisterCertificate XML, with the quality findings they should get.
var examples = []struct {
	name     string
	findings []string
	score    int
}{
	{"depression-good", nil, 100},
	{"lumbago-poor", []string{FindingNotExamined, FindingImpairmentVague, FindingActivityVague,
		FindingFMBExceeded, FindingEarlyStart, FindingPrognosisUnclear}, 15},
	{"smittskydd", nil, 100},
	{"exhaustion-v2-supplement", nil, 100},
}

func readExample(t testing.TB, name, ext string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+"."+ext))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExamplesAreValidAndJSONAndXMLGiveTheSameCanonical(t *testing.T) {
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			cj, err := ParseJSON(readExample(t, ex.name, "json"))
			if err != nil {
				t.Fatalf("JSON: %v", err)
			}
			cx, err := ParseXML(readExample(t, ex.name, "xml"))
			if err != nil {
				t.Fatalf("XML: %v", err)
			}
			if errs := Validate(cj, today); errs != nil {
				t.Errorf("JSON form invalid: %+v", errs)
			}
			if errs := Validate(cx, today); errs != nil {
				t.Errorf("XML form invalid: %+v", errs)
			}
			a, b := cj.Canonical(), cx.Canonical()
			if !bytes.Equal(a, b) {
				t.Errorf("Canonical differs:\nJSON %s\nXML  %s", a, b)
			}
			for _, c := range []*Certificate{cj, cx} {
				q := Assess(c, DefaultFMB(), 0)
				var got []string
				for _, f := range q.Findings {
					got = append(got, f.Code)
				}
				if strings.Join(got, ",") != strings.Join(ex.findings, ",") || q.Score != ex.score {
					t.Errorf("Assess = %d %v, want %d %v", q.Score, got, ex.score, ex.findings)
				}
			}
		})
	}
}
