package http

import (
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// addQuarantined stores body as a quarantined submission of the env's org.
func (e *testEnv) addQuarantined(t *testing.T, contentType, body, submissionID string) *inkform.QuarantinedSubmission {
	t.Helper()
	q := &inkform.QuarantinedSubmission{ID: inkform.NewID(), OrgID: e.orgID, PenID: "AJX-AAB-7KH-6P", SubmissionID: submissionID,
		Addresses: []string{"70.3.12.5"}, Reason: "unknown page address", ContentType: contentType, Size: len(body),
		ReceivedAt: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	e.quarantine.Put(q, []byte(body))
	return q
}

func TestQuarantineReprocess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, contentType, body, submissionID string
	}{
		{"inkml", "application/inkml+xml", testInkML, "gw-1"},
		{"json", "application/json", testJSONInk, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			q := e.addQuarantined(t, tt.contentType, tt.body, tt.submissionID)
			w := e.do(t, inkform.RoleAdmin, "POST", "/api/v1/quarantine/"+q.ID+"/reprocess", "", "")
			var res inkform.CaptureResult
			decodeJSONBody(t, w, &res)
			if w.Code != 202 || len(res.Documents) != 1 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			sub := e.lastInk() // reprocessing captures the entry's body
			if sub == nil || string(sub.Raw) != tt.body || sub.ContentType != tt.contentType ||
				sub.SubmissionID != tt.submissionID || !sub.ReceivedAt.Equal(q.ReceivedAt) ||
				len(sub.Pages) != 1 || sub.Pages[0].Address != "70.3.12.5" {
				t.Errorf("reprocessed %+v", sub)
			}
		})
	}
}

func TestQuarantineListDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := e.addQuarantined(t, "application/inkml+xml", testInkML, "")

	var list struct {
		Quarantine []inkform.QuarantinedSubmission
	}
	decodeJSONBody(t, e.do(t, inkform.RoleAdmin, "GET", "/api/v1/quarantine", "", ""), &list)
	if len(list.Quarantine) != 1 || list.Quarantine[0].ID != q.ID {
		t.Fatalf("list %+v", list)
	}
	if w := e.do(t, inkform.RoleAdmin, "DELETE", "/api/v1/quarantine/"+q.ID, "", ""); w.Code != 204 || w.Body.Len() != 0 {
		t.Errorf("delete: %d %s", w.Code, w.Body)
	}
	if w := e.do(t, inkform.RoleAdmin, "DELETE", "/api/v1/quarantine/"+q.ID, "", ""); w.Code != 404 {
		t.Errorf("second delete: %d", w.Code)
	}
	if w := e.do(t, inkform.RoleAdmin, "POST", "/api/v1/quarantine/"+q.ID+"/reprocess", "", ""); w.Code != 404 {
		t.Errorf("reprocess deleted: %d", w.Code)
	}
	decodeJSONBody(t, e.do(t, inkform.RoleAdmin, "GET", "/api/v1/quarantine", "", ""), &list)
	if list.Quarantine == nil || len(list.Quarantine) != 0 {
		t.Errorf("empty list is %+v, want []", list.Quarantine)
	}
}
