package ui

// accountsView is what the API tokens and users pages show.
type accountsView struct{}

// accountRoutes lists the pages that manage who may use inkform: API
// tokens and users (docs/ui.md).
func (s *Server) accountRoutes() []route {
	return nil
}
