package web

// registerAssociationReportRoutes declares this part's routes (see association.go).
func (s *Server) registerAssociationReportRoutes() {
}
