package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// TestJobsRetriedNotice: the notice after a retry repeats a count only,
// never text from the address; a retry of a job that is malformed,
// unknown or another org's is 404, of one that is not dead 409.
func TestJobsRetriedNotice(t *testing.T) {
	t.Parallel()
	q := &fake.JobQueue{}
	h := newHarness(t, func(s *Server) { s.Jobs = q })
	org, other := h.org("Clinic"), h.org("Other")
	h.user(org, "boss@example.org", inkform.RoleAdmin, password)
	b := h.browser(t)
	b.mustSignIn("boss@example.org", password)

	for _, c := range []struct {
		retried, notice string
	}{
		{"3", "Jobs retried: 3."},
		{"Your account is locked, call 555-0100", ""},
		{"-1", ""},
		{"99999999999999999999999", ""},
		{"1e3", ""},
	} {
		p := b.get("/jobs?" + url.Values{"retried": {c.retried}}.Encode())
		p.wantStatus(t, "the jobs page", http.StatusOK)
		if c.notice == "" && (strings.Contains(p.body, "Jobs retried") || strings.Contains(p.body, "locked")) {
			t.Errorf("retried=%q shows a notice:\n%s", c.retried, p.body)
		} else if c.notice != "" && !strings.Contains(p.body, c.notice) {
			t.Errorf("retried=%q lacks the notice %q", c.retried, c.notice)
		}
	}

	dead := q.Put(&inkform.Job{OrgID: org.ID, Kind: "deliver", State: inkform.JobDead})
	running := q.Put(&inkform.Job{OrgID: org.ID, Kind: "deliver", State: inkform.JobRunning})
	theirs := q.Put(&inkform.Job{OrgID: other.ID, Kind: "deliver", State: inkform.JobDead})
	token := b.get("/jobs").csrf(t)
	retry := func(id string) *page {
		return b.do("POST", "/jobs/"+id+"/retry", url.Values{"csrf": {token}})
	}
	for _, id := range []string{"abc", "0", "-5", "99999", strconv.FormatInt(theirs, 10)} {
		retry(id).wantStatus(t, "retry of job "+id, http.StatusNotFound)
	}
	retry(strconv.FormatInt(running, 10)).wantStatus(t, "retry of a running job", http.StatusConflict)
	retry(strconv.FormatInt(dead, 10)).wantRedirect(t, "retry of a dead job", "/jobs?retried=1")
	if j := q.Job(theirs); j.State != inkform.JobDead {
		t.Errorf("another org's job is %s", j.State)
	}
}
