package ui

// formsView is what the forms pages show.
type formsView struct{}

// formRoutes lists the forms pages: designing, previewing and printing
// forms (docs/ui.md).
func (s *Server) formRoutes() []route {
	return nil
}
