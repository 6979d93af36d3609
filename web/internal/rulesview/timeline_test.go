package rulesview

import (
	"strings"
	"testing"

	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/web/internal/svg/svgtest"
)

func mustDate(t *testing.T, s string) rules.Date {
	t.Helper()
	d, err := rules.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestTimelineAsksTheEngineWhoPaysEachDay(t *testing.T) {
	e, err := rules.New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, input string
		pay         []string // kind from–to
		phases      []string
	}{
		{"contract sample", contractSample,
			[]string{"karens 2014-01-01–2014-01-01", "sjuklon 2014-01-02–2014-01-14", "normal 2014-01-15–2014-12-31", "continuation 2015-01-01–2015-01-19"},
			[]string{"1-90 2014-01-01–2014-03-31", "91-180 2014-04-01–2014-06-29", "181-365 2014-06-30–2014-12-31", "366- 2015-01-01–2015-01-19"}},
		// A closed period: the phases stop where the sick leave does.
		{"karensavdrag 2019", `{"date":"2019-01-01","employment":"employee","annual_income":250000,"periods":[{"from":"2019-01-01","to":"2019-01-20","degree":75}]}`,
			[]string{"sjuklon 2019-01-01–2019-01-14", "normal 2019-01-15–2019-01-20"},
			[]string{"1-90 2019-01-01–2019-01-20"}},
		{"unemployed karensavdrag and time limit years", `{"date":"2011-07-05","employment":"unemployed","annual_income":400000,"periods":[{"from":"2011-01-01","to":"2011-01-03","degree":100}]}`,
			[]string{"karens 2011-01-01–2011-01-01", "normal 2011-01-02–2011-01-03"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := rules.ParseInput([]byte(tc.input))
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.Evaluate(in, rules.Options{Trace: true})
			if err != nil {
				t.Fatal(err)
			}
			tl := BuildTimeline(e, in, res)
			var pay, phases []string
			for _, p := range tl.Pay {
				if p.Kind != "" {
					pay = append(pay, p.Kind+" "+p.From.String()+"–"+p.To.String())
				}
			}
			for _, p := range tl.Phases {
				phases = append(phases, p.Kind+" "+p.From.String()+"–"+p.To.String())
			}
			if strings.Join(pay, "; ") != strings.Join(tc.pay, "; ") {
				t.Errorf("pay\n got %v\nwant %v", pay, tc.pay)
			}
			if strings.Join(phases, "; ") != strings.Join(tc.phases, "; ") {
				t.Errorf("phases\n got %v\nwant %v", phases, tc.phases)
			}
			if err := svgtest.WellFormed(string(TimelineSVG(tl, "sv", "t"))); err != nil {
				t.Errorf("SVG: %v", err)
			}
		})
	}
}

func TestRunEndFollowsAdjacentPeriods(t *testing.T) {
	p := func(from, to string) rules.Period {
		per := rules.Period{From: mustDate(t, from), Degree: 100}
		if to != "" {
			per.To = mustDate(t, to)
		}
		return per
	}
	ps := []rules.Period{p("2014-01-01", "2014-01-31"), p("2014-02-01", "2014-02-28"), p("2014-03-10", "2014-03-20")}
	if got := runEnd(ps, mustDate(t, "2014-01-15")); got.String() != "2014-02-28" {
		t.Errorf("runEnd = %s, want 2014-02-28 (the gap before March ends the run)", got)
	}
	ps = append(ps, p("2014-03-01", ""))
	if got := runEnd(ps, mustDate(t, "2014-01-15")); !got.IsZero() {
		t.Errorf("runEnd = %s, want open-ended", got)
	}
}

func TestAxisTicks(t *testing.T) {
	labels := func(from, to string) []string {
		var out []string
		for _, tk := range AxisTicks(mustDate(t, from), mustDate(t, to)) {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	if got := labels("2014-01-10", "2014-04-30"); strings.Join(got, " ") != "2014-02 2014-03 2014-04" {
		t.Errorf("short axis: %v", got)
	}
	if got := labels("2009-01-01", "2011-09-01"); strings.Join(got, " ") != "2009 2010 2011" {
		t.Errorf("long axis: %v", got)
	}
	if got := labels("2008-07-01", "2027-12-31"); len(got) > 12 || len(got) < 6 {
		t.Errorf("very long axis has %d labels: %v", len(got), got)
	}
}

// contractSample is the worked example of the rules API's documentation.
const contractSample = `{"date":"2014-06-30","employment":"employee","annual_income":300000,"periods":[{"from":"2014-01-01","degree":100}]}`
