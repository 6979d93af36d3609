// Package webtest is the test harness of the web feature packages: a whole
// server in-process over a test database (SQLite, and PostgreSQL when
// FINSAM_TEST_POSTGRES is set), with the demo data set, a settable clock and
// clients that keep cookies, signed in as any demo user.
//
// Feature packages use it from their external tests (package x_test),
// which may import web although the feature itself never does.
package webtest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/finsam/finsam/account"
	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/casework"
	"github.com/finsam/finsam/demo"
	"github.com/finsam/finsam/intake"
	"github.com/finsam/finsam/organisation"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/web"
	"github.com/finsam/finsam/web/internal/apicheck"
	"github.com/finsam/finsam/web/internal/fixture"
	"github.com/finsam/finsam/web/internal/testclient"
)

// The demo users, by the role they show. Every demo password is
// DemoPassword.
const (
	CaseWorker    = "handlaggare"
	Manager       = "chef"
	Admin         = "admin"
	IntakeSteward = "intygsforvaltare"
	DemoPassword  = "demo"
)

// Start is the demo's "now": the clock of every harness server starts here.
var Start = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// Each runs f on a fresh SQLite database and, when FINSAM_TEST_POSTGRES is
// set, on a fresh PostgreSQL schema.
func Each(t *testing.T, f func(t *testing.T, st *store.Store)) { storetest.Each(t, f) }

// Open is a fresh database of dialect d.
func Open(tb testing.TB, d store.Dialect) *store.Store { return storetest.Open(tb, d) }

// Keys are the audit keys of every harness server.
func Keys(tb testing.TB) *audit.Keys {
	k, err := audit.NewKeys([]byte("web test master secret of 32 bytes or more"))
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// Clock is a settable time source.
type Clock = fixture.Clock

// Server is a whole finsam server with its database and clock. Every
// answer of an API operation it gives during the test is checked against
// the OpenAPI document (apicheck).
type Server struct {
	*web.Server
	Store *store.Store
	Clock *Clock
	// Logs is what the server logged, as JSON lines.
	Logs *LogBuffer

	handler http.Handler
}

// LogBuffer collects a server's log.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String is everything logged so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Handler is the server's handler with the answer check.
func (s *Server) Handler() http.Handler { return s.handler }

// Bare is a server over st as it is: no demo data, the real clock. The
// options change its configuration before it is built.
func Bare(tb testing.TB, st *store.Store, opts ...func(*web.Config)) *Server {
	tb.Helper()
	logs := &LogBuffer{}
	cfg := web.Config{Store: st, Logger: slog.New(slog.NewJSONHandler(logs, nil)), Version: "test", AuditKeys: Keys(tb)}
	for _, o := range opts {
		o(&cfg)
	}
	s, err := web.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return &Server{Server: s, Store: st, Logs: logs, handler: checkAnswers(tb, s)}
}

// checkAnswers is s's handler with its API answers checked against the
// OpenAPI document the server serves.
func checkAnswers(tb testing.TB, s *web.Server) http.Handler {
	tb.Helper()
	doc := Do(s.Handler(), "GET", "/api/v1/openapi.json", nil)
	if doc.Code != http.StatusOK {
		tb.Fatalf("OpenAPI document: %d", doc.Code)
	}
	// The pattern a request matches, from the route table.
	mux := http.NewServeMux()
	for _, rt := range s.Routes() {
		mux.HandleFunc(rt.Pattern(), func(http.ResponseWriter, *http.Request) {})
	}
	return apicheck.Wrap(tb, doc.Body.Bytes(), s.Handler(), func(r *http.Request) string {
		_, pattern := mux.Handler(r)
		return pattern
	})
}

// Demo is a demo installation over st: the demo data set loaded, the
// clock at Start. The options change its configuration before it is built.
func Demo(tb testing.TB, st *store.Store, opts ...func(*web.Config)) *Server {
	tb.Helper()
	if _, err := demo.LoadIfEmpty(context.Background(), st, demo.DefaultSeed, DemoPassword); err != nil {
		tb.Fatal(err)
	}
	c := fixture.NewClock(Start)
	s := Bare(tb, st, append([]func(*web.Config){func(cfg *web.Config) { cfg.Demo, cfg.Now = true, c.Now }}, opts...)...)
	s.Clock = c
	return s
}

// DemoOn is a demo installation (Demo) over a fresh database of dialect
// d, for a test or benchmark that needs only the one database.
func DemoOn(tb testing.TB, d store.Dialect, opts ...func(*web.Config)) *Server {
	tb.Helper()
	return Demo(tb, Open(tb, d), opts...)
}

// EachDemo runs f, as Each does, on every test database with a demo
// installation (Demo) over it.
func EachDemo(t *testing.T, f func(t *testing.T, s *Server)) {
	Each(t, func(t *testing.T, st *store.Store) { f(t, Demo(t, st)) })
}

// RefreshCase brings a case's stored state (result, milestones, deadlines,
// warnings) up to date as an edit of it does: by the server's rules engine,
// clock and stored configuration, with the FMB table an administrator
// loaded or the shipped one.
func (s *Server) RefreshCase(tb testing.TB, id int64) {
	tb.Helper()
	ctx := context.Background()
	err := s.Store.Tx(ctx, func(tx *store.Tx) error {
		cfg, err := casework.LoadConfig(ctx, tx)
		if err != nil {
			return err
		}
		fmb, _, err := intake.StoredFMB(ctx, s.Store)
		if err != nil {
			return err
		}
		site := s.Site()
		rc := casework.Recomputer{Store: s.Store, Engine: site.Engine(), Config: cfg, FMB: fmb, Now: site.Now}
		return rc.RefreshCase(ctx, tx, id, site.Today())
	})
	if err != nil {
		tb.Fatalf("refresh case %d: %v", id, err)
	}
}

// Do sends one request to h without cookies; hdr are header name, value
// pairs.
func Do(h http.Handler, method, target string, body io.Reader, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// Do sends one request to the server without cookies.
func (s *Server) Do(method, target string, body io.Reader, hdr ...string) *httptest.ResponseRecorder {
	return Do(s.Handler(), method, target, body, hdr...)
}

// Client is a browser in-process: it keeps the cookies the server sets.
type Client = testclient.Client

// Client is a client that has not signed in.
func (s *Server) Client(t testing.TB) *Client {
	return testclient.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.Handler().ServeHTTP(w, r) }))
}

// SignedIn is a client signed in as the demo user.
func (s *Server) SignedIn(t testing.TB, user string) *Client {
	t.Helper()
	return s.SignedInWith(t, user, DemoPassword)
}

// Token makes an API token with scopes for the organisation slug names and
// returns its secret.
func (s *Server) Token(tb testing.TB, slug string, scopes ...account.Scope) string {
	tb.Helper()
	ctx := context.Background()
	secret := account.NewSecret(account.TokenPrefix)
	err := s.Store.Tx(ctx, func(tx *store.Tx) error {
		org, err := store.OrganisationBySlug(ctx, tx, slug)
		if err != nil {
			return err
		}
		_, err = store.CreateToken(ctx, tx, store.Token{OrgID: org.ID, Name: "test", Scopes: scopes}, secret)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return secret
}

// AddUser makes a user of the organisation slug names with roles and a
// password, and returns the user's id.
func (s *Server) AddUser(tb testing.TB, slug, username, password string, roles ...account.Role) int64 {
	tb.Helper()
	ctx := context.Background()
	hash, err := account.HashPassword(password)
	if err != nil {
		tb.Fatal(err)
	}
	var id int64
	err = s.Store.Tx(ctx, func(tx *store.Tx) error {
		org, err := store.OrganisationBySlug(ctx, tx, slug)
		if err != nil {
			return err
		}
		id, err = store.CreateUser(ctx, tx, store.User{Username: username, Name: username, OrgID: org.ID,
			Roles: account.RolesOf(roles...), PasswordHash: hash})
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

// OrgAdmin is an administrator of fk only (the demo's Admin administers
// the whole system), whom DemoWithOrgAdmin adds with OrgAdminPassword.
const (
	OrgAdmin         = "fk-admin"
	OrgAdminPassword = "fk-admin-password"
)

// DemoWithOrgAdmin is the demo installation with OrgAdmin added.
func DemoWithOrgAdmin(tb testing.TB, st *store.Store) *Server {
	tb.Helper()
	s := Demo(tb, st)
	s.AddUser(tb, "fk", OrgAdmin, OrgAdminPassword, account.Admin)
	return s
}

// EachDemoWithOrgAdmin runs f, as Each does, on every test database with
// the demo installation and OrgAdmin (DemoWithOrgAdmin) over it.
func EachDemoWithOrgAdmin(t *testing.T, f func(t *testing.T, s *Server)) {
	Each(t, func(t *testing.T, st *store.Store) { f(t, DemoWithOrgAdmin(t, st)) })
}

// Count is the single number query (a SELECT count(*) …) gives.
func (s *Server) Count(tb testing.TB, query string, args ...any) int {
	tb.Helper()
	return Count(tb, s.Store, query, args...)
}

// Count is the single number query (a SELECT count(*) …) gives over st.
func Count(tb testing.TB, st *store.Store, query string, args ...any) int {
	tb.Helper()
	return fixture.Count(tb, st, query, args...)
}

// UserNamed is the user whose username is name.
func UserNamed(tb testing.TB, st *store.Store, name string) store.User {
	tb.Helper()
	u, err := store.UserByName(context.Background(), st, name)
	if err != nil {
		tb.Fatalf("user %s: %v", name, err)
	}
	return u
}

// OrgNamed is the organisation whose slug is slug.
func OrgNamed(tb testing.TB, st *store.Store, slug string) organisation.Organisation {
	tb.Helper()
	o, err := store.OrganisationBySlug(context.Background(), st, slug)
	if err != nil {
		tb.Fatalf("organisation %s: %v", slug, err)
	}
	return o
}

// Post sends body as the content type to target with an API token (none
// when token is "").
func (s *Server) Post(target, token, contentType string, body []byte) *httptest.ResponseRecorder {
	var hdr []string
	if token != "" {
		hdr = append(hdr, "Authorization", "Bearer "+token)
	}
	if contentType != "" {
		hdr = append(hdr, "Content-Type", contentType)
	}
	return Do(s.Handler(), "POST", target, strings.NewReader(string(body)), hdr...)
}
