package web

import (
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/web/internal/assoctabs"
)

// TestAssociationTabsAskTheirRoutesAction: each association tab is shown by
// asking the policy for the action its page's GET route needs, so that a
// tab never offers a page its reader cannot open, nor hides one they can.
func TestAssociationTabsAskTheirRoutesAction(t *testing.T) {
	s := newTestServer(t, storetest.Open(t, store.SQLite), nil)
	routes := map[string]Route{}
	for _, r := range s.Routes() {
		routes[r.Pattern()] = r
	}
	for _, sec := range assoctabs.Sections {
		pattern := "GET /forbund/{slug}" + sec.Path
		r, ok := routes[pattern]
		if !ok {
			t.Errorf("tab %s: no route %s", sec.Label, pattern)
			continue
		}
		if r.Action != sec.Action {
			t.Errorf("tab %s asks %v, its route %s needs %v", sec.Label, sec.Action, pattern, r.Action)
		}
	}
}
