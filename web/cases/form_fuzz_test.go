package cases

import (
	"net/url"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/web/internal/formfuzz"
)

// FuzzFormDecoders feeds one fuzzed form (a query string or an
// application/x-www-form-urlencoded body, which decode alike) to every form
// decoder of the case work: the case forms, the new case and the worklist
// filter. None may panic, and what a decoder accepts must hold what it
// promises.
func FuzzFormDecoders(f *testing.F) {
	seeds := []string{
		"from=2026-01-01&to=2026-01-31&degree=50&source=FK+7804",
		"from=2026-02-01&to=2026-01-01&degree=33&source=%00",
		"decided_on=2026-11-23&kind=approved&justification=ok&version=3",
		"title=Avst%C3%A4mning&due=2026-12-24&owner=1&status=planned",
		"status=done&note=klart&on=2026-11-23&channel=phone&text=x",
		"personnummer=197001019801&first_day=2026-11-01&employer=556677-8899",
		"overdue=1&warnings=1&phase=day_91&office=2&group=a&cursor=2026-11-23.5&limit=50",
	}
	today := civil.MustParse("2026-11-23")
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	formfuzz.Run(f, seeds, func(t *testing.T, raw string, q url.Values) {
		if p, ps := checkPeriod(q); len(ps) == 0 {
			if p.To.Before(p.From) || p.Degree != 25 && p.Degree != 50 && p.Degree != 75 && p.Degree != 100 || !utf8.ValidString(p.Source) {
				t.Fatalf("accepted period %+v from %q", p, raw)
			}
		}
		if n, ps := checkNote(q, today); len(ps) == 0 && !utf8.ValidString(n.Body) {
			t.Fatalf("accepted note %+v from %q", n, raw)
		}
		checkFacts(q)
		checkDecision(q, today)
		checkPlanAction(q, []int64{1, 2})
		checkActionStatus(q)
		checkDeadlineClose(q)
		checkNewCase(q, now)

		parseWorklistFilter(q, true)
		parseWorklistFilter(q, false)
	})
}
