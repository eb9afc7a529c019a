package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// partnerEvent is what the partner's receiver saw of one delivery.
type partnerEvent struct {
	typ, docID string
	pdf        []byte // the PDF it fetched, for document.validated
	deleted    int    // the status of its DELETE
	err        string
}

// TestPartnerFlow runs the integration a partner describes: "when the data
// is validated we update the record in the clinic software, fetch a PDF
// and attach it and finally delete the document and all records of the
// cutout images." Pen ink is captured and validated; the receiver gets
// document.validated, checks its signature by the Standard Webhooks spec,
// fetches the PDF through the message's absolute link (the server runs
// with --public-url), deletes the document and then hears
// document.purged. Afterwards nothing of the document is left in the
// database or the object store, and the audit log shows each step.
func TestPartnerFlow(t *testing.T) {
	t.Parallel()
	const public = "https://forms.clinic.example"
	var (
		s      *server
		token  string
		secret string
		events = make(chan partnerEvent, 10)
	)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		verifyStandardWebhook(t, secret, webhookCall{header: r.Header.Clone(), body: body})
		var msg struct {
			Type string `json:"type"`
			Data struct {
				ID    string        `json:"id"`
				Links inkform.Links `json:"links"`
			} `json:"data"`
		}
		ev := partnerEvent{}
		if err := json.Unmarshal(body, &msg); err != nil {
			ev.err = err.Error()
		}
		ev.typ, ev.docID = msg.Type, msg.Data.ID
		if msg.Type == "document.validated" {
			// The link is absolute, under the public URL; this test reaches
			// the same server on its loopback address.
			path, ok := strings.CutPrefix(msg.Data.Links.PDF, public)
			if !ok {
				ev.err = "pdf link " + msg.Data.Links.PDF + " is not under " + public
			} else if pdf := get(s.url+path, token); pdf.status != 200 {
				ev.err = "GET pdf: " + http.StatusText(pdf.status)
			} else {
				ev.pdf = pdf.body
			}
			ev.deleted = do(http.MethodDelete, s.url+"/api/v1/documents/"+msg.Data.ID, token)
		}
		events <- ev
	}))
	defer recv.Close()

	data := t.TempDir()
	s = startServerArgs(t, []string{"--data", data}, []string{"--webhook-allow-private", "--public-url", public})
	tok := s.org(t, "clinic", "admin", "gateway", "integrator")
	token = tok["integrator"]
	formID := createSampleForm(t, s, tok["admin"])
	r := s.call(t, "POST", "/api/v1/forms/"+formID+"/handlers", token, "application/json",
		[]byte(`{"type":"webhook","url":"`+recv.URL+`/clinic","events":["document.validated","document.purged"]}`))
	want(t, r, 201, "create handler")
	var h struct{ ID, Secret string }
	r.json(t, &h)
	secret = h.Secret

	r = s.call(t, "POST", "/api/v1/ink", tok["gateway"], inkML, readFile(t, "../../examples/wound-check.inkml"))
	want(t, r, 202, "submit ink")
	var ans captureAnswer
	r.json(t, &ans)
	id := ans.Documents[0].ID

	next := func(what string) partnerEvent {
		t.Helper()
		select {
		case ev := <-events:
			if ev.err != "" {
				t.Fatalf("%s: the receiver failed: %s", what, ev.err)
			}
			return ev
		case <-time.After(20 * time.Second):
			t.Fatalf("no %s within 20 s", what)
		}
		return partnerEvent{}
	}
	// The purge's delivery may arrive while the receiver is still busy
	// with the validated one, so the two are told apart by type.
	got := map[string]partnerEvent{}
	for range 2 {
		ev := next("a delivery")
		got[ev.typ] = ev
	}
	validated := got["document.validated"]
	if validated.docID != id || !bytes.HasPrefix(validated.pdf, []byte("%PDF-")) || validated.deleted != http.StatusNoContent {
		t.Fatalf("validated: for %q, pdf %d bytes, DELETE %d", validated.docID, len(validated.pdf), validated.deleted)
	}
	if purged, ok := got["document.purged"]; !ok || purged.docID != id {
		t.Fatalf("no document.purged for %s: %+v", id, got)
	}
	select {
	case ev := <-events:
		t.Errorf("a third delivery: %+v", ev)
	case <-time.After(200 * time.Millisecond):
	}

	doc := "/api/v1/documents/" + id
	for _, p := range []string{doc, doc + "/pdf", doc + "/fields/patient_no/cutout.png"} {
		want(t, s.call(t, "GET", p, token, "", nil), 404, "GET "+p+" after the purge")
	}
	if left := blobsOf(t, data, id); len(left) > 0 {
		t.Errorf("objects left in the store: %v", left)
	}
	for table, n := range documentRows(t, data, id) {
		if n != 0 {
			t.Errorf("%d rows left in %s", n, table)
		}
	}

	// The audit log tells the story: the PDF read, then the purge, then
	// its delivery; the validated delivery is logged when the receiver
	// answered, which this receiver does after its work.
	var audit struct {
		Events []struct{ Action, Actor, Detail string } `json:"events"`
	}
	s.call(t, "GET", "/api/v1/audit?kind=document&object="+id, tok["admin"], "", nil).json(t, &audit)
	var steps []string
	for _, e := range audit.Events {
		steps = append(steps, e.Action+" "+e.Detail)
	}
	index := func(prefix string) int {
		return slices.IndexFunc(steps, func(s string) bool { return strings.HasPrefix(s, prefix) })
	}
	read, purge := index("document.read pdf"), index("document.purge")
	deliverValidated, deliverPurged := index("document.deliver document.validated"), index("document.deliver document.purged")
	if read < 0 || purge < read || deliverPurged < purge || deliverValidated < 0 {
		t.Errorf("audit steps %q; want a pdf read, then the purge, then its delivery, and the validated delivery", steps)
	}
	if slices.ContainsFunc(steps, func(s string) bool { return strings.Contains(s, "407215") }) {
		t.Errorf("the audit log shows a value: %q", steps)
	}
}

// getResult is a response read whole.
type getResult struct {
	status int
	body   []byte
}

// get fetches url with a bearer token, for code outside a test goroutine
// (a receiver's subscription), so it reports failures as a status of 0.
func get(url, token string) getResult {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return getResult{}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return getResult{status: resp.StatusCode, body: b}
}

// do sends a request without a body and returns its status (0 on error).
func do(method, url, token string) int {
	req, _ := http.NewRequest(method, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
