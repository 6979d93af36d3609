package assoctabs_test

import (
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/web/internal/assoctabs"
	"github.com/finsam/finsam/web/internal/site"
)

// TestCurrentTab: a page marks the section it belongs to, a sub-page its
// section, the start page only itself; the association's staff see every
// tab.
func TestCurrentTab(t *testing.T) {
	staff := &site.Actor{Actor: policy.Actor{UserID: 3, OrgID: 7, OrgType: organisation.Association, Roles: account.RolesOf(account.AssociationStaff)}}
	res := policy.Resource{OrgID: 7, Now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		path, want string
	}{
		{"/forbund/gotland", "Översikt"},
		{"/forbund/gotland/", "Översikt"},
		{"/forbund/gotland/insatser", "Insatser"},
		{"/forbund/gotland/insatser/12/deltagare/ny", "Insatser"},
		{"/forbund/gotland/kodlistor", "Insatser"},
		{"/forbund/gotland/deltagare/7", "Deltagare"},
		{"/forbund/gotland/webb/katalog/3", "Webbplats"},
		{"/forbund/gotland/budgetar", ""},
		{"/forbund/gotlandia/insatser", ""},
		{"/forbund/annat", ""},
	} {
		nav := assoctabs.For(staff, res, "gotland", tc.path).In("sv")
		if len(nav.Tabs) != len(assoctabs.Sections) {
			t.Errorf("%s: staff see %d tabs of %d", tc.path, len(nav.Tabs), len(assoctabs.Sections))
		}
		current := ""
		for _, tab := range nav.Tabs {
			if tab.Current {
				if current != "" {
					t.Errorf("%s: both %s and %s current", tc.path, current, tab.Label)
				}
				current = tab.Label
			}
		}
		if current != tc.want {
			t.Errorf("%s: current %q, want %q", tc.path, current, tc.want)
		}
	}
}

// TestMessagesComplete: both languages name every tab and the row, and
// hold the same words.
func TestMessagesComplete(t *testing.T) {
	ids := []string{"assoc.tab.label"}
	for _, s := range assoctabs.Sections {
		ids = append(ids, s.Label)
	}
	for _, lang := range site.Languages {
		for _, id := range ids {
			if _, ok := assoctabs.Messages[lang][id]; !ok {
				t.Errorf("%s: missing in %s", id, lang)
			}
		}
		if len(assoctabs.Messages[lang]) != len(assoctabs.Messages["sv"]) {
			t.Errorf("%s has %d words, sv %d", lang, len(assoctabs.Messages[lang]), len(assoctabs.Messages["sv"]))
		}
	}
}
