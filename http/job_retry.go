package http

import (
	"net/http"
	"strconv"

	"github.com/inkform/inkform"
)

// errNoJobs answers the job routes while no job service is wired in.
func errNoJobs() error {
	return inkform.Errorf(inkform.EUNAVAILABLE, "the job queue is not available on this server")
}

// handleJobRetry answers POST /api/v1/jobs/{id}/retry: a dead, cancelled or
// retryable job becomes available now (204), for an admin who fixed the
// cause, such as a customer's webhook endpoint.
func (s *Server) handleJobRetry(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	if s.Jobs == nil {
		return errNoJobs()
	}
	v := r.PathValue("id")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return inkform.Errorf(inkform.ENOTFOUND, "no job has the ID %q", v)
	}
	if err := s.Jobs.RetryJob(r.Context(), org, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
