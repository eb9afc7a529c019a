package http

import (
	"testing"

	"github.com/inkform/inkform"
)

func TestJobsUnavailable(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) { s.Jobs = nil })
	for _, rt := range []struct{ method, target string }{{"GET", "/api/v1/jobs"}, {"POST", "/api/v1/jobs/1/retry"}} {
		w := e.do(t, inkform.RoleAdmin, rt.method, rt.target, "", "")
		decodeProblem(t, w)
		if w.Code != 503 || w.Header().Get("Retry-After") == "" {
			t.Errorf("%s %s: %d, Retry-After %q", rt.method, rt.target, w.Code, w.Header().Get("Retry-After"))
		}
	}
}

func TestJobListAndRetry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for id := int64(1); id <= 3; id++ {
		e.jobs.Put(&inkform.Job{ID: id, OrgID: e.orgID, Kind: "deliver", State: inkform.JobDead})
	}
	var res struct {
		Jobs []inkform.Job `json:"jobs"`
		Next string        `json:"next"`
	}
	decodeJSONBody(t, e.do(t, inkform.RoleAdmin, "GET", "/api/v1/jobs?state=dead&kind=deliver&limit=2", "", ""), &res)
	if len(res.Jobs) != 2 || res.Next != "2" {
		t.Fatalf("page 1: %+v", res)
	}
	if f, _ := e.lastArg("ListJobs", 1).(inkform.JobFilter); f.State != inkform.JobDead || f.Kind != "deliver" || f.Limit != 3 {
		t.Errorf("filter %+v", f)
	}
	decodeJSONBody(t, e.do(t, inkform.RoleAdmin, "GET", "/api/v1/jobs?limit=2&after="+res.Next, "", ""), &res)
	if len(res.Jobs) != 1 || res.Jobs[0].ID != 3 || res.Next != "" {
		t.Errorf("page 2: %+v", res)
	}

	for _, q := range []string{"state=zombie", "after=x", "after=-5", "limit=0"} {
		if w := e.do(t, inkform.RoleAdmin, "GET", "/api/v1/jobs?"+q, "", ""); w.Code != 400 {
			t.Errorf("%s: %d", q, w.Code)
		}
	}

	if w := e.do(t, inkform.RoleAdmin, "POST", "/api/v1/jobs/2/retry", "", ""); w.Code != 204 || e.jobs.Job(2).State != inkform.JobAvailable {
		t.Errorf("retry: %d, job 2 is %s", w.Code, e.jobs.Job(2).State)
	}
	if w := e.do(t, inkform.RoleAdmin, "POST", "/api/v1/jobs/99/retry", "", ""); w.Code != 404 {
		t.Errorf("retry unknown: %d", w.Code)
	}
}
