package web

import (
	"net/url"
	"testing"

	"github.com/finsam/finsam/association"
)

// FuzzFormDecoders feeds one fuzzed form (a query string or an
// application/x-www-form-urlencoded body, which decode alike) to every form
// decoder: the insats and participant forms and the finance forms' year
// (the calculator's and the case work's have their own, in their
// packages).
// None may panic, and what a decoder accepts must hold what it promises.
func FuzzFormDecoders(f *testing.F) {
	for _, s := range []string{
		"from=2026-01-01&to=2026-01-31&degree=50&source=FK+7804",
		"from=2026-02-01&to=2026-01-01&degree=33&source=%00",
		"decided_on=2026-11-23&kind=approved&justification=ok&version=3",
		"title=Avst%C3%A4mning&due=2026-12-24&owner=1&status=planned",
		"status=done&note=klart&on=2026-11-23&channel=phone&text=x",
		"personnummer=197001019801&first_day=2026-11-01&employer=556677-8899",
		"date=2026-11-23&employment=employee&annual_income=300+000&p1_from=2026-10-01&p1_to=&p1_degree=100&serious_illness=on",
		"overdue=1&warnings=1&phase=day_91&office=2&group=a&cursor=2026-11-23.5&limit=50",
		"name=Insats&kind=individual&start=2026-01-01&end=2025-01-01&responsible=1&parties=1&parties=2&status=ongoing&follow_up=individual",
		"mode=consent&personnummer=19700101-9801&start=2026-02-30&year=20266",
		"a=%ff%fe&&==&%zz", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw) // a form that does not decode whole is served with what did

		readInsatsForm(q, association.Insats{})
		readParticipantForm(q, 1)
		var errs association.Errors
		formYear(q, &errs)
	})
}

// FuzzFMBUpload: the FMB table as the upload form checks it, every problem
// at once. Each problem has a message, and a line that is not negative.
func FuzzFMBUpload(f *testing.F) {
	for _, s := range []string{
		"code,max,unit,source,note\nM54.4,28,d,Socialstyrelsen,\n",
		"code,max,unit,source,note\nM54.4,28,d,x,\nM54.4,3,wk,y,\nF99,0,yr,,\n\"x\n",
		"# only a comment\n", "", "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lang := range []string{"sv", "en"} {
			for _, e := range checkFMBCSV(lang, data) {
				if e.Line < 0 || e.Message == "" {
					t.Fatalf("problem %+v in %q", e, data)
				}
			}
		}
	})
}
