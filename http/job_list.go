package http

import (
	"net/http"
	"strconv"

	"github.com/inkform/inkform"
)

// jobListResponse is the body of GET /api/v1/jobs.
type jobListResponse struct {
	Jobs []*inkform.Job `json:"jobs"`
	Next string         `json:"next"`
}

// handleJobList answers GET /api/v1/jobs?state=&kind=&after=&limit=: the
// org's background jobs, typically state=dead to find failed deliveries.
func (s *Server) handleJobList(w http.ResponseWriter, r *http.Request) error {
	org, err := orgID(r)
	if err != nil {
		return err
	}
	if s.Jobs == nil {
		return errNoJobs()
	}
	q := r.URL.Query()
	filter := inkform.JobFilter{Kind: q.Get("kind")}
	switch st := inkform.JobState(q.Get("state")); st {
	case "", inkform.JobAvailable, inkform.JobRunning, inkform.JobRetryable,
		inkform.JobCompleted, inkform.JobCancelled, inkform.JobDead:
		filter.State = st
	default:
		return invalidParam("state", "must be available, running, retryable, completed, cancelled or dead")
	}
	if a := q.Get("after"); a != "" {
		if filter.After, err = strconv.ParseInt(a, 10, 64); err != nil || filter.After < 0 {
			return invalidParam("after", "must be a job ID (a whole number)")
		}
	}
	limit, err := pageLimit(q)
	if err != nil {
		return err
	}
	filter.Limit = limit + 1 // one more tells whether another page follows
	jobs, err := s.Jobs.ListJobs(r.Context(), org, filter)
	if err != nil {
		return err
	}
	jobs, next := nextCursor(jobs, limit, func(j *inkform.Job) string { return strconv.FormatInt(j.ID, 10) })
	if jobs == nil {
		jobs = []*inkform.Job{}
	}
	return writeJSON(w, http.StatusOK, jobListResponse{Jobs: jobs, Next: next})
}
