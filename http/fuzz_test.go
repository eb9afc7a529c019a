package http

import (
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// FuzzRequestBodies throws arbitrary bodies and content types at every route
// that reads a body. Whatever comes in, the answer must not be a 500 (bad
// input is the client's problem, and a 500 pages someone), and every error
// must be a well-formed problem.
//
//	go test ./http -run '^$' -fuzz FuzzRequestBodies -fuzztime 60s
func FuzzRequestBodies(f *testing.F) {
	seeds := []struct {
		route uint8
		ct    string
		body  string
	}{
		{0, "application/inkml+xml", testInkML},
		{0, "application/json", testJSONInk},
		{1, "application/json", testTemplate},
		{2, "application/json", testTemplate},
		{3, "application/json", `{"fields": {"patient_no": "1", "visited": false, "signature": {"strokes": []}}}`},
		{4, "application/json", `{"role": "gateway", "name": "g"}`},
		{5, "application/json", `{"count": 2}`},
		{1, "application/json", "{\n\"pages\": [{\"size\": {\"w\": \"x\"}}]"},
		{3, "application/json; charset=utf-8", `{"fields": {"nurse": 1, "signature": {"strokes": [{"points": [[1e999, 2]]}]}}}`},
	}
	for _, s := range seeds {
		f.Add(s.route, s.ct, []byte(s.body))
	}
	e := newEnv(f)
	form := e.createForm(f)
	routes := []struct{ method, target string }{
		{"POST", "/api/v1/ink"},
		{"POST", "/api/v1/forms"},
		{"PUT", "/api/v1/forms/" + form.ID},
		{"POST", "/api/v1/forms/" + form.ID + "/submissions"},
		{"POST", "/api/v1/tokens"},
		{"POST", "/api/v1/forms/" + form.ID + "/copies"},
	}
	f.Fuzz(func(t *testing.T, route uint8, ct string, body []byte) {
		rt := routes[int(route)%len(routes)]
		w := e.do(t, inkform.RoleAdmin, rt.method, rt.target, ct, string(body))
		if w.Code >= 500 {
			t.Fatalf("%s %s (%q) answered %d: %s", rt.method, rt.target, ct, w.Code, w.Body)
		}
		if w.Code >= 400 {
			p := decodeProblem(t, w)
			if p.Detail == "" || !strings.HasPrefix(p.Type, ProblemTypeBase) {
				t.Fatalf("problem %+v", p)
			}
		}
	})
}
