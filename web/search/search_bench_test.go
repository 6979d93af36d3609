package search_test

// Benchmarks of the header's search and the start view beside the
// stylesheet through the same handler chain, over FINSAM_BENCH_CASES open
// cases (default 20,000) spread over forty offices of FK, with persons
// named as the generated data names them. The load test of the same pages
// at 50 users over the generated national data is `finsam loadtest
// --only "start view,search"` (docs/performance.md).
//
//	FINSAM_BENCH_CASES=200000 go test ./web/search -run '^$' -bench Search -benchtime 2s
//
// Run them with FINSAM_TEST_POSTGRES set for PostgreSQL as well.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/personnummer"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/internal/webtest"
)

const benchOffices = 40

var (
	benchGiven  = []string{"Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Anders", "Sara", "Per", "Åsa", "Öjvind", "Lena", "Mikael", "Elin", "Nils"}
	benchFamily = []string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Öberg", "Åberg", "Lind", "Berg"}
)

// searchBench is a server over many cases, with sessions of a case worker
// of the first office, its manager and a director without an office, and
// a personnummer of one of the case worker's cases.
type searchBench struct {
	s                         *webtest.Server
	worker, manager, director *http.Cookie
	pnr                       string
	caseID                    int64
}

func newSearchBench(tb testing.TB, d store.Dialect) *searchBench {
	tb.Helper()
	s := webtest.DemoOn(tb, d)
	ctx := context.Background()
	now := s.Clock.Now()
	sb := &searchBench{s: s}
	n := webtest.BenchCases()
	err := s.Store.Tx(ctx, func(tx *store.Tx) error {
		fk, err := store.OrganisationBySlug(ctx, tx, "fk")
		if err != nil {
			return err
		}
		offices := make([]int64, benchOffices)
		workers := make([]int64, benchOffices)
		for i := range offices {
			if offices[i], err = store.CreateOffice(ctx, tx, store.Office{OrgID: fk.ID, Slug: fmt.Sprintf("bench-%02d", i), Name: fmt.Sprintf("Bänkkontor %02d", i), Kind: store.OfficeLocal}); err != nil {
				return err
			}
			if workers[i], err = store.CreateUser(ctx, tx, store.User{Username: fmt.Sprintf("bench-hw-%02d", i), Name: fmt.Sprintf("Bänk Handläggare %02d", i),
				OrgID: fk.ID, OfficeID: offices[i], Roles: account.RolesOf(account.CaseWorker)}); err != nil {
				return err
			}
		}
		manager, err := store.CreateUser(ctx, tx, store.User{Username: "bench-chef", Name: "Bänk Chef", OrgID: fk.ID, OfficeID: offices[0], Roles: account.RolesOf(account.Manager)})
		if err != nil {
			return err
		}
		director, err := store.UserByName(ctx, tx, "direktor")
		if err != nil {
			return err
		}
		for _, c := range []struct {
			dst **http.Cookie
			id  int64
		}{{&sb.worker, workers[0]}, {&sb.manager, manager}, {&sb.director, director.ID}} {
			if *c.dst, err = webtest.BenchSession(ctx, tx, c.id, now, 8*time.Hour); err != nil {
				return err
			}
		}
		rng := rand.New(rand.NewPCG(7, 7))
		persons := make([]store.Person, n)
		for i := range persons {
			birth := time.Date(1960+rng.IntN(45), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
			persons[i] = store.Person{Personnummer: string(personnummer.Generate(rng, birth, rng.IntN(5) == 0)),
				Name:             benchGiven[rng.IntN(len(benchGiven))] + " " + benchFamily[rng.IntN(len(benchFamily))],
				MunicipalityCode: "0980", ProtectedIdentity: i%500 == 0}
		}
		persons = uniquePersons(persons)
		pids, err := store.InsertPersons(ctx, tx, persons, now)
		if err != nil {
			return err
		}
		today := now.UTC().Truncate(24 * time.Hour)
		cases := make([]store.NewCase, len(pids))
		for i := range cases {
			first := today.AddDate(0, 0, -rng.IntN(365))
			o := i % benchOffices
			cases[i] = store.NewCase{PersonID: pids[i], FirstDay: first, LastDay: first.AddDate(0, 0, 30+rng.IntN(270)), OfficeID: offices[o], AssignedUserID: workers[o]}
		}
		ids, err := store.InsertCases(ctx, tx, cases, now)
		if err != nil {
			return err
		}
		sb.pnr, sb.caseID = personnummer.Number(persons[0].Personnummer).String(), ids[0]
		if persons[0].ProtectedIdentity {
			sb.pnr, sb.caseID = personnummer.Number(persons[benchOffices].Personnummer).String(), ids[benchOffices]
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return sb
}

// uniquePersons drops the persons whose generated number came up before.
func uniquePersons(ps []store.Person) []store.Person {
	seen := make(map[string]bool, len(ps))
	out := ps[:0]
	for _, p := range ps {
		if !seen[p.Personnummer] {
			seen[p.Personnummer] = true
			out = append(out, p)
		}
	}
	return out
}

func (sb *searchBench) serve(b *testing.B, c *http.Cookie, method, path, query string) {
	newReq := func() *http.Request {
		var req *http.Request
		if method == http.MethodPost {
			req = httptest.NewRequest(method, path, strings.NewReader(url.Values{"q": {query}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req = httptest.NewRequest(method, path, nil)
		}
		if c != nil {
			req.AddCookie(c)
		}
		return req
	}
	rec := httptest.NewRecorder()
	sb.s.Handler().ServeHTTP(rec, newReq())
	if rec.Code != http.StatusOK {
		b.Fatalf("%s %s %q: %d", method, path, query, rec.Code)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		sb.s.Handler().ServeHTTP(httptest.NewRecorder(), newReq())
	}
}

func benchmarkSearch(b *testing.B, d store.Dialect) {
	sb := newSearchBench(b, d)
	b.Run("static", func(b *testing.B) { sb.serve(b, nil, "GET", "/static/finsam.css", "") })
	b.Run("start-view-worker", func(b *testing.B) { sb.serve(b, sb.worker, "GET", "/", "") })
	b.Run("start-view-manager", func(b *testing.B) { sb.serve(b, sb.manager, "GET", "/", "") })
	b.Run("search-personnummer", func(b *testing.B) { sb.serve(b, sb.worker, "POST", "/sok", sb.pnr) })
	b.Run("search-case-number", func(b *testing.B) { sb.serve(b, sb.worker, "POST", "/sok", strconv.FormatInt(sb.caseID, 10)) })
	b.Run("search-given-name", func(b *testing.B) { sb.serve(b, sb.worker, "POST", "/sok", "ann") })
	b.Run("search-family-name", func(b *testing.B) { sb.serve(b, sb.worker, "POST", "/sok", "öberg") })
	b.Run("search-name-all-offices", func(b *testing.B) { sb.serve(b, sb.director, "POST", "/sok", "ann") })
	b.Run("search-no-match", func(b *testing.B) { sb.serve(b, sb.worker, "POST", "/sok", "qzx") })
}

func BenchmarkSearchSQLite(b *testing.B) { benchmarkSearch(b, store.SQLite) }

func BenchmarkSearchPostgres(b *testing.B) {
	if os.Getenv("FINSAM_TEST_POSTGRES") == "" {
		b.Skip("FINSAM_TEST_POSTGRES not set")
	}
	benchmarkSearch(b, store.Postgres)
}
