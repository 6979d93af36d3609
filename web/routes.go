package web

// registerRoutes is the one place where every route is declared. Later issues
// add their routes here, each with the action it needs.
func (s *Server) registerRoutes() {
	// Pages for people.
	s.handle("GET /{$}", s.startPage)
	s.handle("GET /static/{file}", s.static)

	// Operations.
	s.handle("GET /healthz", s.healthz)
	s.handle("GET /readyz", s.readyz)
	s.handle("GET /metrics", s.metrics.handler().ServeHTTP)

	// The JSON API.
	s.handleAPI("GET /api/v1/openapi.json", s.openAPIDocument)

	// Everything else: 404, or 405 when the path exists for another method.
	s.mux.HandleFunc("/", s.unmatched)
}
