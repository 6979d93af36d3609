package casework

import "testing"

func TestReasons(t *testing.T) {
	for _, tc := range []struct {
		w      Warning
		sv, en string
	}{
		{Warning{Kind: WarningNoPlanDay90, Args: []int{62, 29}},
			"Sjukfallet är på dag 62 och väntas passera dag 90 om 29 dagar utan plan för återgång i arbete eller planerade åtgärder.",
			"The sickness case is on day 62 and is expected to pass day 90 in 29 days with no return-to-work plan and no planned actions."},
		{Warning{Kind: WarningNoPlanDay90, Args: []int{90, 1}},
			"Sjukfallet är på dag 90 och väntas passera dag 90 om 1 dag utan plan för återgång i arbete eller planerade åtgärder.",
			"The sickness case is on day 90 and is expected to pass day 90 in 1 day with no return-to-work plan and no planned actions."},
		{Warning{Kind: WarningFMBExceeded, Args: []int{91, 90}},
			"Sjukskrivningen är intygad för 91 dagar, längre än de 90 dagar som FMB rekommenderar för diagnosen, och intyget motiverar inte den längre sjukskrivningen.",
			"The sick leave is certified for 91 days, longer than the 90 days FMB recommends for the diagnosis, and the certificate does not justify the longer sick leave."},
		{Warning{Kind: WarningRepeatedCases, Args: []int{3, 12}},
			"Personen har haft 3 sjukfall under de senaste 12 månaderna.",
			"The person has had 3 sickness cases in the last 12 months."},
		{Warning{Kind: WarningCertificateQual, Args: []int{55, 70, 0}},
			"Det senaste läkarintyget har kvalitetspoäng 55, under gränsen 70.",
			"The latest medical certificate scores 55, below the threshold of 70."},
		{Warning{Kind: WarningCertificateQual, Args: []int{90, 70, 2}},
			"2 begäranden om komplettering är obesvarade.",
			"2 requests for supplementary information are unanswered."},
		{Warning{Kind: WarningCertificateQual, Args: []int{50, 70, 1}},
			"Det senaste läkarintyget har kvalitetspoäng 50, under gränsen 70. 1 begäran om komplettering är obesvarad.",
			"The latest medical certificate scores 50, below the threshold of 70. 1 request for supplementary information is unanswered."},
		{Warning{Kind: WarningNoContact, Args: []int{34}},
			"Ingen kontakt med den försäkrade har registrerats på 34 dagar.",
			"No contact with the insured person has been recorded for 34 days."},
		{Warning{Kind: WarningTimeLimitNearing, Args: []int{45}},
			"Den bortre tidsgränsen nås om 45 dagar.",
			"The time limit (bortre tidsgräns) is reached in 45 days."},
		{Warning{Kind: "something_new", Rule: "x>1"}, "x>1", "x>1"},
	} {
		if got := tc.w.Reason("sv"); got != tc.sv {
			t.Errorf("%s sv:\n got %q\nwant %q", tc.w.Kind, got, tc.sv)
		}
		if got := tc.w.Reason(""); got != tc.sv {
			t.Errorf("%s default is not Swedish: %q", tc.w.Kind, got)
		}
		if got := tc.w.Reason("en"); got != tc.en {
			t.Errorf("%s en:\n got %q\nwant %q", tc.w.Kind, got, tc.en)
		}
	}
	// A stored warning with too few Args still renders.
	if got := (Warning{Kind: WarningNoContact}).Reason("sv"); got != "Ingen kontakt med den försäkrade har registrerats på 0 dagar." {
		t.Errorf("no args: %q", got)
	}
}

func TestEveryKindHasLabelsInBothLanguages(t *testing.T) {
	for _, k := range DeadlineKinds {
		sv, en := DeadlineLabel(k, "sv"), DeadlineLabel(k, "en")
		if sv == k || en == k || sv == en || DeadlineLabel(k, "") != sv {
			t.Errorf("deadline %s: %q / %q", k, sv, en)
		}
	}
	for _, k := range WarningKinds {
		sv, en := WarningLabel(k, "sv"), WarningLabel(k, "en")
		if sv == k || en == k || sv == en || WarningLabel(k, "") != sv {
			t.Errorf("warning %s: %q / %q", k, sv, en)
		}
	}
	if DeadlineLabel("nope", "sv") != "nope" || WarningLabel("nope", "en") != "nope" {
		t.Error("an unknown kind is not its own label")
	}
}
