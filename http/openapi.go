package http

import (
	_ "embed"
	"net/http"
)

// openAPISpec is the OpenAPI 3.1 description of the API. A test keeps it in
// step with the route table.
//
//go:embed openapi.json
var openAPISpec []byte

// OpenAPI returns the embedded OpenAPI 3.1 document, for tools and docs
// generators that want it without running a server.
func OpenAPI() []byte {
	return append([]byte(nil), openAPISpec...)
}

// handleOpenAPI answers GET /api/v1/openapi.json with the embedded spec.
// It needs no token: clients fetch it to learn how to get one.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(openAPISpec)
	return nil
}
