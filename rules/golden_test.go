package rules

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/evaluate")

// TestGoldenEvaluations keeps worked examples, input and full output with
// trace, in testdata/evaluate: documentation for the CLI, the API and the
// calculator page, and a guard against unnoticed changes. Regenerate with
// go test ./rules -run Golden -update after a deliberate change, and read
// the diff.
func TestGoldenEvaluations(t *testing.T) {
	e := testEngine(t)
	inputs, err := filepath.Glob("testdata/evaluate/*.input.json")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, path := range inputs {
		name := strings.TrimSuffix(filepath.Base(path), ".input.json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			in, err := ParseInput(data)
			if err != nil {
				t.Fatal(err)
			}
			r, err := e.Evaluate(in, Options{Trace: true})
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(r, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			explain := []byte(ExplainSV(r))
			outPath := strings.TrimSuffix(path, ".input.json") + ".output.json"
			svPath := strings.TrimSuffix(path, ".input.json") + ".explain.txt"
			if *update {
				if err := os.WriteFile(outPath, got, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(svPath, explain, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(outPath)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s:\n%s", outPath, got)
			}
			wantSV, err := os.ReadFile(svPath)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(explain, wantSV) {
				t.Errorf("explanation differs from %s:\n%s", svPath, explain)
			}
		})
	}
}

func TestExplainSVWithoutTraceStillExplainsTheResult(t *testing.T) {
	r, err := testEngine(t).Evaluate(Input{Date: mustDate("2014-06-30"), Employment: Employee, AnnualIncome: 300000,
		Periods: []Period{{From: mustDate("2014-01-01"), Degree: 100}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := ExplainSV(r)
	for _, want := range []string{"2014-06-30", "dag 181", "Försäkringskassan", "normalnivå", "638 kr"} {
		if !strings.Contains(s, want) {
			t.Errorf("explanation lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Tillämpade regler") {
		t.Errorf("untraced explanation lists rules:\n%s", s)
	}
}
