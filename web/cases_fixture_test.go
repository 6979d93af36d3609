package web

import (
	"context"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
)

// casesPassword is the password of the case workers casesSetup makes.
const casesPassword = "case-test-password"

// caseFixture is the case work of casesSetup: FK's Visby insurance centre
// (the demo manager's office) with a case worker of its own, another
// office with its case worker, and four cases.
type caseFixture struct {
	fk                organisation.Organisation
	visby, other      int64 // offices: lfc-visby (the demo's) and lk-visby
	worker, colleague int64 // case workers in Visby: hw-visby and hw-kollega
	otherWorker       int64 // a case worker of the other office: hw-annat
	// mine: assigned to hw-visby, a plain case; protected: assigned to
	// hw-visby, a person with a protected identity; unassigned: Visby's,
	// nobody's; elsewhere: the other office's.
	mine, protected, unassigned, elsewhere int64
	pnrMine                                string
}

// casesSetup loads the demo organisations and users, adds its own case
// workers and cases (so that nothing depends on the demo's case data) and
// refreshes every case's stored state as an edit would.
func casesSetup(t *testing.T, st *store.Store) (*Server, caseFixture) {
	t.Helper()
	s, _ := demoServer(t, st)
	ctx := context.Background()
	now := s.now()
	hash, err := account.HashPassword(casesPassword)
	if err != nil {
		t.Fatal(err)
	}
	f := caseFixture{pnrMine: "197001019801"}
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	err = st.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if f.fk, err = store.OrganisationBySlug(ctx, tx, "fk"); err != nil {
			return err
		}
		offices, err := store.Offices(ctx, tx, f.fk.ID)
		if err != nil {
			return err
		}
		for _, o := range offices {
			switch o.Slug {
			case "lfc-visby":
				f.visby = o.ID
			case "lk-visby":
				f.other = o.ID
			}
		}
		user := func(username, name string, office int64) (int64, error) {
			return store.CreateUser(ctx, tx, store.User{Username: username, Name: name, OrgID: f.fk.ID, OfficeID: office,
				Roles: account.RolesOf(account.CaseWorker), PasswordHash: hash})
		}
		if f.worker, err = user("hw-visby", "Vera Visbyhandläggare", f.visby); err != nil {
			return err
		}
		if f.colleague, err = user("hw-kollega", "Kim Kollega", f.visby); err != nil {
			return err
		}
		if f.otherWorker, err = user("hw-annat", "Ola Annatkontor", f.other); err != nil {
			return err
		}
		newCase := func(pnr, name string, protected bool, office, assignee int64, periods ...store.Period) (int64, error) {
			pid, err := store.SavePerson(ctx, tx, store.Person{Personnummer: pnr, Name: name, MunicipalityCode: "0980", ProtectedIdentity: protected}, now)
			if err != nil {
				return 0, err
			}
			first, last := periods[0].From, periods[len(periods)-1].To
			id, err := store.InsertCase(ctx, tx, pid, first, last, now)
			if err != nil {
				return 0, err
			}
			if err := store.SetCaseOwner(ctx, tx, id, office, 0, assignee); err != nil {
				return 0, err
			}
			return id, store.InsertPeriods(ctx, tx, pid, 0, periods, "test", now)
		}
		// Sick since 1 September: day 84 on 23 November, day 91 ahead.
		if f.mine, err = newCase(f.pnrMine, "Anna Andersson", false, f.visby, f.worker,
			store.Period{From: d("2026-09-01"), To: d("2026-10-31"), Degree: 100},
			store.Period{From: d("2026-11-01"), To: d("2026-12-31"), Degree: 50}); err != nil {
			return err
		}
		if f.protected, err = newCase("198002029802", "Sara Skyddad", true, f.visby, f.worker,
			store.Period{From: d("2026-05-01"), To: d("2026-12-15"), Degree: 100}); err != nil {
			return err
		}
		if f.unassigned, err = newCase("199003039803", "Per Persson", false, f.visby, 0,
			store.Period{From: d("2026-11-10"), To: d("2026-12-20"), Degree: 75}); err != nil {
			return err
		}
		f.elsewhere, err = newCase("196504049804", "Karin Karlsson", false, f.other, f.otherWorker,
			store.Period{From: d("2026-08-01"), To: d("2027-01-31"), Degree: 100})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{f.mine, f.protected, f.unassigned, f.elsewhere} {
		if err := st.Tx(ctx, func(tx *store.Tx) error { return s.refreshCase(ctx, tx, id) }); err != nil {
			t.Fatalf("refresh case %d: %v", id, err)
		}
	}
	return s, f
}

// caseVersionOf reads a case's version.
func caseVersionOf(t *testing.T, st *store.Store, id int64) int {
	t.Helper()
	c, err := store.CaseByID(context.Background(), st, id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Version
}

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

// doBody sends a request with a raw body of a content type, with the
// browser's cookies.
func (b *browser) doBody(method, target, body, contentType string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.RemoteAddr = b.addr
	req.Header.Set("Content-Type", contentType)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.s.Handler().ServeHTTP(rec, req)
	return rec
}
