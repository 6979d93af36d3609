package certificate

import (
	"strings"
	"testing"
)

// qualityCase changes the good certificate and names the findings it
// should then have.
type qualityCase struct {
	name   string
	change func(c *Certificate)
	prior  int
	want   []string
}

const long = "Klarar inte att lyfta mer än fem kilo eller stå längre än en halvtimme i taget."

var qualityCases = []qualityCase{
	{"good certificate", func(c *Certificate) {}, 0, nil},

	{"activity limitation missing", func(c *Certificate) { c.ActivityLimitation = "" }, 0, []string{FindingActivityVague}},
	{"activity limitation short", func(c *Certificate) { c.ActivityLimitation = "Klarar inte sitt arbete." }, 0, []string{FindingActivityVague}},
	{"activity limitation repeats the diagnosis", func(c *Certificate) {
		c.ActivityLimitation = "Medelsvår depressiv episod (F32.1). Medelsvår depressiv episod."
	}, 0, []string{FindingActivityVague}},
	{"activity limitation copies the impairment", func(c *Certificate) { c.ActivityLimitation = " " + strings.ToUpper(c.FunctionalImpairment) }, 0, []string{FindingActivityVague}},
	{"activity limitation concrete", func(c *Certificate) {
		c.ActivityLimitation = "På grund av tröttheten orkar hon inte mer än två timmars arbete per dag."
	}, 0, nil},

	{"impairment missing", func(c *Certificate) { c.FunctionalImpairment = "" }, 0, []string{FindingImpairmentVague}},
	{"impairment is the diagnosis", func(c *Certificate) { c.FunctionalImpairment = "F32.1 Medelsvår depressiv episod, medelsvår" }, 0, []string{FindingImpairmentVague}},

	{"no link", func(c *Certificate) {
		c.FunctionalImpairment = "Nedsatt hörsel och tinnitus på båda öronen sedan en bullerskada, hörapparat sedan i våras."
		c.ActivityLimitation = long
	}, 0, []string{FindingNoLink}},
	{"link by a shared stem", func(c *Certificate) {
		c.FunctionalImpairment = "Smärta och stelhet i ländryggen, nedsatt rörlighet vid framåtböjning."
		c.ActivityLimitation = "Ländryggssmärtan hindrar henne från att lyfta mer än fem kilo eller stå länge."
	}, 0, nil},
	{"link by a stated cause", func(c *Certificate) {
		c.FunctionalImpairment = "Smärta och stelhet i ländryggen, nedsatt rörlighet vid framåtböjning."
		c.ActivityLimitation = "Till följd av detta klarar hon inte att lyfta mer än fem kilo eller stå länge."
	}, 0, nil},

	{"FMB within the maximum", func(c *Certificate) {}, 186 - 49, nil},
	{"FMB exceeded with prior sick leave", func(c *Certificate) {}, 186 - 48, []string{FindingFMBExceeded}},
	{"FMB exceeded but motivated", func(c *Certificate) { c.FMBMotivation = "Svår samsjuklighet." }, 400, nil},
	{"FMB: the largest maximum among the diagnoses", func(c *Certificate) {
		c.Diagnoses = append([]Diagnosis{{Code: "M54.5", Text: "Lumbago"}}, c.Diagnoses...)
	}, 0, nil},
	{"FMB: overlapping days counted once", func(c *Certificate) {
		c.Diagnoses = []Diagnosis{{Code: "M54.5", Text: "Lumbago"}}
		c.ActivityLimitation = "Kan inte lyfta eller bära varor på grund av smärtan, klarar inte att stå vid bandet."
		c.FunctionalImpairment = "Smärta i ländryggen med nedsatt rörlighet och kraft vid framåtböjning och vridning."
		c.SickLeave = []SickLeave{{DegreeFull, MustDate("2026-03-02"), MustDate("2026-03-09")}, {DegreeHalf, MustDate("2026-03-05"), MustDate("2026-03-15")}}
	}, 0, nil},
	{"FMB: a code the table does not have", func(c *Certificate) { c.Diagnoses[0].Code = "F41.1" }, 1000, nil},

	{"early start 6 days back", func(c *Certificate) { c.SickLeave[0].From = MustDate("2026-02-24") }, 0, nil},
	{"early start 7 days back", func(c *Certificate) { c.SickLeave[0].From = MustDate("2026-02-23") }, 0, []string{FindingEarlyStart}},
	{"early start with a reason", func(c *Certificate) {
		c.SickLeave[0].From = MustDate("2026-02-01")
		c.EarlyStartReason = "Sökte vård först när arbetsgivaren krävde intyg."
	}, 0, nil},

	{"not examined", func(c *Certificate) { c.Basis[0].Type = BasisPhone }, 0, []string{FindingNotExamined}},
	{"not examined with a reason", func(c *Certificate) { c.Basis[0].Type = BasisPhone; c.NotExaminedReason = "Smittrisk." }, 0, nil},
	{"digital examination counts", func(c *Certificate) { c.Basis[0].Type = BasisDigitalExamination }, 0, nil},

	{"prognosis unclear without plan", func(c *Certificate) {
		c.Prognosis = &Prognosis{Type: PrognosisUnclear}
		c.PlannedTreatment, c.WorkMeasures, c.WorkMeasuresText = "", []string{WorkMeasureNone}, ""
	}, 0, []string{FindingPrognosisUnclear}},
	{"prognosis unclear with planned treatment", func(c *Certificate) {
		c.Prognosis = &Prognosis{Type: PrognosisUnclear}
		c.WorkMeasures, c.WorkMeasuresText = []string{WorkMeasureNone}, ""
	}, 0, nil},
	{"prognosis unclear with work measures", func(c *Certificate) {
		c.Prognosis = &Prognosis{Type: PrognosisUnclear}
		c.PlannedTreatment = ""
	}, 0, nil},

	{"smittskydd skips what the form does not ask", func(c *Certificate) {
		c.Smittskydd = true
		c.Basis, c.FunctionalImpairment, c.ActivityLimitation = []Basis{{Type: BasisPhone, Date: today}}, "", ""
		c.Prognosis = &Prognosis{Type: PrognosisUnclear}
		c.PlannedTreatment, c.WorkMeasures, c.WorkMeasuresText = "", nil, ""
	}, 0, nil},
}

func TestAssessFindings(t *testing.T) {
	fmb := DefaultFMB()
	for _, tc := range qualityCases {
		t.Run(tc.name, func(t *testing.T) {
			c := base(t)
			tc.change(c)
			q := Assess(c, fmb, tc.prior)
			var got []string
			score := 100
			for _, f := range q.Findings {
				got = append(got, f.Code)
				score -= FindingWeight(f.Code)
				if f.AnswerID == "" || f.Message == "" || f.MessageEN == "" {
					t.Errorf("incomplete finding %+v", f)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("findings %v, want %v", got, tc.want)
			}
			if q.Score != score {
				t.Fatalf("score %d, want %d", q.Score, score)
			}
		})
	}
}

func TestAssessAnswerIDsAndScoreBounds(t *testing.T) {
	c := &Certificate{Basis: []Basis{{Type: BasisPhone}}, Diagnoses: []Diagnosis{{Code: "M54.5", Text: "Lumbago"}},
		SickLeave: []SickLeave{{DegreeFull, MustDate("2026-01-01"), MustDate("2026-03-01")}},
		Prognosis: &Prognosis{Type: PrognosisUnclear}}
	c.SignedAt = MustDate("2026-02-01").Time()
	q := Assess(c, DefaultFMB(), 0)
	ids := map[string]string{}
	for _, f := range q.Findings {
		ids[f.Code] = f.AnswerID
	}
	want := map[string]string{FindingNotExamined: "1", FindingImpairmentVague: "35", FindingActivityVague: "17",
		FindingFMBExceeded: "37", FindingEarlyStart: "25", FindingPrognosisUnclear: "39"}
	for code, id := range want {
		if ids[code] != id {
			t.Errorf("%s: answer id %q, want %q", code, ids[code], id)
		}
	}
	if q.Score != 15 {
		t.Errorf("score %d", q.Score)
	}
	if q := Assess(&Certificate{}, nil, -5); q.Findings == nil || q.Score < 0 || q.Score > 100 {
		t.Errorf("empty certificate: %+v", q)
	}
}

func TestCoveredDays(t *testing.T) {
	d := MustDate
	for _, tc := range []struct {
		periods []SickLeave
		want    int
	}{
		{nil, 0},
		{[]SickLeave{{"", d("2026-01-01"), d("2026-01-01")}}, 1},
		{[]SickLeave{{"", d("2026-01-10"), d("2026-01-20")}, {"", d("2026-01-01"), d("2026-01-05")}}, 16},
		{[]SickLeave{{"", d("2026-01-01"), d("2026-01-31")}, {"", d("2026-01-05"), d("2026-01-10")}}, 31},
		{[]SickLeave{{"", d("2026-01-01"), d("2026-01-10")}, {"", d("2026-01-05"), d("2026-01-15")}, {"", d("2026-01-15"), d("2026-01-16")}}, 16},
		{[]SickLeave{{"", d("2026-01-10"), d("2026-01-01")}}, 0},
	} {
		if got := coveredDays(&Certificate{SickLeave: tc.periods}); got != tc.want {
			t.Errorf("%v: %d, want %d", tc.periods, got, tc.want)
		}
	}
}
