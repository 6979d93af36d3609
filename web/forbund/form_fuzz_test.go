package forbund

import (
	"net/url"
	"testing"

	"github.com/finsam/finsam/association"
	"github.com/finsam/finsam/web/internal/formfuzz"
	"github.com/finsam/finsam/web/internal/site"
)

// FuzzFormDecoders feeds one fuzzed form (a query string or an
// application/x-www-form-urlencoded body, which decode alike) to the
// associations' form decoders. None may panic, and what a decoder accepts
// must hold what it promises.
func FuzzFormDecoders(f *testing.F) {
	formfuzz.Run(f, []string{
		"year=2026&total=4+000+000",
		"name=Insats&kind=individual&start=2026-01-01&end=2025-01-01&responsible=1&parties=1&parties=2&status=ongoing&follow_up=individual",
		"mode=consent&personnummer=19700101-9801&start=2026-02-30&year=20266",
	}, func(t *testing.T, raw string, q url.Values) {
		readInsatsForm(q, association.Insats{})
		readParticipantForm(q, 1)
		var ps site.Problems
		if y := formYear(q, &ps); len(ps) == 0 && (y < 2004 || y > 2200) {
			t.Fatalf("accepted year %d from %q", y, raw)
		}
	})
}
