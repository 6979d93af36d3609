package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/store/storetest"
	"github.com/finsam/finsam/web/internal/site"
)

func testKeys(t testing.TB) *audit.Keys {
	k, err := audit.NewKeys([]byte("web test master secret of 32 bytes or more"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newTestServer(t *testing.T, st *store.Store, logs io.Writer) *Server {
	t.Helper()
	if logs == nil {
		logs = io.Discard
	}
	s, err := New(Config{Store: st, Logger: slog.New(slog.NewJSONHandler(logs, nil)), Version: "test", AuditKeys: testKeys(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	checkAnswersAgainstDocument(t, s)
	return s
}

func do(s *Server, method, target string, body io.Reader, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

func TestEndpoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newTestServer(t, st, nil)
		tests := []struct {
			method, path string
			status       int
			contentType  string
			contains     string
		}{
			{"GET", "/healthz", 200, "application/json", `"ok"`},
			{"GET", "/readyz", 200, "application/json", `"ready"`},
			{"GET", "/", 200, "text/html", "<h1>finsam"},
			{"GET", "/?lang=en", 200, "text/html", `lang="en"`},
			{"GET", "/api/v1/openapi.json", 200, "application/json", `"openapi": "3.1.0"`},
			{"GET", "/static/fkui.css", 200, "text/css", ".button"},
			{"GET", "/static/nope.css", 404, "text/html", "Sidan finns inte"},
			{"GET", "/no/such/page", 404, "text/html", "Sidan finns inte"},
			{"GET", "/api/v1/no-such-thing", 404, "application/json", `"code":"not_found"`},
			{"POST", "/healthz", 405, "text/html", "kan inte användas"},
			{"DELETE", "/api/v1/openapi.json", 405, "application/json", `"code":"method_not_allowed"`},
			{"HEAD", "/healthz", 200, "application/json", ""},
		}
		for _, tc := range tests {
			rec := do(s, tc.method, tc.path, nil)
			if rec.Code != tc.status {
				t.Errorf("%s %s: status %d, want %d", tc.method, tc.path, rec.Code, tc.status)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tc.contentType) {
				t.Errorf("%s %s: Content-Type %q, want %q", tc.method, tc.path, ct, tc.contentType)
			}
			if !strings.Contains(rec.Body.String(), tc.contains) {
				t.Errorf("%s %s: body lacks %q", tc.method, tc.path, tc.contains)
			}
			if rec.Header().Get("X-Request-Id") == "" {
				t.Errorf("%s %s: no X-Request-Id", tc.method, tc.path)
			}
		}
	})
}

func TestMethodNotAllowedListsAllowedMethods(t *testing.T) {
	s := newTestServer(t, storetest.Open(t, store.SQLite), nil)
	rec := do(s, "PUT", "/readyz", nil)
	if rec.Code != 405 || rec.Header().Get("Allow") != "GET" {
		t.Fatalf("status %d Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	s := newTestServer(t, storetest.Open(t, store.SQLite), nil)
	for _, path := range []string{"/", "/healthz", "/no-such", "/api/v1/openapi.json", "/static/finsam.css"} {
		h := do(s, "GET", path, nil).Header()
		csp := h.Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") ||
			!strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: missing nosniff or Referrer-Policy: %v", path, h)
		}
	}
}

// Pages must work without inline scripts or styles, which the CSP forbids.
func TestPagesHaveNoInlineScriptOrStyle(t *testing.T) {
	s := newTestServer(t, storetest.Open(t, store.SQLite), nil)
	for _, path := range []string{"/", "/?lang=en", "/no-such"} {
		body := do(s, "GET", path, nil).Body.String()
		for _, bad := range []string{"<script", "<style", " style=", " onclick=", " onload="} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q", path, bad)
			}
		}
	}
}

func TestLanguageChoiceSticks(t *testing.T) {
	s := newTestServer(t, storetest.Open(t, store.SQLite), nil)
	rec := do(s, "GET", "/?lang=en", nil)
	var cookie string
	for _, c := range rec.Result().Cookies() {
		if c.Name == "lang" {
			cookie = c.Name + "=" + c.Value
		}
	}
	if cookie != "lang=en" {
		t.Fatalf("cookie %q, want lang=en", cookie)
	}
	body := do(s, "GET", "/", nil, "Cookie", cookie).Body.String()
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "What finsam does") {
		t.Fatal("English choice not kept by the cookie")
	}
	body = do(s, "GET", "/no-such", nil, "Cookie", cookie).Body.String()
	if !strings.Contains(body, "The page does not exist") {
		t.Fatal("error page not in English")
	}
}

func TestReadyzIs503WhenDatabaseIsGone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		s := newTestServer(t, st, nil)
		st.Close()
		rec := do(s, "GET", "/readyz", nil)
		if rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503", rec.Code)
		}
		if do(s, "GET", "/healthz", nil).Code != 200 {
			t.Fatal("healthz must stay 200: the process is alive")
		}
	})
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	s := newTestServer(t, storetest.Open(t, store.SQLite), nil)
	rec := do(s, "POST", "/api/v1/openapi.json", strings.NewReader("{}"),
		"Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site")
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "cross_origin_denied") {
		t.Fatalf("status %d body %s", rec.Code, rec.Body)
	}
}

func TestPanicBecomesCleanError(t *testing.T) {
	var logs bytes.Buffer
	s := newTestServer(t, storetest.Open(t, store.SQLite), &logs)
	s.mux.HandleFunc("GET /api/v1/test-panic", func(http.ResponseWriter, *http.Request) { panic("secret detail") })
	s.mux.HandleFunc("GET /test-panic", func(http.ResponseWriter, *http.Request) { panic("secret detail") })
	for _, path := range []string{"/api/v1/test-panic", "/test-panic"} {
		rec := do(s, "GET", path, nil)
		if rec.Code != 500 {
			t.Fatalf("%s: status %d", path, rec.Code)
		}
		if strings.Contains(rec.Body.String(), "secret detail") || strings.Contains(rec.Body.String(), "goroutine") {
			t.Fatalf("%s: panic detail leaks to the client: %s", path, rec.Body)
		}
	}
	if !strings.Contains(logs.String(), "secret detail") {
		t.Fatal("panic not logged")
	}
}

func TestEveryLogLineOfARequestHasItsID(t *testing.T) {
	var logs bytes.Buffer
	s := newTestServer(t, storetest.Open(t, store.SQLite), &logs)
	s.mux.HandleFunc("GET /test-log", func(w http.ResponseWriter, r *http.Request) {
		s.log.InfoContext(r.Context(), "inside handler")
	})
	rec := do(s, "GET", "/test-log", nil)
	id := rec.Header().Get("X-Request-Id")
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 log lines, got %q", lines)
	}
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		if rec["request_id"] != id {
			t.Errorf("line without request id %s: %s", id, l)
		}
	}
	var access map[string]any
	json.Unmarshal([]byte(lines[1]), &access)
	if access["route"] != "GET /test-log" || access["status"] != float64(200) || access["duration_ms"] == nil {
		t.Errorf("access line lacks route/status/duration: %v", access)
	}
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	s := newTestServer(t, storetest.Open(t, store.SQLite), nil)
	do(s, "GET", "/healthz", nil)
	do(s, "GET", "/healthz", nil)
	do(s, "GET", "/some/unknown/path", nil)
	body := do(s, "GET", "/metrics", nil).Body.String()
	for _, want := range []string{
		`finsam_http_requests_total{code="200",method="GET",route="GET /healthz"} 2`,
		`finsam_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`finsam_http_request_duration_seconds_bucket{route="GET /healthz",le="+Inf"} 2`,
		`finsam_db_connections_max{pool="write"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestOpenAPIMatchesRoutes fails when an /api/v1 route is registered but not
// documented, or documented but not registered.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := newTestServer(t, storetest.Open(t, store.SQLite), nil)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Info    struct{ Title, Version string }       `json:"info"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(s.openapi, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") || doc.Info.Title == "" || doc.Info.Version != "test" {
		t.Fatalf("not an OpenAPI 3.1 document with title and version: %+v", doc)
	}
	var documented, registered []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if method == "parameters" || method == "summary" || method == "description" {
				continue
			}
			documented = append(documented, strings.ToUpper(method)+" "+path)
			var o struct {
				OperationID string                     `json:"operationId"`
				Responses   map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(op, &o); err != nil || o.OperationID == "" || len(o.Responses) == 0 {
				t.Errorf("%s %s: needs an operationId and responses", method, path)
			}
		}
	}
	for _, r := range s.Routes() {
		if r.Kind == KindAPI {
			registered = append(registered, r.Pattern())
		}
	}
	sort.Strings(documented)
	sort.Strings(registered)
	if strings.Join(documented, "\n") != strings.Join(registered, "\n") {
		t.Fatalf("OpenAPI and routes differ\ndocumented:\n%s\nregistered:\n%s", strings.Join(documented, "\n"), strings.Join(registered, "\n"))
	}
}

func TestRouteWithoutMethodOrActionIsRefused(t *testing.T) {
	s := newTestServer(t, storetest.Open(t, store.SQLite), nil)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("a route without an action was accepted")
			}
		}()
		s.route(KindPage, "GET /no-action", policy.Action(0), func(http.ResponseWriter, *http.Request, *site.Actor) error { return nil })
	}()
	for _, bad := range []string{"/no-method", "GET /api/v1/x-but-not-api"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("register(%q) did not panic", bad)
				}
			}()
			s.route(KindPage, bad, policy.Public, func(http.ResponseWriter, *http.Request, *site.Actor) error { return nil })
		}()
	}
}

func TestLanguageSwitchLeadsToAPageThatAnswersGET(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, _ := demoServer(t, st)
	b := newBrowser(t, s)
	b.Login("admin", "demo")
	switchURL := func(body string) string {
		i := strings.Index(body, `hreflang="en"`)
		j := strings.LastIndex(body[:i], `href="`)
		return strings.ReplaceAll(body[j+len(`href="`):strings.Index(body[j+6:], `"`)+j+6], "&amp;", "&")
	}
	// A GET keeps its query.
	if got := switchURL(b.Do("GET", "/rakna?date=2020-01-01", nil).Body.String()); got != "/rakna?date=2020-01-01&lang=en" {
		t.Errorf("GET: switch to %q", got)
	}
	// The answer to a POST switches to the page above it.
	rec := b.Do("POST", "/account/password", url.Values{"current": {"wrong"}})
	if got := switchURL(rec.Body.String()); got != "/account?lang=en" {
		t.Errorf("POST /account/password: switch to %q", got)
	}
	rec = b.Do("POST", "/admin/audit/person", url.Values{"personnummer": {"nonsense"}})
	if got := switchURL(rec.Body.String()); got != "/admin/audit?lang=en" {
		t.Errorf("POST /admin/audit/person: switch to %q", got)
	}
}

// The latest recompute run is in /metrics: nothing before the first run,
// its figures after one.
func TestMetricsShowTheLatestRecomputeRun(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s := newTestServer(t, st, nil)
	if body := do(s, "GET", "/metrics", nil).Body.String(); strings.Contains(body, "finsam_recompute_last_cases") {
		t.Error("a run reported before any ran")
	}
	ctx := context.Background()
	started := time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)
	err := st.Tx(ctx, func(tx *store.Tx) error {
		run, err := store.StartRecomputeRun(ctx, tx, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), "nightly", started)
		if err != nil {
			return err
		}
		if err := store.ProgressRecomputeRun(ctx, tx, run.ID, 99, 1234, 2, 5); err != nil {
			return err
		}
		return store.FinishRecomputeRun(ctx, tx, run.ID, started.Add(21*time.Second))
	})
	if err != nil {
		t.Fatal(err)
	}
	body := do(s, "GET", "/metrics", nil).Body.String()
	for _, want := range []string{
		"finsam_recompute_last_cases 1234",
		"finsam_recompute_last_failed_cases 2",
		"finsam_recompute_last_provisional_cases 5",
		"finsam_recompute_last_duration_seconds 21",
		"finsam_recompute_last_started_timestamp_seconds 1.7960022e+09",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}
