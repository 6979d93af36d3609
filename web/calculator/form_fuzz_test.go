package calculator

import (
	"errors"
	"net/url"
	"testing"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/web/internal/formfuzz"
)

// FuzzCalcForm feeds one fuzzed form to the calculator's decoder: it may
// not panic, and a form it accepts makes input the rules engine can read
// (a refused value is fine; a malformed document is not).
func FuzzCalcForm(f *testing.F) {
	formfuzz.Run(f, []string{
		"date=2026-11-23&employment=employee&annual_income=300+000&p1_from=2026-10-01&p1_to=&p1_degree=100&serious_illness=on",
		"date=2026-02-30&employment=self_employed&annual_income=-1&p1_from=x&p1_degree=33",
	}, func(t *testing.T, raw string, q url.Values) {
		form, submitted := parseCalcForm(q)
		if !submitted {
			return
		}
		data, _, errs := form.input()
		if len(errs) > 0 {
			return
		}
		if _, err := rules.ParseInput(data); err != nil {
			var re *rules.Error
			if !errors.As(err, &re) || re.Code == "invalid_json" || re.Code == "unknown_field" || re.Code == "invalid_type" {
				t.Fatalf("the calculator form %q makes input the engine cannot read: %s: %v", raw, data, err)
			}
		}
	})
}
