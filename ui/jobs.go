package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

// jobsPage is how many dead jobs one page lists.
const jobsPage = 50

// jobsView is the dead jobs: background work that failed for good.
type jobsView struct {
	Kind  string // the filter: one kind of job, or "" for all
	Jobs  []*inkform.Job
	Next  string // the next page's URL
	First string // the first page's URL while on a later one
}

// jobs is signedIn for the jobs pages, which need the job service.
func (s *Server) jobs(h pageHandler) http.Handler {
	return s.signedIn(inkform.PermJobsManage, func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if !s.hasJobs() {
			s.problem(w, r, v, http.StatusServiceUnavailable, "The job queue is not set up on this server.")
			return nil
		}
		return h(w, r, v)
	})
}

// readKind reads the kind filter: a job kind is a short snake_case word.
func readKind(k string) (string, bool) {
	k = strings.TrimSpace(k)
	return k, len(k) <= 64 && strings.Trim(k, "abcdefghijklmnopqrstuvwxyz0123456789_.") == ""
}

// handleJobs serves GET /jobs?kind=&after=: the org's dead jobs with
// their last error, oldest first, with a retry per job and one for all
// that the filter matches.
func (s *Server) handleJobs(w http.ResponseWriter, r *http.Request, v *visit) error {
	q := r.URL.Query()
	kind, ok := readKind(q.Get("kind"))
	page := &view{Title: "Dead jobs", Visit: v, CSRF: v.CSRF, Jobs: &jobsView{Kind: kind}}
	if !ok {
		page.Error = "A job kind is a word such as deliver or render_pdf."
		s.render(w, r, http.StatusBadRequest, "jobs", page)
		return nil
	}
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	jobs, err := s.Jobs.ListJobs(r.Context(), v.Org.ID, inkform.JobFilter{State: inkform.JobDead, Kind: kind, After: after, Limit: jobsPage + 1})
	if err != nil {
		return fmt.Errorf("list jobs: %w", err)
	}
	base := url.Values{}
	if kind != "" {
		base.Set("kind", kind)
	}
	if len(jobs) > jobsPage {
		jobs = jobs[:jobsPage]
		next := url.Values{"after": {strconv.FormatInt(jobs[jobsPage-1].ID, 10)}}
		if kind != "" {
			next.Set("kind", kind)
		}
		page.Jobs.Next = "/jobs?" + next.Encode()
	}
	if after > 0 {
		page.Jobs.First = "/jobs?" + base.Encode()
	}
	page.Jobs.Jobs = jobs
	// The count comes back in the address after a retry; only a count is
	// repeated, so a link cannot put words of its own on the page.
	if n, err := strconv.Atoi(q.Get("retried")); err == nil && n >= 0 && n <= inkform.MaxBulkDocuments {
		page.Notice = "Jobs retried: " + strconv.Itoa(n) + ". They run again shortly."
	}
	s.render(w, r, http.StatusOK, "jobs", page)
	return nil
}

// handleJobRetry serves POST /jobs/{id}/retry: the dead job runs again
// now, with its attempts counted afresh.
func (s *Server) handleJobRetry(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.problem(w, r, v, http.StatusNotFound, "There is no such job.")
		return nil
	}
	err = s.Jobs.RetryJob(r.Context(), v.Org.ID, id)
	switch inkform.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/jobs?retried=1", http.StatusSeeOther)
		return nil
	case inkform.ENOTFOUND:
		s.problem(w, r, v, http.StatusNotFound, "There is no such job: it is gone, or was never your organization's.")
		return nil
	case inkform.ECONFLICT:
		s.problem(w, r, v, http.StatusConflict, "That job is no longer dead: it was retried already.")
		return nil
	}
	return fmt.Errorf("retry job %d: %w", id, err)
}

// handleJobsRetryAll serves POST /jobs/retry: every dead job of the kind
// (all kinds when empty) runs again, up to inkform.MaxBulkDocuments at
// once; the notice says how many.
func (s *Server) handleJobsRetryAll(w http.ResponseWriter, r *http.Request, v *visit) error {
	kind, ok := readKind(r.PostFormValue("kind"))
	if !ok {
		s.problem(w, r, v, http.StatusBadRequest, "A job kind is a word such as deliver or render_pdf.")
		return nil
	}
	ctx := r.Context()
	n := 0
	var after int64
	for n < inkform.MaxBulkDocuments {
		jobs, err := s.Jobs.ListJobs(ctx, v.Org.ID, inkform.JobFilter{State: inkform.JobDead, Kind: kind, After: after, Limit: jobsPage})
		if err != nil {
			return fmt.Errorf("list jobs: %w", err)
		}
		for _, j := range jobs {
			err := s.Jobs.RetryJob(ctx, v.Org.ID, j.ID)
			if code := inkform.ErrorCode(err); code == "" {
				n++
			} else if code != inkform.ENOTFOUND && code != inkform.ECONFLICT {
				return fmt.Errorf("retry job %d: %w", j.ID, err) // retried by someone else meanwhile is fine
			}
			after = j.ID
		}
		if len(jobs) < jobsPage {
			break
		}
	}
	q := url.Values{"retried": {strconv.Itoa(n)}}
	if kind != "" {
		q.Set("kind", kind)
	}
	http.Redirect(w, r, "/jobs?"+q.Encode(), http.StatusSeeOther)
	return nil
}
