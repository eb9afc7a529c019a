package http

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
	"github.com/inkform/inkform/inkml"
)

// testInkML is one pen transmission: one page, two strokes, in millimetres.
const testInkML = `<?xml version="1.0" encoding="UTF-8"?>
<ink xmlns="http://www.w3.org/2003/InkML">
  <annotation type="penId">AJX-AAB-7KH-6P</annotation>
  <traceFormat><channel name="X" units="mm"/><channel name="Y" units="mm"/></traceFormat>
  <traceGroup>
    <annotation type="pageAddress">70.3.12.5</annotation>
    <trace>10 20, 11 21, 12 22</trace>
    <trace>30 40, 31 41</trace>
  </traceGroup>
</ink>`

// testJSONInk is the same kind of transmission in the JSON stroke format.
const testJSONInk = `{"penId":"AJX-AAB-7KH-6P","pages":[{"address":"70.3.12.5","strokes":[{"points":[[10,20],[11,21]]}]}]}`

func TestInkSubmitContentTypes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		contentType string
		body        string
		status      int
		stored      string // ContentType recorded on the submission
	}{
		{"application/inkml+xml", testInkML, 202, "application/inkml+xml"},
		{"application/inkml+xml; charset=utf-8", testInkML, 202, "application/inkml+xml"},
		{"application/xml", testInkML, 202, "application/inkml+xml"},
		{"text/xml", testInkML, 202, "application/inkml+xml"},
		{"application/json", testJSONInk, 202, "application/json"},
		{"text/plain", testInkML, 415, ""},
		{"", testInkML, 415, ""},
		{"application/inkml+xml; =broken", testInkML, 415, ""},
		{"application/inkml+xml", "<ink><trace>1 2", 400, ""},
		{"application/json", `{"pages":[{"address":"70.3.12.5","strokes":[{"points":[[1]]}]}]}`, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.contentType, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			w := e.do(t, inkform.RoleGateway, "POST", "/api/v1/ink", tt.contentType, tt.body)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			sub := e.lastInk()
			if tt.status != 202 {
				decodeProblem(t, w)
				if sub != nil {
					t.Errorf("a refused body reached the capture service")
				}
				return
			}
			var res inkform.CaptureResult
			decodeJSONBody(t, w, &res)
			if len(res.Documents) != 1 || res.Documents[0].ID == "" {
				t.Errorf("result %+v", res)
			}
			if sub.ContentType != tt.stored || string(sub.Raw) != tt.body || sub.ReceivedAt.IsZero() ||
				sub.PenID != "AJX-AAB-7KH-6P" || len(sub.Pages) != 1 || sub.Pages[0].Address != "70.3.12.5" {
				t.Errorf("submission %+v", sub)
			}
		})
	}
}

func TestInkSubmitIdempotency(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	post := func(key, body string) (status int, replayed string, resBody string) {
		t.Helper()
		w := e.doWith(t, inkform.RoleGateway, "POST", "/api/v1/ink", body, map[string]string{
			"Content-Type": "application/inkml+xml", "Idempotency-Key": key})
		return w.Code, w.Header().Get("Idempotent-Replayed"), w.Body.String()
	}

	status, replayed, first := post("pen-7-0001", testInkML)
	if status != 202 || replayed != "" {
		t.Fatalf("first: %d %q", status, replayed)
	}
	if got := e.lastInk().SubmissionID; got != "pen-7-0001" {
		t.Errorf("SubmissionID %q, want the Idempotency-Key", got)
	}
	status, replayed, again := post("pen-7-0001", testInkML)
	if status != 202 || replayed != "true" || again != first {
		t.Errorf("replay: %d %q\n%s\nvs\n%s", status, replayed, again, first)
	}

	withID := strings.Replace(testInkML, "<traceFormat>", `<annotation type="submissionId">other</annotation><traceFormat>`, 1)
	status, _, body := post("pen-7-0002", withID)
	if status != 422 || !strings.Contains(body, "differ") {
		t.Errorf("key and body ID differ: %d %s", status, body)
	}
	status, _, _ = post("other", withID)
	if status != 202 {
		t.Errorf("key equal to body ID: %d", status)
	}
	for _, bad := range []string{strings.Repeat("k", inkform.MaxSubmissionIDLength+1), "pen\x01", "pen\xff", "pen\u0085x"} {
		if status, _, body := post(bad, testInkML); status != 400 || !strings.Contains(body, "Idempotency-Key") {
			t.Errorf("key %q: %d %s, want 400 naming the header", bad, status, body)
		}
	}
	// The body's submission ID follows the same rules (XML itself refuses
	// most control characters and invalid UTF-8).
	inkML := func(id string) string {
		return strings.Replace(testInkML, "<traceFormat>", `<annotation type="submissionId">`+id+`</annotation><traceFormat>`, 1)
	}
	jsonInk := func(id string) string {
		return strings.Replace(testJSONInk, `{"penId"`, `{"submissionId":`+id+`,"penId"`, 1)
	}
	for _, tt := range []struct{ contentType, body, detail string }{
		{"application/inkml+xml", inkML("pen&#1;"), "U+0001"},
		{"application/inkml+xml", inkML("pen\xff"), "UTF-8"},
		{"application/inkml+xml", inkML("pen\u0085x"), "submissionId"},
		{"application/json", jsonInk(`"pen\u0001"`), "submissionId"},
		{"application/json", jsonInk(`"pe\u0085n"`), "submissionId"},
	} {
		w := e.do(t, inkform.RoleGateway, "POST", "/api/v1/ink", tt.contentType, tt.body)
		if p := decodeProblem(t, w); w.Code != 400 || !strings.Contains(p.Detail, tt.detail) {
			t.Errorf("body %.60q: %d %q, want 400 naming %s", tt.body, w.Code, p.Detail, tt.detail)
		}
	}
	// A conflict from the store (the key used for other ink) is 409.
	e.capture.Hook = fake.FailOn("CaptureInk", inkform.Errorf(inkform.ECONFLICT, "the Idempotency-Key/submissionId %q was used for a different submission", "pen-7-0001"))
	if status, replayed, body := post("pen-7-0001", testInkML); status != 409 || replayed != "" || !strings.Contains(body, "pen-7-0001") {
		t.Errorf("conflict: %d %q %s", status, replayed, body)
	}
}

func TestInkSubmitLimits(t *testing.T) {
	t.Parallel()
	lim := inkml.DefaultLimits()
	lim.MaxBytes = 2000
	lim.MaxPoints = 4
	e := newEnv(t, func(s *Server) { s.Limits = lim })

	tests := []struct {
		name, body string
		detail     string
	}{
		{"points", testInkML, "4 points"},
		{"bytes", testInkML + strings.Repeat(" ", 2000), "2000 bytes"},
	}
	for _, tt := range tests {
		w := e.do(t, inkform.RoleGateway, "POST", "/api/v1/ink", "application/inkml+xml", tt.body)
		p := decodeProblem(t, w)
		if w.Code != 413 || !strings.Contains(p.Detail, tt.detail) {
			t.Errorf("%s: %d %q", tt.name, w.Code, p.Detail)
		}
	}
	if e.lastInk() != nil {
		t.Errorf("over-limit ink reached the capture service")
	}
}

func TestInkSubmitCaptureRefusal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	refusal := inkform.Errorf(inkform.EUNPROCESSABLE, "no form has the page address 70.3.12.5; the submission is quarantined")
	e.capture.Hook = fake.FailOn("CaptureInk", fmt.Errorf("capture: %w", refusal))
	w := e.do(t, inkform.RoleGateway, "POST", "/api/v1/ink", "application/inkml+xml", testInkML)
	p := decodeProblem(t, w)
	if w.Code != 422 || p.Detail != refusal.Message {
		t.Errorf("%d %+v", w.Code, p)
	}
}

func gzipped(t *testing.T, s string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestInkSubmitContentEncoding(t *testing.T) {
	t.Parallel()
	lim := inkml.DefaultLimits()
	lim.MaxBytes = 4000
	// Compresses to far less than the limit, inflates to more.
	bomb := strings.Replace(testInkML, "<traceGroup>", "<traceGroup>"+strings.Repeat("<!-- padding -->", 300), 1)
	tests := []struct {
		name, encoding, body string
		status               int
	}{
		{"gzip", "gzip", gzipped(t, testInkML), 202},
		{"identity", "identity", testInkML, 202},
		{"corrupt gzip", "gzip", "not gzip at all", 400},
		{"truncated gzip", "gzip", gzipped(t, testInkML)[:40], 400},
		{"inflates past the limit", "gzip", gzipped(t, bomb), 413},
		{"brotli", "br", testInkML, 415},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, func(s *Server) { s.Limits = lim })
			w := e.doWith(t, inkform.RoleGateway, "POST", "/api/v1/ink", tt.body,
				map[string]string{"Content-Type": "application/inkml+xml", "Content-Encoding": tt.encoding})
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if tt.status == 202 && string(e.lastInk().Raw) != testInkML {
				t.Errorf("stored body is not the decompressed InkML")
			}
		})
	}
}
