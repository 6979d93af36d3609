package web

import "github.com/finsam/finsam/policy"

// registerRoutes is the one place where every route is declared, each with
// the action it needs (see package policy). Handlers check the resource
// itself (whose organisation, which consent) with s.authorize.
func (s *Server) registerRoutes() {
	// Operations and static files: public, no actor looked up.
	s.infra("GET /healthz", s.healthz)
	s.infra("GET /readyz", s.readyz)
	s.infra("GET /metrics", s.metrics.handler().ServeHTTP)
	s.infra("GET /static/{file}", s.static)

	// Public pages.
	s.page("GET /{$}", policy.Public, s.startPage)
	s.page("GET /login", policy.Public, s.loginForm)
	s.page("POST /login", policy.Public, s.login)
	s.page("POST /logout", policy.Public, s.logout)
	s.page("GET /login/oidc/{org}", policy.Public, s.oidcStart)
	s.page("GET /login/oidc/{org}/callback", policy.Public, s.oidcCallback)

	// The signed-in user's own account.
	s.page("GET /account", policy.SignedIn, s.accountPage)
	s.page("POST /account/password", policy.SignedIn, s.changePassword)
	s.page("POST /account/sessions/end-all", policy.SignedIn, s.endAllSessions)

	// The JSON API.
	s.api("GET /api/v1/openapi.json", policy.Public, s.openAPIDocument)

	// Everything else: 404, or 405 when the path exists for another method.
	s.mux.HandleFunc("/", s.unmatched)
}
