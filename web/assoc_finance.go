package web

// registerAssociationFinanceRoutes declares this part's routes (see association.go).
func (s *Server) registerAssociationFinanceRoutes() {
}
