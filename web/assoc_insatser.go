package web

// registerInsatsRoutes declares this part's routes (see association.go).
func (s *Server) registerInsatsRoutes() {
}
