package casework

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/rules"
)

// Sources cited below:
//   - SFB 27 kap. 47–49 §§, the rehabilitation chain: which work capacity
//     the chain day assesses against.
//   - SFB 27 kap. 51 §, periods fewer than 90 days apart are one case.
//   - SFB 30 kap. 6 § (SFS 2017:1306), the plan för återgång i arbete: 30
//     days, for a person expected to be sick at least 60 days, "omgående"
//     otherwise; and its transitional rule.
//   - The time limit of 2008-07-01 → 2016-01-31:
//     rules/testdata/evaluate/time-limit-reached-2011.
//   - Högriskskydd (repeated cases): the rules engine's high_risk_*
//     parameters and their references.
//   - FMB: Socialstyrelsen's försäkringsmedicinskt beslutsstöd.
//   - Samordningsansvar (contact): FK's duty to coordinate the
//     rehabilitation, which the contact deadlines serve.

var testRules = sync.OnceValues(rules.New)

func rulesEngine(t testing.TB) *rules.Engine {
	t.Helper()
	e, err := testRules()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func ymd(s string) Date { return civil.MustParse(s) }

// sick is a full-time period; to "" is open-ended.
func sick(from, to string) rules.Period {
	p := rules.Period{From: ymd(from), Degree: 100}
	if to != "" {
		p.To = ymd(to)
	}
	return p
}

// cert is a certificate signed on its first day covering the period.
func cert(p rules.Period) Certificate {
	return Certificate{ID: 1, SignedOn: p.From, From: p.From, To: p.To, QualityScore: 90}
}

func facts(date string, emp rules.Employment, ps ...rules.Period) Facts {
	f := Facts{Date: ymd(date), Employment: emp, AnnualIncome: 360000, Periods: ps}
	for _, p := range ps {
		f.Certificates = append(f.Certificates, cert(p))
	}
	return f
}

func derive(t testing.TB, f Facts) Status {
	t.Helper()
	st, err := Derive(rulesEngine(t), f, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func dl(kind, key, due, ref string) Deadline {
	return Deadline{DeadlineID: DeadlineID{Kind: kind, Key: key}, Due: ymd(due), Ref: ref}
}

// only keeps the deadlines of the given kinds (all when none are given).
func only(ds []Deadline, kinds []string) []Deadline {
	if len(kinds) == 0 {
		return ds
	}
	var out []Deadline
	for _, d := range ds {
		for _, k := range kinds {
			if d.Kind == k {
				out = append(out, d)
			}
		}
	}
	return out
}

const (
	ref47 = "SFB 27 kap. 47 §"
	ref48 = "SFB 27 kap. 48 §"
	ref49 = "SFB 27 kap. 49 §"
	refAF = "AFL 3 kap. 7 §"
)

func TestDeriveDeadlines(t *testing.T) {
	omgaende := facts("2024-03-01", rules.Employee,
		sick("2024-01-01", "2024-01-28"), sick("2024-01-29", "2024-02-25"), sick("2024-02-26", "2024-04-30"))
	// The third certificate is the first to cover chain day 60
	// (2024-02-29); it was signed after day 30.
	omgaende.Certificates[2].SignedOn = ymd("2024-02-20")
	early := omgaende
	early.Certificates = append([]Certificate(nil), omgaende.Certificates...)
	early.Certificates[2].SignedOn = ymd("2024-01-25")

	supp := facts("2024-02-15", rules.Employee, sick("2024-01-01", "2024-01-31"))
	supp.Supplements = []Supplement{
		{MessageID: 1041, SentOn: ymd("2024-01-10"), AnswerBy: ymd("2024-01-24"), Answered: true},
		{MessageID: 1042, SentOn: ymd("2024-02-01"), AnswerBy: ymd("2024-02-15")},
	}

	for _, tc := range []struct {
		name, source string
		f            Facts
		kinds        []string // compared kinds; all when empty
		want         []Deadline
	}{
		{
			name:   "an employee's case past 60 days has every chain deadline",
			source: "SFB 30 kap. 6 § (doc l. 153): plan by day 30; 27 kap. 47–49 §§ (doc l. 34–36): days 91, 181, 366",
			f:      facts("2024-02-15", rules.Employee, sick("2024-01-01", "2024-06-30")),
			want: []Deadline{
				dl(DeadlineReturnPlan, "", "2024-01-30", refReturnPlan),
				dl(DeadlineAssessDay91, "", "2024-03-30", ref47),  // day 91 is 2024-03-31
				dl(DeadlineAssessDay181, "", "2024-06-28", ref48), // day 181 is 2024-06-29
				dl(DeadlineCertificateEnd, "2024-06-30", "2024-06-30", refCertificateEnd),
				dl(DeadlineAssessDay366, "", "2024-12-30", ref49), // day 366 is 2024-12-31 (leap year)
			},
		},
		{
			name:   "a case before 2018-07-01 has no return plan",
			source: "SFB 30 kap. 6 § in force 2018-07-01 (doc l. 152)",
			f:      facts("2017-04-15", rules.Employee, sick("2017-03-01", "2017-08-31")),
			want: []Deadline{
				dl(DeadlineAssessDay91, "", "2017-05-29", ref47),
				dl(DeadlineAssessDay181, "", "2017-08-27", ref48),
				dl(DeadlineCertificateEnd, "2017-08-31", "2017-08-31", refCertificateEnd),
				dl(DeadlineAssessDay366, "", "2018-02-28", ref49),
			},
		},
		{
			name:   "transition: sick 60 days on 2018-06-29 and still sick, plan by 2018-09-30",
			source: "transitional rule (doc l. 157): 2018-05-01 to 2018-06-29 is chain day 60",
			f:      facts("2018-07-02", rules.Employee, sick("2018-05-01", "2018-07-31")),
			kinds:  []string{DeadlineReturnPlan},
			want:   []Deadline{dl(DeadlineReturnPlan, "", "2018-09-30", refReturnPlan)},
		},
		{
			name:   "transition: 59 days on 2018-06-29, no plan",
			source: "transitional rule (doc l. 157), one day short",
			f:      facts("2018-07-02", rules.Employee, sick("2018-05-02", "2018-07-31")),
			kinds:  []string{DeadlineReturnPlan},
		},
		{
			name:   "transition: no longer sick when the law came into force, no plan",
			source: "transitional rule (doc l. 157): \"och är fortsatt sjuk\" (grona.org)",
			f:      facts("2018-07-02", rules.Employee, sick("2018-04-01", "2018-06-30")),
			kinds:  []string{DeadlineReturnPlan},
		},
		{
			name:   "a case from 2018-07-01 has the plan by day 30",
			source: "SFB 30 kap. 6 § (doc l. 153)",
			f:      facts("2018-07-10", rules.Employee, sick("2018-07-01", "2018-09-30")),
			kinds:  []string{DeadlineReturnPlan},
			want:   []Deadline{dl(DeadlineReturnPlan, "", "2018-07-30", refReturnPlan)},
		},
		{
			name:   "certified for 59 days: no plan needed",
			source: "SFB 30 kap. 6 § \"minst 60 dagar\" (doc l. 153)",
			f:      facts("2024-01-15", rules.Employee, sick("2024-01-01", "2024-02-28")),
			kinds:  []string{DeadlineReturnPlan},
		},
		{
			name:   "certified for 60 days: plan by day 30",
			source: "SFB 30 kap. 6 § \"minst 60 dagar\" (doc l. 153)",
			f:      facts("2024-01-15", rules.Employee, sick("2024-01-01", "2024-02-29")),
			kinds:  []string{DeadlineReturnPlan},
			want:   []Deadline{dl(DeadlineReturnPlan, "", "2024-01-30", refReturnPlan)},
		},
		{
			name:   "60 days certified only after day 30: the plan is due omgående, on the signing day",
			source: "SFB 30 kap. 6 § second sentence (doc l. 154)",
			f:      omgaende,
			kinds:  []string{DeadlineReturnPlan},
			want:   []Deadline{dl(DeadlineReturnPlan, "", "2024-02-20", refReturnPlan)},
		},
		{
			name:   "60 days certified before day 30: due on day 30",
			source: "SFB 30 kap. 6 § (doc l. 153)",
			f:      early,
			kinds:  []string{DeadlineReturnPlan},
			want:   []Deadline{dl(DeadlineReturnPlan, "", "2024-01-30", refReturnPlan)},
		},
		{
			name:   "the unemployed have neither a plan nor the day-91 and day-181 steps, only day 366",
			source: "doc l. 48: unemployed are tested against the labour market from day 1; 27 kap. 49 § (l. 36)",
			f:      facts("2024-02-15", rules.Unemployed, sick("2024-01-01", "2024-06-30")),
			want: []Deadline{
				dl(DeadlineCertificateEnd, "2024-06-30", "2024-06-30", refCertificateEnd),
				dl(DeadlineAssessDay366, "", "2024-12-30", ref49),
			},
		},
		{
			name:   "the self-employed have the chain's steps but no employer's plan",
			source: "doc l. 48 (self-employed: usual work, later labour market); 30 kap. 6 § binds employers",
			f:      facts("2024-02-15", rules.SelfEmployed, sick("2024-01-01", "2024-06-30")),
			want: []Deadline{
				dl(DeadlineAssessDay91, "", "2024-03-30", ref47),
				dl(DeadlineAssessDay181, "", "2024-06-28", ref48),
				dl(DeadlineCertificateEnd, "2024-06-30", "2024-06-30", refCertificateEnd),
				dl(DeadlineAssessDay366, "", "2024-12-30", ref49),
			},
		},
		{
			name: "the time limit, and AFL references for steps before 2011",
			source: "time limit (doc l. 51; rules golden case time-limit-reached-2011: first day without benefit 2011-07-05); " +
				"AFL 3 kap. 7 § before 2011 (doc §1 heading)",
			f: facts("2011-04-06", rules.Employee, sick("2009-01-01", "")),
			want: []Deadline{
				dl(DeadlineAssessDay91, "", "2009-03-31", refAF),
				dl(DeadlineAssessDay181, "", "2009-06-29", refAF),
				dl(DeadlineAssessDay366, "", "2009-12-31", refAF),
				dl(DeadlineTimeLimit, "", "2011-07-04", "SFB 27 kap. 24 a §"),
			},
		},
		{
			name: "the time limit before 2011 has the AFL reference",
			source: "doc l. 51 and §6 point 13: continuation days counted from 2008-07-01, " +
				"the first people reached 914 days on 2010-01-01 (the 550th continuation day), so 2010-01-02 is the first without",
			f:     facts("2009-10-01", rules.Employee, sick("2007-01-01", "")),
			kinds: []string{DeadlineTimeLimit},
			want:  []Deadline{dl(DeadlineTimeLimit, "", "2010-01-01", "AFL 3 kap. 4 § första stycket 3–4")},
		},
		{
			name: "after the last certificate, only the steps it reached remain",
			source: "27 kap. 47 § (doc l. 34); a projection past the certificates would " +
				"assess a case that may have ended",
			f: facts("2024-05-10", rules.Employee, sick("2024-01-01", "2024-04-30")),
			want: []Deadline{
				dl(DeadlineReturnPlan, "", "2024-01-30", refReturnPlan),
				dl(DeadlineAssessDay91, "", "2024-03-30", ref47),
				dl(DeadlineCertificateEnd, "2024-04-30", "2024-04-30", refCertificateEnd),
			},
		},
		{
			name: "a gap of fewer than 90 days keeps the case and its count",
			source: "SFB 27 kap. 51 § (doc l. 48): 2024-01-01–01-31 and 2024-03-01–05-31 are one case, day 91 is 2024-04-29; " +
				"the second certificate, signed 2024-03-01, first reached day 60, so the plan is due then (30 kap. 6 §, doc l. 154)",
			f: facts("2024-02-15", rules.Employee, sick("2024-01-01", "2024-01-31"), sick("2024-03-01", "2024-05-31")),
			want: []Deadline{
				dl(DeadlineReturnPlan, "", "2024-03-01", refReturnPlan),
				dl(DeadlineAssessDay91, "", "2024-04-28", ref47),
				dl(DeadlineCertificateEnd, "2024-05-31", "2024-05-31", refCertificateEnd),
			},
		},
		{
			name:   "a case that starts after the date is the one described",
			source: "SFB 30 kap. 6 § (doc l. 153); 27 kap. 47 § (doc l. 34)",
			f:      facts("2024-02-28", rules.Employee, sick("2024-03-01", "2024-05-31")),
			want: []Deadline{
				dl(DeadlineReturnPlan, "", "2024-03-30", refReturnPlan),
				dl(DeadlineAssessDay91, "", "2024-05-29", ref47),
				dl(DeadlineCertificateEnd, "2024-05-31", "2024-05-31", refCertificateEnd),
			},
		},
		{
			name:   "supplement requests are due on their answer-by day, met when answered",
			source: "process: komplettering (FK 7804)",
			f:      supp,
			want: []Deadline{
				{DeadlineID: DeadlineID{Kind: DeadlineSupplement, Key: "1041"}, Due: ymd("2024-01-24"), Ref: refSupplement, Done: true, Auto: true},
				dl(DeadlineCertificateEnd, "2024-01-31", "2024-01-31", refCertificateEnd),
				dl(DeadlineSupplement, "1042", "2024-02-15", refSupplement),
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := derive(t, tc.f)
			if got := only(st.Deadlines, tc.kinds); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("source: %s\ngot  %+v\nwant %+v", tc.source, got, tc.want)
			}
		})
	}
}

func TestDeriveDoneAndNextDue(t *testing.T) {
	base := func() Facts { return facts("2024-02-15", rules.Employee, sick("2024-01-01", "2024-06-30")) }
	find := func(st Status, kind string) Deadline {
		for _, d := range st.Deadlines {
			if d.Kind == kind {
				return d
			}
		}
		t.Fatalf("no %s deadline", kind)
		return Deadline{}
	}

	st := derive(t, base())
	if st.NextDue != ymd("2024-01-30") || st.NextKind != DeadlineReturnPlan {
		t.Errorf("next = %v %s, want the overdue return plan", st.NextDue, st.NextKind)
	}
	if !find(st, DeadlineReturnPlan).Overdue(ymd("2024-02-15")) {
		t.Error("the return plan is not overdue")
	}

	// A person closes the plan: done, not automatic, and the next is day 91.
	f := base()
	f.Done = map[DeadlineID]bool{{Kind: DeadlineReturnPlan}: true}
	st = derive(t, f)
	if d := find(st, DeadlineReturnPlan); !d.Done || d.Auto {
		t.Errorf("closed plan = %+v", d)
	}
	if st.NextDue != ymd("2024-03-30") || st.NextKind != DeadlineAssessDay91 {
		t.Errorf("next = %v %s, want day 91's assessment", st.NextDue, st.NextKind)
	}

	// A person's closing of an answered supplement stands as theirs.
	f = base()
	f.Supplements = []Supplement{{MessageID: 7, AnswerBy: ymd("2024-02-01"), Answered: true}}
	f.Done = map[DeadlineID]bool{{Kind: DeadlineSupplement, Key: "7"}: true}
	if d := find(derive(t, f), DeadlineSupplement); !d.Done || d.Auto {
		t.Errorf("supplement closed by a person = %+v", d)
	}

	// Same due date: the kinds' order decides (certificate_end before
	// supplement).
	f = base()
	f.Done = map[DeadlineID]bool{{Kind: DeadlineReturnPlan}: true, {Kind: DeadlineAssessDay91}: true, {Kind: DeadlineAssessDay181}: true}
	f.Supplements = []Supplement{{MessageID: 8, AnswerBy: ymd("2024-06-30")}}
	st = derive(t, f)
	if st.NextDue != ymd("2024-06-30") || st.NextKind != DeadlineCertificateEnd {
		t.Errorf("next = %v %s, want the certificate's end", st.NextDue, st.NextKind)
	}
	n := len(st.Deadlines)
	if st.Deadlines[n-3].Kind != DeadlineCertificateEnd || st.Deadlines[n-2].Kind != DeadlineSupplement {
		t.Errorf("order = %+v", st.Deadlines)
	}

	// Everything done: no next deadline.
	f.Done = map[DeadlineID]bool{}
	for _, d := range st.Deadlines {
		f.Done[d.DeadlineID] = true
	}
	if st = derive(t, f); !st.NextDue.IsZero() || st.NextKind != "" {
		t.Errorf("next = %v %s with everything done", st.NextDue, st.NextKind)
	}
}

func TestDeriveWarnings(t *testing.T) {
	// A case certified 2024-01-01–04-30: chain day 60 is 2024-02-29, day 91
	// 2024-03-31.
	long := func(date string) Facts { return facts(date, rules.Employee, sick("2024-01-01", "2024-04-30")) }
	with := func(f Facts, change func(*Facts)) Facts { change(&f); return f }
	historic := func(date string) Facts { return facts(date, rules.Employee, sick("2009-01-01", "")) }
	fmb := func(to string, max int, motivated bool) Facts {
		f := facts("2024-01-20", rules.Employee, sick("2024-01-01", to))
		f.Certificates[0].FMBMaxDays, f.Certificates[0].FMBMotivated = max, motivated
		return f
	}
	repeated := func(first string) Facts {
		return with(facts("2024-06-15", rules.Employee, sick("2024-06-01", "2024-06-30")), func(f *Facts) {
			f.CaseStarts = []Date{ymd(first), ymd("2024-01-10"), ymd("2024-06-01"), ymd("2024-07-01")}
		})
	}

	for _, tc := range []struct {
		name, source string
		kind         string
		f            Facts
		want         []int // nil: not raised
	}{
		{"no plan on day 60 of a case certified past day 90", "30 kap. 6 § and 27 kap. 47 § (doc l. 153, 34)",
			WarningNoPlanDay90, long("2024-02-29"), []int{60, 31}},
		{"no plan on day 90", "doc l. 34: day 91 starts the next step",
			WarningNoPlanDay90, long("2024-03-30"), []int{90, 1}},
		{"not on day 59", "threshold no_plan_from_day 60",
			WarningNoPlanDay90, long("2024-02-28"), nil},
		{"not on day 91", "doc l. 34: past day 90",
			WarningNoPlanDay90, long("2024-03-31"), nil},
		{"not when the certificates end on day 90", "expected to pass day 90 = certified past it",
			WarningNoPlanDay90, facts("2024-02-29", rules.Employee, sick("2024-01-01", "2024-03-30")), nil},
		{"not with planned actions", "plan actions count as a plan",
			WarningNoPlanDay90, with(long("2024-02-29"), func(f *Facts) { f.PlanActions = 1 }), nil},
		{"not when the return plan is done", "30 kap. 6 § (doc l. 153)",
			WarningNoPlanDay90, with(long("2024-02-29"), func(f *Facts) { f.Done = map[DeadlineID]bool{{Kind: DeadlineReturnPlan}: true} }), nil},

		{"certified one day longer than FMB recommends", "FMB (doc l. 168)",
			WarningFMBExceeded, fmb("2024-03-31", 90, false), []int{91, 90}},
		{"certified exactly as long as FMB recommends", "FMB (doc l. 168)",
			WarningFMBExceeded, fmb("2024-03-30", 90, false), nil},
		{"longer, but motivated in the certificate", "FMB (doc l. 168): answer 37",
			WarningFMBExceeded, fmb("2024-03-31", 90, true), nil},

		{"three cases in 12 months", "högriskskydd, 12 months (doc l. 76)",
			WarningRepeatedCases, repeated("2023-06-16"), []int{3, 12}},
		{"the day 12 months back is outside", "threshold repeated_cases 3",
			WarningRepeatedCases, repeated("2023-06-15"), nil},

		{"a latest certificate scoring below 70", "process: quality of FK 7804",
			WarningCertificateQual, with(long("2024-02-01"), func(f *Facts) { f.Certificates[0].QualityScore = 69 }), []int{69, 70, 0}},
		{"a score of 70", "threshold quality_below 70",
			WarningCertificateQual, with(long("2024-02-01"), func(f *Facts) { f.Certificates[0].QualityScore = 70 }), nil},
		{"an unanswered supplement request", "process: komplettering",
			WarningCertificateQual, with(long("2024-02-01"), func(f *Facts) {
				f.Supplements = []Supplement{{MessageID: 1, AnswerBy: ymd("2024-02-10")}, {MessageID: 2, AnswerBy: ymd("2024-01-20"), Answered: true}}
			}), []int{90, 70, 1}},

		{"no contact for 30 days on day 61", "samordningsansvar (doc l. 159)",
			WarningNoContact, with(long("2024-03-01"), func(f *Facts) { f.LastContact = ymd("2024-01-31") }), []int{30}},
		{"no contact for 29 days", "threshold no_contact_days 30",
			WarningNoContact, with(long("2024-03-01"), func(f *Facts) { f.LastContact = ymd("2024-02-01") }), nil},
		{"30 days without contact but only on day 60", "threshold no_contact_from_day 60 (past it)",
			WarningNoContact, with(long("2024-02-29"), func(f *Facts) { f.LastContact = ymd("2024-01-30") }), nil},
		{"never a contact: counted from the case's first day", "samordningsansvar (doc l. 159)",
			WarningNoContact, long("2024-03-01"), []int{60}},

		{"90 days to the time limit", "time limit 2011-07-05 (doc l. 51, golden case)",
			WarningTimeLimitNearing, historic("2011-04-06"), []int{90}},
		{"91 days to the time limit", "threshold time_limit_warn_days 90",
			WarningTimeLimitNearing, historic("2011-04-05"), nil},
		{"the time limit reached", "only before the limit",
			WarningTimeLimitNearing, historic("2011-07-05"), nil},
	} {
		t.Run(tc.kind+"/"+tc.name, func(t *testing.T) {
			st := derive(t, tc.f)
			var got *Warning
			for i := range st.Warnings {
				if st.Warnings[i].Kind == tc.kind {
					got = &st.Warnings[i]
				}
			}
			switch {
			case tc.want == nil && got != nil:
				t.Errorf("source: %s\nraised %+v", tc.source, *got)
			case tc.want != nil && got == nil:
				t.Errorf("source: %s\nnot raised; warnings %+v", tc.source, st.Warnings)
			case got != nil && !reflect.DeepEqual(got.Args, tc.want):
				t.Errorf("source: %s\nargs %v, want %v", tc.source, got.Args, tc.want)
			case got != nil && (got.Rule == "" || got.Reason("sv") == "" || got.Reason("en") == ""):
				t.Errorf("warning without a rule or a reason: %+v", *got)
			}
		})
	}
}

func TestDeriveWarningsComeInKindOrderWithTheirThresholds(t *testing.T) {
	f := facts("2024-03-01", rules.Employee, sick("2024-01-01", "2024-04-30"))
	f.Certificates[0].QualityScore = 10
	f.Certificates[0].FMBMaxDays = 30
	f.CaseStarts = []Date{ymd("2023-05-01"), ymd("2023-09-01"), ymd("2024-01-01")}
	cfg := DefaultConfig()
	st, err := Derive(rulesEngine(t), f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, w := range st.Warnings {
		kinds = append(kinds, w.Kind)
	}
	want := []string{WarningNoPlanDay90, WarningFMBExceeded, WarningRepeatedCases, WarningCertificateQual, WarningNoContact}
	if !reflect.DeepEqual(kinds, want) {
		t.Fatalf("kinds = %v, want %v", kinds, want)
	}
	if st.Warnings[0].Rule != "chain_day>=60 && chain_day<=90 && certified past day 90 && return_plan not done && plan_actions==0" {
		t.Errorf("rule = %q", st.Warnings[0].Rule)
	}
	// A raised threshold is in the rule and changes the outcome.
	cfg.NoPlanFromDay, cfg.RepeatedCases = 62, 4
	st, err = Derive(rulesEngine(t), f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range st.Warnings {
		if w.Kind == WarningNoPlanDay90 || w.Kind == WarningRepeatedCases {
			t.Errorf("%s raised above its threshold: %+v", w.Kind, w)
		}
	}
}

func TestDeriveReturnsTheRulesEnginesErrors(t *testing.T) {
	f := facts("2024-02-01", rules.Employee, sick("2024-01-01", "2024-01-31"), sick("2024-01-20", "2024-02-20"))
	_, err := Derive(rulesEngine(t), f, DefaultConfig())
	var re *rules.Error
	if !errors.As(err, &re) || re.Code != rules.CodeOverlappingPeriods {
		t.Errorf("overlap: %v", err)
	}
	f = facts("2031-01-01", rules.Employee, sick("2024-01-01", "2024-01-31"))
	if _, err := Derive(rulesEngine(t), f, DefaultConfig()); !errors.As(err, &re) || re.Code != rules.CodeDateOutOfRange {
		t.Errorf("out of range: %v", err)
	}
	var ce *ConfigError
	if _, err := Derive(rulesEngine(t), facts("2024-02-01", rules.Employee), Config{}); !errors.As(err, &ce) {
		t.Errorf("zero config: %v", err)
	}
}

func TestDeriveWithoutPeriodsHasOnlyTheSupplements(t *testing.T) {
	f := facts("2024-02-01", rules.Employee)
	f.Supplements = []Supplement{{MessageID: 3, AnswerBy: ymd("2024-02-10")}}
	st := derive(t, f)
	if st.Result.Sick || len(st.Deadlines) != 1 || st.Deadlines[0].Kind != DeadlineSupplement || st.NextDue != ymd("2024-02-10") {
		t.Errorf("status = %+v", st)
	}
}

func TestDeriveDegreeIsThePeriodsOnTheDate(t *testing.T) {
	f := facts("2024-02-10", rules.Employee, sick("2024-01-01", "2024-01-31"), rules.Period{From: ymd("2024-02-01"), To: ymd("2024-02-29"), Degree: 50})
	if st := derive(t, f); st.Degree != 50 {
		t.Errorf("degree = %d", st.Degree)
	}
	f.Date = ymd("2024-03-05")
	if st := derive(t, f); st.Degree != 0 || st.Result.Sick {
		t.Errorf("after the periods: degree %d sick %v", st.Degree, st.Result.Sick)
	}
}

// The day figures are the rules engine's: the result is Evaluate's, the
// chain deadlines fall on the day before its milestones, and Evaluate on
// the day after a deadline (or on the plan's due day) counts the day the
// deadline is named after. Random cases, as in rules' property tests.
func TestDeriveDayFiguresAreTheRulesEngines(t *testing.T) {
	e := rulesEngine(t)
	first, last := e.DateRange()
	rng := rand.New(rand.NewPCG(5, 6))
	emps := []rules.Employment{rules.Employee, rules.Unemployed, rules.SelfEmployed}
	gaps := []int{0, 1, 5, 6, 30, 88, 89, 90, 91, 200}
	checked := 0
	for c := 0; c < 1000; c++ {
		start := ymd("2016-01-01").AddDays(rng.IntN(3000))
		var ps []rules.Period
		d := start
		for i := 0; i < 1+rng.IntN(4); i++ {
			n := 1 + rng.IntN(120)
			ps = append(ps, rules.Period{From: d, To: d.AddDays(n - 1), Degree: []int{25, 50, 75, 100}[rng.IntN(4)]})
			d = d.AddDays(n + gaps[rng.IntN(len(gaps))])
		}
		date := start.AddDays(rng.IntN(d.Sub(start) + 30))
		if date.After(last) || date.Before(first) {
			continue
		}
		f := Facts{Date: date, Employment: emps[rng.IntN(3)], AnnualIncome: float64(rng.IntN(600000)), Periods: ps}
		st, err := Derive(e, f, DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		in := rules.Input{Date: date, Employment: f.Employment, AnnualIncome: f.AnnualIncome, Periods: ps}
		res, err := e.Evaluate(in, rules.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(st.Result, res) {
			t.Fatalf("case %d: result differs from Evaluate\n%+v\n%+v", c, st.Result, res)
		}
		chainDayOn := func(day Date) (int, bool) {
			if day.Before(first) || day.After(last) || !covers(ps, day) {
				return 0, false
			}
			in.Date = day
			r, err := e.Evaluate(in, rules.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return r.ChainDay, true
		}
		for _, dl := range st.Deadlines {
			n := 0
			m := Date{}
			switch dl.Kind {
			case DeadlineAssessDay91:
				n, m = 91, res.Milestones.Day91
			case DeadlineAssessDay181:
				n, m = 181, res.Milestones.Day181
			case DeadlineAssessDay366:
				n, m = 366, res.Milestones.Day366
			case DeadlineReturnPlan:
				// Without certificates there is no omgående; the
				// transitional rule has its fixed day.
				if got, ok := chainDayOn(dl.Due); ok && got != 30 && dl.Due != returnPlanTransitionDue {
					t.Fatalf("case %d: the plan is due on chain day %d\n%+v", c, got, f)
				}
				continue
			case DeadlineCertificateEnd:
				if got, ok := chainDayOn(dl.Due); ok && (dl.Key != dl.Due.String() || got == 0) {
					t.Fatalf("case %d: certificate end %+v", c, dl)
				}
				continue
			default:
				continue
			}
			if res.Sick && dl.Due.AddDays(1) != m {
				t.Fatalf("case %d: %s due %v, milestone %v", c, dl.Kind, dl.Due, m)
			}
			if got, ok := chainDayOn(dl.Due.AddDays(1)); ok {
				checked++
				// On a sick day the milestone may be a projection from the
				// date that a later gap moves; a reached one is exact.
				if got != n && (!res.Sick || res.ChainDay >= n) {
					t.Fatalf("case %d: %s due %v, but the next day is chain day %d\n%+v", c, dl.Kind, dl.Due, got, f)
				}
			}
		}
	}
	if checked < 300 {
		t.Fatalf("only %d deadlines checked against Evaluate", checked)
	}
}

func TestAddMonthsKeepsTheDayOrTakesTheMonthsLast(t *testing.T) {
	for _, tc := range [][3]string{
		{"2024-06-15", "-12", "2023-06-15"},
		{"2024-02-29", "-12", "2023-02-28"},
		{"2024-03-31", "-1", "2024-02-29"},
		{"2024-01-31", "-2", "2023-11-30"},
		{"2024-01-15", "-13", "2022-12-15"},
	} {
		n := map[string]int{"-12": -12, "-1": -1, "-2": -2, "-13": -13}[tc[1]]
		if got := addMonths(ymd(tc[0]), n); got != ymd(tc[2]) {
			t.Errorf("addMonths(%s, %d) = %v, want %s", tc[0], n, got, tc[2])
		}
	}
}

// BenchmarkDerive is a typical case of the nightly run: four periods (two
// joined across a short gap), three certificates, one supplement request,
// evaluated on chain day 75.
func BenchmarkDerive(b *testing.B) {
	e := rulesEngine(b)
	f := Facts{
		Date: ymd("2025-03-16"), Employment: rules.Employee, AnnualIncome: 420000,
		Periods: []rules.Period{
			sick("2025-01-01", "2025-01-14"),
			{From: ymd("2025-01-15"), To: ymd("2025-02-11"), Degree: 100},
			{From: ymd("2025-02-20"), To: ymd("2025-03-19"), Degree: 50},
			{From: ymd("2025-03-20"), To: ymd("2025-04-30"), Degree: 50},
		},
		Certificates: []Certificate{
			{ID: 1, SignedOn: ymd("2025-01-01"), From: ymd("2025-01-01"), To: ymd("2025-02-11"), QualityScore: 80, FMBMaxDays: 90},
			{ID: 2, SignedOn: ymd("2025-02-19"), From: ymd("2025-02-20"), To: ymd("2025-03-19"), QualityScore: 75, FMBMaxDays: 90},
			{ID: 3, SignedOn: ymd("2025-03-14"), From: ymd("2025-03-20"), To: ymd("2025-04-30"), QualityScore: 65, FMBMaxDays: 90},
		},
		Supplements: []Supplement{{MessageID: 4711, SentOn: ymd("2025-03-15"), AnswerBy: ymd("2025-03-29")}},
		LastContact: ymd("2025-02-01"),
		CaseStarts:  []Date{ymd("2024-05-01"), ymd("2025-01-01")},
		Done:        map[DeadlineID]bool{{Kind: DeadlineReturnPlan}: true},
	}
	cfg := DefaultConfig()
	if _, err := Derive(e, f, cfg); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Derive(e, f, cfg); err != nil {
			b.Fatal(err)
		}
	}
}
