package http

import "net/http"

// healthResponse is the body of GET /healthz.
type healthResponse struct {
	Status  string `json:"status"`
	Version string `json:"version,omitempty"`
}

// handleHealthz answers GET /healthz: the process is up and serving HTTP.
// It checks nothing else on purpose, so an orchestrator does not restart a
// node only because the database is away (that is /readyz's business). The
// version lets a blue-green switch see which build answers.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, healthResponse{Status: "ok", Version: s.Version})
}
