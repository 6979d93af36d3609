package admin

import (
	"testing"

	"github.com/finsam/finsam/web/internal/site"
)

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

func TestActionChoicesOfferNamedActionsAndKeepTheChosenOne(t *testing.T) {
	choices := actionChoices("sv", "sign_in")
	var selected []string
	for _, c := range choices {
		if c.Label == c.Value {
			t.Errorf("action %q is offered by its code", c.Value)
		}
		if c.Selected {
			selected = append(selected, c.Value)
		}
	}
	if len(selected) != 1 || selected[0] != "sign_in" || len(choices) < len(auditActions) {
		t.Errorf("%d choices, selected %v", len(choices), selected)
	}
	// An action logged without a name yet can still be searched.
	if got := actionChoices("sv", "no_such_action"); got[len(got)-1] != (site.Choice{Value: "no_such_action", Label: "no_such_action", Selected: true}) {
		t.Errorf("an unnamed chosen action: %+v", got[len(got)-1])
	}
	// The shared list is not changed by a request's choice.
	for _, c := range actionOptions["sv"] {
		if c.Selected {
			t.Errorf("the shared list has %q selected", c.Value)
		}
	}
}
