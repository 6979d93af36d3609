package calculator_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/svg/svgtest"
	"github.com/finsam/finsam/web/internal/webtest"
)

const calcSample = "/rakna?date=2014-06-30&employment=employee&annual_income=300000&p1_from=2014-01-01&p1_degree=100"

func TestCalculatorShowsTheResultTheTimelineAndTheTrace(t *testing.T) {
	s := webtest.Bare(t, webtest.Open(t, store.SQLite))
	rec := s.Do("GET", calcSample, nil)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, want := range []string{
		"<h1>Räkna på sjukpenning och rehabiliteringskedjan</h1>",
		"Så står fallet den 2014-06-30",
		"<dd>181 (fas 181–365)</dd>",
		"<dd>Försäkringskassan (sjukpenning)</dd>",
		"<dd>Normalnivå (80 %)</dd>",
		"<dd>638 kr</dd>",
		"<dd>300\u00a0000 kr</dd>",
		"<dd>179 av 364",
		"<dd>2015-01-01</dd>", // day 366 and the continuation level
		// The timeline: an accessible picture.
		`<svg xmlns="http://www.w3.org/2000/svg" class="finsam-timeline"`,
		`role="img" aria-labelledby="calc-timeline-title calc-timeline-desc"`,
		`<title id="calc-timeline-title">Tidslinje över sjukfallet</title>`,
		"Sjuklön från arbetsgivaren 2014-01-02–2014-01-14",
		"Sjukpenning på normalnivå 2014-01-15–2014-12-31",
		"Fortsättningsnivå från 2015-01-01",
		// The trace with its legal references.
		"<td class=\"table__column\">Dag i rehabiliteringskedjan</td>",
		"SFB 27 kap. 51 §",
		"SFB 28 kap. 10 §",
		// What the person typed stays in the form.
		`id="date" name="date" value="2014-06-30"`,
		`<option value="employee" selected>Anställd</option>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "<style", " style=", " onclick=", "aria-invalid"} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	svg := regexp.MustCompile(`(?s)<svg[^>]*class="finsam-timeline".*?</svg>`).FindString(body)
	if err := svgtest.WellFormed(svg); err != nil {
		t.Errorf("the timeline is not well-formed SVG: %v", err)
	}
}

func TestCalculatorEmptyFormHasDefaultsAndNoResult(t *testing.T) {
	s := webtest.Bare(t, webtest.Open(t, store.SQLite))
	rec := s.Do("GET", "/rakna", nil)
	body := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	if strings.Contains(body, "Så står fallet") || strings.Contains(body, "message-box--error") {
		t.Error("the empty form shows a result or errors")
	}
	for _, want := range []string{`<form method="get" action="/rakna"`, `name="p4_from"`, `<option value="100" selected>100 %</option>`,
		`<option value="employee" selected>`, `type="checkbox" id="serious_illness"`, "2008-07-01 – 2030-12-31"} {
		if !strings.Contains(body, want) {
			t.Errorf("empty form lacks %q", want)
		}
	}
	en := s.Do("GET", "/rakna?lang=en", nil).Body.String()
	if !strings.Contains(en, "Calculate sickness benefit and the rehabilitation chain") || !strings.Contains(en, `lang="en"`) {
		t.Error("no English calculator with ?lang=en")
	}
}

func TestCalculatorShowsFieldErrorsNextToTheFields(t *testing.T) {
	s := webtest.Bare(t, webtest.Open(t, store.SQLite))
	base := url.Values{"date": {"2014-06-30"}, "employment": {"employee"}, "annual_income": {"300000"},
		"p1_from": {"2014-01-01"}, "p1_degree": {"100"}}
	with := func(kv ...string) string {
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		return "/rakna?" + q.Encode()
	}
	tests := []struct {
		name, target string
		fields       []string // ids of the inputs marked invalid
		message      string
		kept         string // what the person typed, still in the form
	}{
		{"impossible date", with("date", "2014-13-40"), []string{"date"}, "Skriv ett datum som finns", `value="2014-13-40"`},
		{"several problems at once", with("date", "", "annual_income", "trehundra", "p2_to", "2014-03-01"),
			[]string{"date", "annual_income", "p2_from"}, "Fyll i fältet.", `value="trehundra"`},
		{"to before from (from the engine)", with("p1_to", "2013-12-31"), []string{"p1_to"}, "Perioden slutar innan den börjar", `value="2013-12-31"`},
		// Rows 1 and 3 are filled in: the engine's periods[1] is row 3.
		{"overlap in a later row", with("p1_to", "2014-03-31", "p3_from", "2014-03-01", "p3_degree", "50"), []string{"p3_from"}, "överlappar", `value="2014-03-01"`},
		{"date before the rules", with("date", "2008-06-30"), []string{"date"}, "Datumet måste ligga mellan 2008-07-01 och 2030-12-31.", `value="2008-06-30"`},
		{"negative income", with("annual_income", "-100"), []string{"annual_income"}, "Årsinkomsten får inte vara negativ.", `value="-100"`},
		{"tampered degree", with("p1_degree", "33"), []string{"p1_degree"}, "Välj 25, 50, 75 eller 100 procent.", `id="p1_from" name="p1_from" value="2014-01-01"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := s.Do("GET", tc.target, nil)
			body := rec.Body.String()
			if rec.Code != 422 {
				t.Errorf("status %d, want 422", rec.Code)
			}
			if strings.Contains(body, "Så står fallet") {
				t.Error("an invalid form shows a result")
			}
			invalid := regexp.MustCompile(`id="([a-z0-9_]+)" name="[a-z0-9_]+"[^>]*aria-invalid="true"`).FindAllStringSubmatch(body, -1)
			var got []string
			for _, m := range invalid {
				got = append(got, m[1])
			}
			if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
				t.Errorf("invalid fields %v, want %v", got, tc.fields)
			}
			for _, f := range tc.fields {
				// The message sits in the field's label, and the summary
				// at the top links to the field.
				label := regexp.MustCompile(`<label class="label" for="` + f + `">.*?</label>`).FindString(body)
				if !strings.Contains(label, `label__message--error" id="`+f+`-error"`) {
					t.Errorf("no error message in the label of %s: %s", f, label)
				}
				if !strings.Contains(body, `href="#`+f+`"`) {
					t.Errorf("the summary does not link to #%s", f)
				}
			}
			if !strings.Contains(body, tc.message) {
				t.Errorf("page lacks the message %q", tc.message)
			}
			if !strings.Contains(body, tc.kept) {
				t.Errorf("the form lost %q", tc.kept)
			}
		})
	}
}

func TestCalculatorErrorsInEnglish(t *testing.T) {
	s := webtest.Bare(t, webtest.Open(t, store.SQLite))
	body := s.Do("GET", "/rakna?lang=en&date=2031-01-01&employment=employee&annual_income=1&p1_from=2014-01-01&p1_degree=100", nil).Body.String()
	if !strings.Contains(body, "Date must be between 2008-07-01 and 2030-12-31.") || !strings.Contains(body, "Correct the form") {
		t.Errorf("English page lacks the engine's English message")
	}
}

func TestCalculatorWithoutPeriodsIsNotSickAndDrawsNoTimeline(t *testing.T) {
	s := webtest.Bare(t, webtest.Open(t, store.SQLite))
	rec := s.Do("GET", "/rakna?date=2020-03-01&employment=unemployed&annual_income=200+000&p1_degree=100", nil)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "<dt>Sjukskriven den dagen</dt><dd>nej</dd>") {
		t.Fatalf("status %d, want a not-sick result", rec.Code)
	}
	if strings.Contains(body, "finsam-timeline\"") {
		t.Error("a timeline without periods")
	}
}

func TestCalculatorIsLinkedFromTheStartPageAndTheNavigation(t *testing.T) {
	s := webtest.Bare(t, webtest.Open(t, store.SQLite))
	if body := s.Do("GET", "/", nil).Body.String(); !strings.Contains(body, `<a class="anchor" href="/rakna">Räkna på sjukpenning och rehabiliteringskedjan</a>`) {
		t.Error("the start page does not link to the calculator")
	}
	var found bool
	for _, it := range (site.Page{Lang: "sv"}).Nav() {
		found = found || it.Href == "/rakna"
	}
	if !found {
		t.Error("the navigation lacks the calculator")
	}
}
