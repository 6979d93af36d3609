package forbund_test

import (
	"github.com/finsam/finsam/web"
	"strconv"
	"strings"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/fixture"
	"github.com/finsam/finsam/web/internal/webtest"
)

// The tests' vocabulary over the harness.

type browser = webtest.Client

// demoServer is a demo installation over st (every demo password is
// "demo") with its clock; its API answers are checked against the
// OpenAPI document.
func demoServer(t testing.TB, st *store.Store, opts ...func(*web.Config)) (*webtest.Server, *webtest.Clock) {
	t.Helper()
	s := webtest.Demo(t, st, opts...)
	return s, s.Clock
}

// signedIn is a client signed in as user.
func signedIn(t *testing.T, s *webtest.Server, user, password string) *browser {
	t.Helper()
	return s.SignedInWith(t, user, password)
}

func statusIs(t *testing.T, label string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("%s: status %d, want %d", label, got, want)
	}
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

// countAudit is how many entries of action with outcome the audit log
// holds.
var countAudit = fixture.AuditCount

func countRows(t *testing.T, st *store.Store, table string) int {
	t.Helper()
	return webtest.Count(t, st, "SELECT count(*) FROM "+table)
}

// bodyShows fails t for each of shown that body lacks and each of hidden
// that it holds.
func bodyShows(t *testing.T, label, body string, shown, hidden []string) {
	t.Helper()
	for _, want := range shown {
		if !strings.Contains(body, want) {
			t.Errorf("%s: lacks %s", label, want)
		}
	}
	for _, unwanted := range hidden {
		if strings.Contains(body, unwanted) {
			t.Errorf("%s: shows %s", label, unwanted)
		}
	}
}
