package ui

import (
	"fmt"
	"net/http"
	"time"
)

// queueRow is one form's queue on the verification page.
type queueRow struct {
	FormID, FormName string
	Waiting          int
	Conflicts        int
	Oldest           time.Time
	Age              string // how long the oldest document has waited, in words
	// Group lists the fields that can be verified in a group (Value: the
	// name); Blind the labels of double-entry fields, which cannot.
	Group []optionView
	Blind []string
}

// handleVerifyQueues serves GET /verify: what waits on each form, and a
// Start button per form that leases its next document. ?done= names a
// form that has nothing more for this person (after Start or an approval).
func (s *Server) handleVerifyQueues(w http.ResponseWriter, r *http.Request, v *visit) error {
	queues, err := s.Leases.ListVerificationQueues(r.Context(), v.Org.ID)
	if err != nil {
		return fmt.Errorf("list verification queues: %w", err)
	}
	now := s.now()
	page := &view{Title: "Verification", Visit: v, CSRF: v.CSRF}
	for _, q := range queues {
		if q.Waiting == 0 {
			continue
		}
		row := queueRow{FormID: q.FormID, FormName: q.FormName, Waiting: q.Waiting,
			Conflicts: q.Conflicts, Oldest: q.Oldest, Age: ageText(now.Sub(q.Oldest))}
		form, err := s.Forms.FindForm(r.Context(), v.Org.ID, q.FormID)
		if err != nil {
			return fmt.Errorf("find form: %w", err)
		}
		for i := range form.Fields {
			f := &form.Fields[i]
			if groupable(f) {
				row.Group = append(row.Group, optionView{Value: f.Name, Label: labelOf(f)})
			} else if f.DoubleEntry {
				row.Blind = append(row.Blind, labelOf(f))
			}
		}
		page.Queues = append(page.Queues, row)
	}
	if r.URL.Query().Has("done") {
		page.Notice = "Nothing more waits for you on that form: the rest is done or being verified by others."
	}
	s.render(w, r, http.StatusOK, "verify", page)
	return nil
}

// ageText says how long something has waited, as a person would.
func ageText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < 2*time.Minute:
		return "1 minute"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes", int(d/time.Minute))
	case d < 2*time.Hour:
		return "1 hour"
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours", int(d/time.Hour))
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}
