// Package web is finsam's HTTP face: server-rendered pages for people, the
// JSON API under /api/v1 for systems, and the operational endpoints
// (/healthz, /readyz, /metrics). Handlers call the domain packages and the
// store; nothing below this package knows about HTTP.
package web

import (
	"context"
	"errors"
	"fmt"
	"github.com/finsam/finsam/internal/chromeprint"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/finsam/finsam/audit"
	"github.com/finsam/finsam/certificate"
	"github.com/finsam/finsam/policy"
	"github.com/finsam/finsam/rules"
	"github.com/finsam/finsam/ruleset"
	"github.com/finsam/finsam/store"
	"github.com/finsam/finsam/web/account"
	"github.com/finsam/finsam/web/admin"
	"github.com/finsam/finsam/web/calculator"
	"github.com/finsam/finsam/web/cases"
	"github.com/finsam/finsam/web/certificates"
	"github.com/finsam/finsam/web/coordination"
	"github.com/finsam/finsam/web/dashboards"
	"github.com/finsam/finsam/web/forbund"
	"github.com/finsam/finsam/web/internal/certintake"
	"github.com/finsam/finsam/web/internal/form"
	"github.com/finsam/finsam/web/internal/participant"
	"github.com/finsam/finsam/web/internal/rulesview"
	"github.com/finsam/finsam/web/internal/site"
	"github.com/finsam/finsam/web/internal/supplement"
	"github.com/finsam/finsam/web/publicsite"
	"github.com/finsam/finsam/web/quality"
	"github.com/finsam/finsam/web/search"
	"github.com/finsam/finsam/web/signin"
	"github.com/finsam/finsam/web/today"
)

// Config is what the server needs from the outside.
type Config struct {
	Store   *store.Store
	Logger  *slog.Logger
	Version string
	// AuditKeys sign the audit log and pseudonymise persons in it.
	AuditKeys *audit.Keys
	// TrustProxy makes the server believe X-Forwarded-For and
	// X-Forwarded-Proto: set it only behind a reverse proxy that sets them.
	TrustProxy bool
	// TrustedProxies are the addresses of the reverse proxies in front of
	// the server (with TrustProxy). Empty: one, the peer.
	TrustedProxies []netip.Prefix
	// Demo marks a demo installation: the sign-in page lists the demo users.
	Demo bool
	// PublicURL is the site's address as browsers see it (e.g.
	// https://finsam.example.se), for single sign-on redirects. Empty: taken
	// from each request. An https address marks cookies Secure.
	PublicURL string
	// Now is the clock; nil means time.Now. Tests move it.
	Now func() time.Time
	// Rules pins the sickness-benefit rules engine behind the calculator,
	// the case pages and /api/v1/rules; nil means the embedded parameters
	// with the values stored since the release, kept current (WatchRules).
	Rules *rules.Engine
	// PublicSiteHosts maps host names to the associations whose public
	// sites they serve (host → association slug); every site is also
	// served under /f/<slug>/ (package web/publicsite).
	PublicSiteHosts map[string]string
	// Chromium is the path of a Chromium binary that prints the
	// associations' yearly report as a tagged PDF; empty: fpdf writes it,
	// untagged (docs/adr/0032-tagged-yearly-report.md).
	Chromium string
	// ChromiumNoSandbox starts that browser without its sandbox, for
	// containers without user namespaces.
	ChromiumNoSandbox bool
}

// Server holds the routes and their dependencies. Build it with New and
// serve Handler().
type Server struct {
	store      *store.Store
	log        *slog.Logger
	version    string
	audit      *store.AuditRecorder
	trustProxy bool
	// trustedProxies: see Config.TrustedProxies.
	trustedProxies []netip.Prefix
	demo           bool
	publicURL      string
	now            func() time.Time
	// unauditedReads skips the audit of reads. Only the benchmark that
	// measures what auditing costs sets it; nothing else may.
	unauditedReads bool
	ruleset        *ruleset.Holder
	intake         *certintake.Holder

	mux     *http.ServeMux
	routes  []Route
	handler http.Handler

	metrics *metrics
	// site is the core the features share: dependencies, rendering,
	// messages, error answers.
	site *site.Site
	// features are the handlers of the feature packages.
	features struct {
		calculator *calculator.Handlers
		account    *account.Handlers
		quality    *quality.Handlers
		today      *today.Handlers
		search     *search.Handlers
		forbund    *forbund.Handlers

		certificates *certificates.Handlers
		admin        *admin.Handlers
		signin       *signin.Handlers
		cases        *cases.Handlers
		dashboards   *dashboards.Handlers
		coord        *coordination.Handlers
		publicsite   *publicsite.Handlers
	}
	pages   map[string]*template.Template
	openapi []byte
}

// RouteKind says how a route is served.
type RouteKind uint8

// The route kinds.
const (
	// KindPage is an HTML page for people: sign-in redirects, Swedish error
	// pages.
	KindPage RouteKind = iota
	// KindAPI is a JSON endpoint under /api/v1; it must be in the OpenAPI
	// document.
	KindAPI
	// KindInfra is an operational endpoint (health, metrics, static files):
	// public, and served without looking up who is asking.
	KindInfra
)

// Route is one registered endpoint. The route table is the single source for
// the mux, the metrics labels, the OpenAPI consistency test and the access
// matrix test.
type Route struct {
	Method string
	Path   string
	Kind   RouteKind
	// Action is what the route needs the actor to be allowed to do; every
	// route has one.
	Action policy.Action
}

// Pattern is the ServeMux pattern of the route.
func (r Route) Pattern() string { return r.Method + " " + r.Path }

// New builds a server and all its routes.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.AuditKeys == nil {
		return nil, fmt.Errorf("web: no audit keys configured")
	}
	s := &Server{
		store:          cfg.Store,
		log:            slog.New(withRequestID(cfg.Logger.Handler())),
		version:        cfg.Version,
		audit:          store.NewAuditRecorder(cfg.Store, cfg.AuditKeys),
		trustProxy:     cfg.TrustProxy,
		trustedProxies: cfg.TrustedProxies,
		demo:           cfg.Demo,
		publicURL:      strings.TrimRight(cfg.PublicURL, "/"),
		now:            cfg.Now,
		mux:            http.NewServeMux(),
	}
	var err error
	s.intake = certintake.New(context.Background(), cfg.Store, cfg.AuditKeys, cfg.Now, s.log)
	if cfg.Rules != nil {
		s.ruleset = ruleset.Fixed(cfg.Rules)
	} else if s.ruleset, err = ruleset.NewHolder(context.Background(), cfg.Store, s.log); err != nil {
		return nil, fmt.Errorf("web: rules engine: %w", err)
	}
	if s.site, err = site.New(site.Site{Store: cfg.Store, Log: s.log, Version: cfg.Version, Audit: s.audit, Now: cfg.Now,
		Rules: s.ruleset, Messages: messages, Mux: s.mux}); err != nil {
		return nil, err
	}
	if err := s.site.AddPages(site.Pages{FS: templateFS, Dir: "templates",
		Shared: []fs.FS{rulesview.Templates, form.Templates, participant.Templates, supplement.Templates}}); err != nil {
		return nil, err
	}
	var printer forbund.Printer
	if cfg.Chromium != "" {
		printer = chromeprint.New(cfg.Chromium, chromeprint.Options{NoSandbox: cfg.ChromiumNoSandbox})
	}
	// Each feature adds its pages to the site and hands back its handlers.
	if err := errors.Join(
		into(&s.features.calculator)(calculator.New(s.site)),
		into(&s.features.account)(account.New(s.site)),
		into(&s.features.today)(today.New(s.site)),
		into(&s.features.search)(search.New(s.site)),
		into(&s.features.quality)(quality.New(s.site)),
		into(&s.features.forbund)(forbund.New(s.site, printer)),
		into(&s.features.certificates)(certificates.New(s.site, s.intake, certificates.Supplements{View: s.supplementPart, Templates: supplement.Templates})),
		into(&s.features.admin)(admin.New(s.site, s.intake)),
		into(&s.features.signin)(signin.New(s.site, signin.Config{Demo: cfg.Demo, PublicURL: cfg.PublicURL})),
		into(&s.features.cases)(cases.New(s.site, func() *certificate.FMB { f, _ := s.intake.Table(); return f })),
		into(&s.features.dashboards)(dashboards.New(s.site)),
		into(&s.features.coord)(coordination.New(s.site)),
		into(&s.features.publicsite)(publicsite.New(s.site)),
	); err != nil {
		return nil, err
	}
	s.pages = s.site.Templates()
	if s.openapi, err = loadOpenAPI(cfg.Version); err != nil {
		return nil, err
	}
	s.metrics = newMetrics(cfg.Store, cfg.Version)
	s.registerRoutes()
	s.handler = s.middleware(publicsite.Hosts(cfg.PublicSiteHosts, s.rememberWrites(s.mux)))
	return s, nil
}

// into is where a feature's constructor puts its handlers:
// into(&h)(pkg.New(…)) sets h and answers the constructor's error.
func into[H any](h *H) func(H, error) error {
	return func(built H, err error) error {
		*h = built
		return err
	}
}

// engine is the rules engine in force. A handler takes it once and uses
// that engine throughout the request.
func (s *Server) engine() *rules.Engine { return s.ruleset.Engine() }

// Site is the core the features share, for the test harness (webtest).
func (s *Server) Site() *site.Site { return s.site }

// WatchRules keeps the rules engine current with the parameter values
// stored in the database, also those another instance stored, checking
// every interval until ctx ends.
func (s *Server) WatchRules(ctx context.Context, interval time.Duration) {
	s.ruleset.Watch(ctx, interval)
}

// Close stops the server's background work (the audit writer), after
// writing what is queued. Call it after the HTTP server has shut down.
func (s *Server) Close() { s.audit.Close() }

// Handler is the whole server: middleware chain and routes.
func (s *Server) Handler() http.Handler { return s.handler }

// Routes lists the registered routes (for tests and documentation).
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

// route registers a page (KindPage) or a JSON endpoint under /api/v1/
// (KindAPI) that needs act. The handler's error is answered by
// site.Site.Fail, the one place where errors become statuses.
func (s *Server) route(kind RouteKind, pattern string, act policy.Action, h site.HandlerFunc) {
	s.register(pattern, kind, act, s.guard(kind, act, h))
}

// infra registers a public operational endpoint served without an actor.
func (s *Server) infra(pattern string, h http.HandlerFunc) {
	s.register(pattern, KindInfra, policy.Public, h)
}

// register is the only way into the mux: a route without a method, or
// without a declared action, cannot exist.
func (s *Server) register(pattern string, kind RouteKind, act policy.Action, h http.HandlerFunc) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || strings.Contains(method, "/") {
		panic(fmt.Sprintf("web: route %q has no method", pattern))
	}
	if (kind == KindAPI) != strings.HasPrefix(path, "/api/v1/") {
		panic(fmt.Sprintf("web: route %q: API routes live under /api/v1/ and only they do", pattern))
	}
	if !act.Valid() {
		panic(fmt.Sprintf("web: route %q has no valid action", pattern))
	}
	s.routes = append(s.routes, Route{Method: method, Path: path, Kind: kind, Action: act})
	s.mux.HandleFunc(pattern, h)
}

// secureRequest tells whether the request's cookies are to be Secure (see
// Server.secure).
func secureRequest(r *http.Request) bool { return site.SecureRequest(r) }

// RequestID returns the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string { return site.RequestID(ctx) }
