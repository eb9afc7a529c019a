package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/inkform/inkform"
)

// deadDelivery is a delivery that failed every attempt: its dead job,
// the message it carried, and its handler (nil when deleted since).
type deadDelivery struct {
	Job      *inkform.Job
	Args     inkform.DeliverArgs
	Handler  *inkform.Subscription
	Target   string
	FormName string
}

// deliverKind is the job kind of deliveries.
func deliverKind() string { return inkform.DeliverArgs{}.Kind() }

// handleDeadDeliveries serves GET /deliveries/dead?after=: the org's
// deliveries that failed for good (dead jobs of the deliver kind), oldest
// first, each with its handler, event, last error and a way to deliver
// it again.
func (s *Server) handleDeadDeliveries(w http.ResponseWriter, r *http.Request, v *visit) error {
	if s.Jobs == nil {
		s.problem(w, r, v, http.StatusServiceUnavailable, "The job queue is not set up on this server.")
		return nil
	}
	ctx := r.Context()
	q := r.URL.Query()
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	jobs, err := s.Jobs.ListJobs(ctx, v.Org.ID, inkform.JobFilter{State: inkform.JobDead, Kind: deliverKind(), After: after, Limit: jobsPage + 1})
	if err != nil {
		return fmt.Errorf("list dead deliveries: %w", err)
	}
	hv := &handlersView{}
	if len(jobs) > jobsPage {
		jobs = jobs[:jobsPage]
		hv.Next = "/deliveries/dead?" + url.Values{"after": {strconv.FormatInt(jobs[jobsPage-1].ID, 10)}}.Encode()
	}
	if after > 0 {
		hv.First = "/deliveries/dead"
	}
	names, _, err := s.formNames(ctx, v.Org.ID)
	if err != nil {
		return err
	}
	handlers := map[string]*inkform.Subscription{}
	for _, j := range jobs {
		d := deadDelivery{Job: j}
		// A job's arguments are the server's own JSON; one it cannot read
		// is still listed, with what the job says of itself.
		_ = json.Unmarshal(j.Args, &d.Args)
		h, seen := handlers[d.Args.SubscriptionID]
		if !seen && d.Args.SubscriptionID != "" {
			h, err = s.Subscriptions.FindSubscription(ctx, v.Org.ID, d.Args.SubscriptionID)
			if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
				return fmt.Errorf("find handler: %w", err)
			}
			handlers[d.Args.SubscriptionID] = h
		}
		if h != nil {
			d.Handler, d.Target, d.FormName = h, handlerTarget(h), names[h.FormID]
		}
		hv.Dead = append(hv.Dead, d)
	}
	page := &view{Title: "Dead deliveries", Visit: v, CSRF: v.CSRF, Handlers: hv}
	if job, err := strconv.ParseInt(q.Get("redelivered"), 10, 64); err == nil {
		page.Notice = "Job " + strconv.FormatInt(job, 10) + " is queued to deliver its message again; its attempts appear in the handler's delivery log."
	}
	s.render(w, r, http.StatusOK, "deliveries_dead", page)
	return nil
}

// handleDeadRedeliver serves POST /deliveries/dead/{job}/redeliver: the
// dead delivery's job runs again now, with its attempts counted afresh,
// carrying its message (the same ID and event time) to the handler's
// current settings. Retrying the dead job rather than queueing a copy
// takes it off this page and leaves no dead duplicate behind. It is
// audited as the API's redelivery is, as handler.redeliver.
func (s *Server) handleDeadRedeliver(w http.ResponseWriter, r *http.Request, v *visit) error {
	if s.Jobs == nil {
		s.problem(w, r, v, http.StatusServiceUnavailable, "The job queue is not set up on this server.")
		return nil
	}
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("job"), 10, 64)
	if err != nil || id <= 0 {
		s.problem(w, r, v, http.StatusNotFound, "There is no such dead delivery.")
		return nil
	}
	// The job service finds jobs by filter: the first dead delivery
	// after id-1 is this job exactly when it is one.
	jobs, err := s.Jobs.ListJobs(ctx, v.Org.ID, inkform.JobFilter{State: inkform.JobDead, Kind: deliverKind(), After: id - 1, Limit: 1})
	if err != nil {
		return fmt.Errorf("find dead delivery: %w", err)
	}
	if len(jobs) == 0 || jobs[0].ID != id {
		s.problem(w, r, v, http.StatusConflict, "That delivery is no longer dead: it was delivered again already, or it is gone.")
		return nil
	}
	var args inkform.DeliverArgs
	if err := json.Unmarshal(jobs[0].Args, &args); err != nil {
		return fmt.Errorf("read dead delivery %d: %w", id, err)
	}
	h, err := s.Subscriptions.FindSubscription(ctx, v.Org.ID, args.SubscriptionID)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusConflict, "The delivery's handler is deleted, so there is nothing to deliver it to.")
		return nil
	} else if err != nil {
		return fmt.Errorf("find handler: %w", err)
	}
	err = s.Jobs.RetryJob(ctx, v.Org.ID, id)
	if code := inkform.ErrorCode(err); code == inkform.ENOTFOUND || code == inkform.ECONFLICT {
		s.problem(w, r, v, http.StatusConflict, "That delivery is no longer dead: it was delivered again already, or it is gone.")
		return nil
	} else if err != nil {
		return fmt.Errorf("retry dead delivery %d: %w", id, err)
	}
	s.auditHandler(r, v, inkform.AuditSubscriptionRedeliver, h.ID, "dead job "+strconv.FormatInt(id, 10)+", message "+args.MessageID)
	http.Redirect(w, r, "/deliveries/dead?redelivered="+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
