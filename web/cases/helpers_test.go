package cases_test

import (
	"context"
	"regexp"
	"strconv"
	"testing"

	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/cases"
	"github.com/finsam/finsam/web/internal/fixture"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/webtest"
)

// casesPassword is the password of the case workers casesSetup makes.
const casesPassword = "case-test-password"

// browser is a client of the test server that keeps its cookies.
type browser = webtest.Client

// casesSetup is a demo server with the case work's own case workers and
// cases (cases.SeedCases), every case's stored state refreshed as an edit
// would.
func casesSetup(t *testing.T, st *store.Store) (*webtest.Server, cases.CaseFixture) {
	t.Helper()
	s := webtest.Demo(t, st)
	f := cases.SeedCases(t, st, s.Clock.Now(), casesPassword, func(id int64) { s.RefreshCase(t, id) })
	return s, f
}

// signedIn is a client signed in as user.
func signedIn(t *testing.T, s *webtest.Server, user, password string) *browser {
	t.Helper()
	return s.SignedInWith(t, user, password)
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

var messages = site.MustMerge(cases.Messages, rulesview.Messages, site.Core)

func translate(lang, id string) string { return messages.T(lang, id) }

// phaseText writes a chain phase with an en dash, as the pages do.
func phaseText(p string) string {
	for i := 0; i < len(p); i++ {
		if p[i] == '-' {
			return p[:i] + "–" + p[i+1:]
		}
	}
	return p
}

var formatInt = rulesview.FormatInt

// openDeadline is one open deadline of the case.
func openDeadline(t *testing.T, st *store.Store, caseID int64) store.CaseDeadline {
	t.Helper()
	ds, err := store.CaseDeadlines(context.Background(), st, caseID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if !d.Done {
			return d
		}
	}
	t.Fatalf("case %d has no open deadline: %+v", caseID, ds)
	return store.CaseDeadline{}
}

var caseLink = regexp.MustCompile(`href="/arenden/(\d+)"`)

// listedCases are the case ids a worklist page links to, in order.
func listedCases(body string) []int64 {
	var out []int64
	for _, m := range caseLink.FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, id)
	}
	return out
}

func statusIs(t *testing.T, label string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("%s: status %d, want %d", label, got, want)
	}
}

func countRows(t *testing.T, st *store.Store, table string) int {
	t.Helper()
	return webtest.Count(t, st, "SELECT count(*) FROM "+table)
}

// countAudit is how many entries of action with outcome the audit log
// holds.
var countAudit = fixture.AuditCount

var personnummerLike = regexp.MustCompile(`\b(19|20)\d{6}-?\d{4}\b`)

// caseVersionOf reads a case's version.
var caseVersionOf = fixture.CaseVersion
