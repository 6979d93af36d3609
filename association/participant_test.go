package association

import (
	"testing"

	"github.com/finsam/finsam/civil"
)

var today = civil.MustParse("2025-06-30")

func consented() Participant {
	return Participant{
		InsatsID: 1, PersonID: 7,
		Consent: &Consent{RecordedBy: 3, On: civil.MustParse("2025-01-10"), Covers: "Registrering i insatsen och uppföljning",
			DocumentRef: "FK 9443, 2025-001"},
		Sex: "female", AgeGroup: "25-29", Start: civil.MustParse("2025-01-13"), Status: Active,
		Measurements: []Measurement{{Phase: PhaseStart, IncomeSources: []IncomeShare{{"sickness_benefit", 50}, {"salary", 50}}, Occupation: "sick_leave", Education: "upper_secondary"}},
	}
}

func anonymous() Participant {
	return Participant{InsatsID: 1, Sex: "male", AgeGroup: "30-39", Start: civil.MustParse("2025-02-01"), Status: Active}
}

func ended(p Participant) Participant {
	p.Status, p.End, p.EndReason = Ended, civil.MustParse("2025-05-31"), "work"
	p.Measurements = append(p.Measurements, Measurement{Phase: PhaseEnd, IncomeSources: []IncomeShare{{"salary", 100}}, Occupation: "employed"},
		Measurement{Phase: Phase6m, On: civil.MustParse("2025-11-30"), NotReached: true})
	return p
}

func TestParticipantValid(t *testing.T) {
	cl := MustDefaultCodeLists()
	for name, p := range map[string]Participant{
		"with consent": consented(), "anonymous": anonymous(), "ended": ended(consented()),
		"pending referral":              {InsatsID: 1, Sex: "female", AgeGroup: "40-49", Status: Pending, Referral: "case:12"},
		"protected identity, anonymous": {InsatsID: 1, ProtectedIdentity: true, Sex: "female", AgeGroup: "40-49", Status: Active, Start: today},
	} {
		if err := p.Validate(cl, today); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestParticipantRefused(t *testing.T) {
	cl := MustDefaultCodeLists()
	for _, tc := range []struct {
		name string
		p    func() Participant
		code string
	}{
		{"personal data without consent", func() Participant { p := consented(); p.Consent = nil; return p }, CodePersonalNoConsent},
		{"protected identity with personal data", func() Participant { p := consented(); p.ProtectedIdentity = true; return p }, CodeProtectedIdentity},
		{"consent without document", func() Participant { p := consented(); p.Consent.DocumentRef = ""; return p }, CodeRequired},
		{"consent without what it covers", func() Participant { p := consented(); p.Consent.Covers = ""; return p }, CodeRequired},
		{"consent in the future", func() Participant { p := consented(); p.Consent.On = today.AddDays(1); return p }, CodeFutureDate},
		{"end before start", func() Participant { p := ended(anonymous()); p.End = p.Start.AddDays(-1); return p }, CodeEndBeforeStart},
		{"ended without reason", func() Participant { p := ended(anonymous()); p.EndReason = ""; return p }, CodeEndReasonRequired},
		{"ended without end", func() Participant { p := ended(anonymous()); p.End = civil.Date{}; return p }, CodeEndRequired},
		{"active with an end", func() Participant { p := anonymous(); p.End = today; return p }, CodeEndNotAllowed},
		{"active without start", func() Participant { p := anonymous(); p.Start = civil.Date{}; return p }, CodeStartRequired},
		{"unknown sex", func() Participant { p := anonymous(); p.Sex = "?"; return p }, CodeUnknownCode},
		{"end measurement while active", func() Participant {
			p := anonymous()
			p.Measurements = []Measurement{{Phase: PhaseEnd}}
			return p
		}, CodeEndNotAllowed},
		{"follow-up before the end", func() Participant {
			p := ended(anonymous())
			p.Measurements[1].On = p.End.AddDays(-1)
			return p
		}, CodeFollowUpBeforeEnd},
		{"income source twice", func() Participant {
			p := anonymous()
			p.Measurements = []Measurement{{Phase: PhaseStart, IncomeSources: []IncomeShare{{"salary", 50}, {"salary", 50}}}}
			return p
		}, CodeDuplicate},
		{"none with another income source", func() Participant {
			p := anonymous()
			p.Measurements = []Measurement{{Phase: PhaseStart, IncomeSources: []IncomeShare{{"none", 100}, {"salary", 50}}}}
			return p
		}, CodeNoneWithOthers},
		{"extent above 100 %", func() Participant {
			p := anonymous()
			p.Measurements = []Measurement{{Phase: PhaseStart, IncomeSources: []IncomeShare{{"salary", 101}}}}
			return p
		}, CodeInvalidExtent},
		{"unreached follow-up with data", func() Participant {
			p := ended(anonymous())
			p.Measurements[1].Occupation = "employed"
			return p
		}, CodeInvalidFollowUp},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p()
			if err := p.Validate(cl, today); !codes(err)[tc.code] {
				t.Errorf("Validate = %v, want %s", err, tc.code)
			}
		})
	}
}

func TestParticipantDays(t *testing.T) {
	p := ended(anonymous()) // 2025-02-01 … 2025-05-31
	if d := p.Days(today); d != 120 {
		t.Errorf("ended: %d days, want 120 (28 + 31 + 30 + 31)", d)
	}
	a := anonymous()
	if d := a.Days(civil.MustParse("2025-02-01")); d != 1 {
		t.Errorf("first day: %d, want 1", d)
	}
	if d := a.Days(civil.MustParse("2025-01-01")); d != 0 {
		t.Errorf("before start: %d, want 0", d)
	}
}

func TestOverlaps(t *testing.T) {
	d := civil.MustParse
	var none civil.Date
	for _, tc := range []struct {
		as, ae, bs, be civil.Date
		want           bool
	}{
		{d("2025-01-01"), d("2025-01-31"), d("2025-01-31"), d("2025-02-28"), true},
		{d("2025-01-01"), d("2025-01-31"), d("2025-02-01"), d("2025-02-28"), false},
		{d("2025-01-01"), none, d("2026-01-01"), none, true},
		{none, none, d("2020-01-01"), d("2020-01-02"), true},
	} {
		if got := Overlaps(tc.as, tc.ae, tc.bs, tc.be); got != tc.want {
			t.Errorf("Overlaps(%s–%s, %s–%s) = %v", tc.as, tc.ae, tc.bs, tc.be, got)
		}
	}
}

func TestAgeGroup(t *testing.T) {
	cl := MustDefaultCodeLists()
	for age, want := range map[int]string{15: "under-16", 16: "16-19", 24: "20-24", 64: "60-64", 65: "65-", 90: "65-"} {
		if got := cl.AgeGroup(age); got != want {
			t.Errorf("AgeGroup(%d) = %q, want %q", age, got, want)
		}
	}
}
