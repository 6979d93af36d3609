// Package web is finsam's HTTP face: server-rendered pages for people, the
// JSON API under /api/v1 for systems, and the operational endpoints
// (/healthz, /readyz, /metrics). Handlers call the domain packages and the
// store; nothing below this package knows about HTTP.
package web

import (
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"

	"github.com/finsam/finsam/store"
)

// Config is what the server needs from the outside.
type Config struct {
	Store   *store.Store
	Logger  *slog.Logger
	Version string
}

// Server holds the routes and their dependencies. Build it with New and
// serve Handler().
type Server struct {
	store   *store.Store
	log     *slog.Logger
	version string

	mux     *http.ServeMux
	routes  []Route
	handler http.Handler

	metrics *metrics
	pages   map[string]*template.Template
	assets  *assets
	openapi []byte
}

// Route is one registered endpoint. The route table is the single source for
// the mux, the metrics labels and the OpenAPI consistency test.
type Route struct {
	Method string
	Path   string
	// API marks JSON endpoints under /api/v1; they must be in the OpenAPI
	// document.
	API bool
}

// Pattern is the ServeMux pattern of the route.
func (r Route) Pattern() string { return r.Method + " " + r.Path }

// New builds a server and all its routes.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		store:   cfg.Store,
		log:     slog.New(withRequestID(cfg.Logger.Handler())),
		version: cfg.Version,
		mux:     http.NewServeMux(),
	}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(s.assets); err != nil {
		return nil, err
	}
	if s.openapi, err = loadOpenAPI(cfg.Version); err != nil {
		return nil, err
	}
	s.metrics = newMetrics(cfg.Store, cfg.Version)
	s.registerRoutes()
	s.handler = s.middleware(s.mux)
	return s, nil
}

// Handler is the whole server: middleware chain and routes.
func (s *Server) Handler() http.Handler { return s.handler }

// Routes lists the registered routes (for tests and documentation).
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

// handle registers a page or operational route. The pattern must name its
// method: a route without one would answer every method.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	s.register(pattern, false, h)
}

// handleAPI registers a JSON API route; its path must be under /api/v1/.
func (s *Server) handleAPI(pattern string, h http.HandlerFunc) {
	s.register(pattern, true, h)
}

func (s *Server) register(pattern string, api bool, h http.HandlerFunc) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || strings.Contains(method, "/") {
		panic(fmt.Sprintf("web: route %q has no method", pattern))
	}
	if api != strings.HasPrefix(path, "/api/v1/") {
		panic(fmt.Sprintf("web: route %q: API routes live under /api/v1/ and only they do", pattern))
	}
	s.routes = append(s.routes, Route{Method: method, Path: path, API: api})
	s.mux.HandleFunc(pattern, h)
}

// ctxKey keys this package's context values.
type ctxKey int

const requestIDKey ctxKey = iota

// RequestID returns the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
