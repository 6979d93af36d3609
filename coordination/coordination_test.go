package coordination

import (
	"errors"
	"testing"
	"time"

	"github.com/finsam/finsam/civil"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
)

func codes(err error) map[string]string {
	out := map[string]string{}
	var ps Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			out[p.Field] = p.Code
		}
	}
	return out
}

// The doctor's fee for an avstämningsmöte: at most 750 kr for the first
// hour and 375 kr for every started half-hour after it (Vårdgivarguiden,
// Region Stockholm, "Avstämningsmöte med Försäkringskassan", 2024-01-01).
func TestDoctorFee(t *testing.T) {
	r, ok := RateOn(civil.MustParse("2026-11-23"))
	if !ok {
		t.Fatal("no rate for 2026")
	}
	for _, tc := range []struct {
		minutes int
		kr      int64
	}{
		{0, 0}, {20, 750}, {60, 750}, {61, 1125}, {90, 1125}, {91, 1500}, {120, 1500}, {150, 1875},
	} {
		if got := DoctorFeeKr(r, tc.minutes); got != tc.kr {
			t.Errorf("%d minutes: %d kr, want %d", tc.minutes, got, tc.kr)
		}
	}
	if _, ok := RateOn(civil.MustParse("2023-12-31")); ok {
		t.Error("a rate before the first known one")
	}
	if r.Source == "" || r.Confirmed && r.Note != "" {
		t.Error("a rate without its source, or confirmed with a caveat")
	}
}

var today = civil.MustParse("2026-11-23")

func validConsent() Consent {
	return Consent{PersonID: 1, RecordedByOrg: 1, Purpose: PurposeReconciliation,
		Parties: []Party{
			{OrgID: 2, OrgType: organisation.AF, Parts: policy.PartBasic | policy.PartPlan},
			{OrgID: 3, OrgType: organisation.Region, Parts: policy.PartBasic | policy.PartDiagnoses},
		},
		ValidFrom: today, ValidUntil: today.AddDays(180), Method: Written, DocumentRef: "Dnr 2026-123"}
}

func TestConsentValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(c *Consent)
		field string
		code  string
	}{
		{"valid", func(c *Consent) {}, "", ""},
		{"no purpose", func(c *Consent) { c.Purpose = "" }, "purpose", "required"},
		{"nobody to share with", func(c *Consent) { c.Parties = []Party{{OrgID: 1, OrgType: organisation.FK, Parts: policy.PartBasic}} }, "parties", "required"},
		{"a party without basic details", func(c *Consent) { c.Parties[0].Parts = policy.PartPlan }, "parties", "basic_required"},
		{"diagnoses to AF", func(c *Consent) { c.Parties[0].Parts |= policy.PartDiagnoses }, "parties", "diagnoses_not_for_org"},
		{"no end", func(c *Consent) { c.ValidUntil = civil.Date{} }, "valid_until", "required"},
		{"ends before it starts", func(c *Consent) { c.ValidUntil = today.AddDays(-1) }, "valid_until", "before_start"},
		{"ended already", func(c *Consent) { c.ValidFrom, c.ValidUntil = today.AddDays(-30), today.AddDays(-1) }, "valid_until", "in_past"},
		{"longer than a year", func(c *Consent) { c.ValidUntil = today.AddDays(MaxValidity) }, "valid_until", "too_long"},
		{"written without a document", func(c *Consent) { c.DocumentRef = " " }, "document_ref", "required"},
		{"oral without who heard it", func(c *Consent) { c.Method, c.OralRecordedOn = Oral, today }, "oral_recorded_by", "required"},
		{"oral recorded tomorrow", func(c *Consent) { c.Method, c.OralRecordedBy, c.OralRecordedOn = Oral, "Hanna", today.AddDays(1) }, "oral_recorded_on", "in_future"},
		{"oral, complete", func(c *Consent) { c.Method, c.OralRecordedBy, c.OralRecordedOn = Oral, "Hanna", today }, "", ""},
		{"no method", func(c *Consent) { c.Method = "" }, "method", "required"},
	}
	for _, tt := range tests {
		c := validConsent()
		tt.edit(&c)
		err := c.Validate(today)
		got := codes(err)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if got[tt.field] != tt.code {
			t.Errorf("%s: %v, want %s=%s", tt.name, err, tt.field, tt.code)
		}
	}
}

// The consent's last day is valid through midnight; withdrawal ends it at
// once for every party.
func TestConsentPolicy(t *testing.T) {
	c := validConsent()
	c.ID = 7
	af := &policy.Actor{UserID: 1, OrgID: 2, OrgType: organisation.AF, Roles: 1 << 1}
	ask := func(day civil.Date) (policy.Decision, int64) {
		return policy.Decide(af, policy.ReadPerson, policy.Resource{OrgID: 1, Now: day.Time().Add(23 * time.Hour), Consents: c.Policy(nil)})
	}
	if d, id := ask(c.ValidUntil); d != policy.Allow || id != 7 {
		t.Errorf("last day: %v %d", d, id)
	}
	if d, _ := ask(c.ValidUntil.AddDays(1)); d != policy.Hidden {
		t.Errorf("day after: %v", d)
	}
	c.WithdrawnAt = today.Time()
	if d, _ := ask(today); d != policy.Hidden {
		t.Errorf("withdrawn: %v", d)
	}
	if c.Current(today) {
		t.Error("a withdrawn consent is current")
	}
}

func TestMeetingValidate(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	fk := Party{OrgID: 1, OrgType: organisation.FK}
	af := Party{OrgID: 2, OrgType: organisation.AF}
	region := Party{OrgID: 3, OrgType: organisation.Region}
	kommun := Party{OrgID: 4, OrgType: organisation.Municipality}
	covered := func(org int64) bool { return org != 4 }
	base := func() Meeting {
		return Meeting{Kind: Reconciliation, Status: Planned, Start: now.Add(48 * time.Hour), LengthMinutes: 60, Video: true,
			ConvenedBy: 1, ConvenedByType: organisation.FK, Parties: []Party{fk, af}, PersonAttends: true}
	}
	tests := []struct {
		name  string
		edit  func(m *Meeting)
		field string
		code  string
	}{
		{"valid avstämningsmöte", func(m *Meeting) {}, "", ""},
		{"planned in the past", func(m *Meeting) { m.Start = now.Add(-time.Hour) }, "start", "planned_in_past"},
		{"held, in the past, with minutes", func(m *Meeting) { m.Status, m.Start, m.Minutes = Held, now.Add(-time.Hour), "Vi kom överens." }, "", ""},
		{"held without minutes", func(m *Meeting) { m.Status, m.Start = Held, now.Add(-time.Hour) }, "minutes", "required"},
		{"a party the consent does not cover", func(m *Meeting) { m.Parties = append(m.Parties, kommun) }, "parties", "party_not_covered"},
		{"avstämningsmöte called by AF", func(m *Meeting) { m.ConvenedBy, m.ConvenedByType = 2, organisation.AF }, "kind", "fk_convenes"},
		{"avstämningsmöte with FK alone", func(m *Meeting) { m.Parties = []Party{fk} }, "parties", "reconciliation_parties"},
		{"avstämningsmöte without the person", func(m *Meeting) { m.PersonAttends = false }, "person_attends", "required"},
		{"kartläggning without AF", func(m *Meeting) { m.Kind, m.Parties = JointMapping, []Party{fk, region} }, "parties", "mapping_parties"},
		{"SIP without the municipality", func(m *Meeting) { m.Kind, m.Parties = SIP, []Party{fk, region} }, "parties", "sip_parties"},
		{"no place and no video", func(m *Meeting) { m.Video = false }, "place", "required"},
		{"five minutes", func(m *Meeting) { m.LengthMinutes = 5 }, "length", "out_of_range"},
	}
	for _, tt := range tests {
		m := base()
		tt.edit(&m)
		err := m.Validate(now, covered)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if got := codes(err); got[tt.field] != tt.code {
			t.Errorf("%s: %v, want %s=%s", tt.name, err, tt.field, tt.code)
		}
	}
}

func TestActionValidate(t *testing.T) {
	parties := func(org int64) bool { return org == 1 || org == 2 }
	ok := Action{Title: "Arbetsträning 25 %", OwnerOrgID: 2, OwnerPerson: "Adam", Due: today.AddDays(30), Source: MappingPlan}
	if err := ok.Validate(today, parties); err != nil {
		t.Fatal(err)
	}
	noOwner := ok
	noOwner.OwnerOrgID, noOwner.OwnerPerson = 0, ""
	got := codes(noOwner.Validate(today, parties))
	if got["owner_org"] != "owner_required" || got["owner_person"] != "owner_required" {
		t.Errorf("no owner: %v", got)
	}
	stranger := ok
	stranger.OwnerOrgID = 9
	if got := codes(stranger.Validate(today, parties)); got["owner_org"] != "not_a_party" {
		t.Errorf("stranger: %v", got)
	}
}
