package admin

import "testing"

func TestPurposeTextNamesWordsAndValues(t *testing.T) {
	for _, tt := range []struct{ lang, purpose, want string }{
		{"sv", "consent=2 parts=basic,plan,sick_leave", "samtycke: 2 delar: grunduppgifter, plan, sjukskrivning"},
		{"en", "parts=basic,diagnoses", "parts: basic details, diagnoses"},
		// A value without a name of its own stays as logged.
		{"sv", "parts=basic,unknown_part", "delar: grunduppgifter, unknown_part"},
		// Free text a person gave stays as written.
		{"sv", "ringde om intyget", "ringde om intyget"},
	} {
		if got := purposeText(tt.lang, tt.purpose); got != tt.want {
			t.Errorf("purposeText(%s, %q) = %q, want %q", tt.lang, tt.purpose, got, tt.want)
		}
	}
}
