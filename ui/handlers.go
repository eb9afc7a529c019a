package ui

// handlersView is what the handlers pages show.
type handlersView struct{}

// handlerRoutes lists the handlers pages: webhooks, e-mail and exports,
// their delivery logs and redelivery (docs/ui.md).
func (s *Server) handlerRoutes() []route {
	return nil
}
