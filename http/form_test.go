package http

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// testTemplate is a small valid copied-pattern template; the page address
// is left for the store to allocate.
const testTemplate = `{
  "name": "Home visit",
  "pages": [{"size": {"w": 210, "h": 297}}],
  "fields": [
    {"name": "patient_no", "type": "number", "page": 1, "box": {"x": 20, "y": 30, "w": 60, "h": 10}, "comb": 6},
    {"name": "visited", "type": "checkbox", "page": 1, "box": {"x": 20, "y": 50, "w": 5, "h": 5}},
    {"name": "signature", "type": "signature", "page": 1, "box": {"x": 20, "y": 250, "w": 80, "h": 20}}
  ]
}`

// createForm stores testTemplate and returns the form.
func (e *testEnv) createForm(t testing.TB) *inkform.Form {
	t.Helper()
	w := e.do(t, inkform.RoleDesigner, "POST", "/api/v1/forms", "application/json", testTemplate)
	if w.Code != 201 {
		t.Fatalf("create form: %d %s", w.Code, w.Body)
	}
	var f inkform.Form
	decodeJSONBody(t, w, &f)
	return &f
}

func TestFormCreate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.do(t, inkform.RoleDesigner, "POST", "/api/v1/forms", "application/json", testTemplate)
	if w.Code != 201 {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	var f inkform.Form
	decodeJSONBody(t, w, &f)
	if !inkform.ValidID(f.ID) || f.Version != 1 || len(f.Pages) != 1 || f.Pages[0].Address == "" || len(f.Fields) != 3 {
		t.Errorf("form %+v", f)
	}
	if loc := w.Header().Get("Location"); loc != "/api/v1/forms/"+f.ID {
		t.Errorf("Location %q", loc)
	}
}

func TestFormCreateBadBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, contentType, body string
		status                  int
		detail                  []string // substrings of the detail
		problemPath             string
	}{
		{"syntax error with line and column", "application/json", "{\n  \"name\": \"x\",\n  \"pages\": [}\n", 400, []string{"line 3, column 13"}, ""},
		{"truncated", "application/json", `{"name": "x"`, 400, []string{"line 1", "end of input"}, ""},
		{"type error names the field", "application/json", `{"name": "x", "pages": [{"size": {"w": "wide"}}]}`, 400, []string{"pages[0].size.w", "a number"}, "pages[0].size.w"},
		{"type error names the element", "application/json", `{"name": "x", "pages": [{"size": {"w": 1, "h": 2}}, {"size": {"w": 1, "h": [2]}}]}`, 400, []string{"pages[1].size.h", "a number"}, "pages[1].size.h"},
		{"type error in a later field", "application/json", `{"name": "x", "fields": [{"name": "a"}, {"name": "b", "comb": "4"}]}`, 400, []string{"fields[1].comb", "an integer"}, "fields[1].comb"},
		{"trailing data", "application/json", `{"name": "x"} {}`, 400, []string{"after the top-level value"}, ""},
		{"empty", "application/json", " ", 400, []string{"empty"}, ""},
		{"not JSON media type", "text/plain", testTemplate, 415, []string{"application/json"}, ""},
		{"invalid template", "application/json", `{"name": "", "pages": []}`, 422, []string{"invalid form template"}, "name"},
		{"unknown keys named by path", "application/json", `{"name": "x", "pages": [{"size": {"w": 210, "h": 297, "d": 1}}], "fields": [{"name": "a", "type": "signature", "page": 1, "box": {"x": 1, "y": 1, "w": 50, "h": 10}, "requred": true}], "futureKey": {}}`,
			422, []string{"3 unknown key(s)", "lenient=true"}, "fields[0].requred"},
		{"too large", "application/json", `{"name": "` + strings.Repeat("x", 5000) + `"}`, 413, []string{"4096 bytes"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, func(s *Server) { s.Limits.MaxBytes = 4096 })
			w := e.do(t, inkform.RoleDesigner, "POST", "/api/v1/forms", tt.contentType, tt.body)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			p := decodeProblem(t, w)
			for _, d := range tt.detail {
				if !strings.Contains(p.Detail, d) {
					t.Errorf("detail %q lacks %q", p.Detail, d)
				}
			}
			if tt.problemPath == "" {
				return
			}
			if len(p.Problems) == 0 || !slices.Contains(strings.Split(tt.problemPath, "|"), p.Problems[0].Path) {
				t.Fatalf("problems %+v, want path %q first", p.Problems, tt.problemPath)
			}
			if !strings.Contains(p.Detail, p.Problems[0].Path) {
				t.Errorf("detail %q lacks the path %q", p.Detail, p.Problems[0].Path)
			}
		})
	}
}

// TestFormTemplateLenient checks that ?lenient=true is the way to store a
// template with keys this server does not know, on create and update.
func TestFormTemplateLenient(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	extended := strings.Replace(testTemplate, `"name": "Home visit",`, `"name": "Home visit", "futureKey": {"x": 1},`, 1)
	f := e.createForm(t)
	tests := []struct {
		method, target string
		status         int
	}{
		{"POST", "/api/v1/forms", 422},
		{"POST", "/api/v1/forms?lenient=true", 201},
		{"POST", "/api/v1/forms?lenient=maybe", 400},
		{"PUT", "/api/v1/forms/" + f.ID, 422},
		{"PUT", "/api/v1/forms/" + f.ID + "?lenient=1", 200},
	}
	for _, tt := range tests {
		w := e.do(t, inkform.RoleDesigner, tt.method, tt.target, "application/json", extended)
		if w.Code != tt.status {
			t.Errorf("%s %s: status %d, want %d: %s", tt.method, tt.target, w.Code, tt.status, w.Body)
		}
	}
}

func TestFormListCursor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, e.createForm(t).ID)
	}
	var page struct {
		Forms []inkform.FormSummary `json:"forms"`
		Next  string                `json:"next"`
	}
	var seen []string
	target := "/api/v1/forms?limit=2"
	for pages := 0; pages < 10; pages++ {
		w := e.do(t, inkform.RoleVerifier, "GET", target, "", "")
		if w.Code != 200 {
			t.Fatalf("status %d %s", w.Code, w.Body)
		}
		decodeJSONBody(t, w, &page)
		for _, f := range page.Forms {
			if f.Name != "Home visit" || f.Version != 1 || f.Pages != 1 || f.Fields != 3 {
				t.Errorf("summary %+v", f)
			}
			seen = append(seen, f.ID)
		}
		if page.Next == "" {
			break
		}
		target = "/api/v1/forms?limit=2&after=" + page.Next
	}
	slices.Sort(ids) // IDs made in the same millisecond are not in creation order
	if fmt.Sprint(seen) != fmt.Sprint(ids) {
		t.Errorf("paged through %v, want %v", seen, ids)
	}

	w := e.do(t, inkform.RoleVerifier, "GET", "/api/v1/forms", "", "")
	decodeJSONBody(t, w, &page)
	filter, _ := e.lastArg("ListForms", 1).(inkform.FormFilter)
	if filter.Limit != DefaultPageLimit+1 || len(page.Forms) != 5 || page.Next != "" {
		t.Errorf("default page: filter %+v, %d forms, next %q", filter, len(page.Forms), page.Next)
	}
}

func TestFormListBadParams(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, q := range []string{"limit=0", "limit=501", "limit=ten", "after=nope"} {
		w := e.do(t, inkform.RoleVerifier, "GET", "/api/v1/forms?"+q, "", "")
		p := decodeProblem(t, w)
		name, _, _ := strings.Cut(q, "=")
		if w.Code != 400 || len(p.Problems) != 1 || p.Problems[0].Path != name {
			t.Errorf("%s: %d %+v", q, w.Code, p)
		}
	}
}

func TestFormShowUpdateVersions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := e.createForm(t)
	updated := strings.Replace(testTemplate, "Home visit", "Home visit v2", 1)
	w := e.do(t, inkform.RoleDesigner, "PUT", "/api/v1/forms/"+f.ID, "application/json", updated)
	var v2 inkform.Form
	decodeJSONBody(t, w, &v2)
	if w.Code != 200 || v2.Version != 2 || v2.Name != "Home visit v2" {
		t.Fatalf("update: %d %+v", w.Code, v2)
	}
	var got inkform.Form
	decodeJSONBody(t, e.do(t, inkform.RoleVerifier, "GET", "/api/v1/forms/"+f.ID, "", ""), &got)
	if got.Version != 2 {
		t.Errorf("latest version %d", got.Version)
	}
	decodeJSONBody(t, e.do(t, inkform.RoleVerifier, "GET", "/api/v1/forms/"+f.ID+"/versions/1", "", ""), &got)
	if got.Version != 1 || got.Name != "Home visit" {
		t.Errorf("version 1: %+v", got)
	}
	if w := e.do(t, inkform.RoleVerifier, "GET", "/api/v1/forms/"+f.ID+"/versions/3", "", ""); w.Code != 404 {
		t.Errorf("missing version: %d", w.Code)
	}
}

// TestMalformedIDs checks that IDs of the wrong shape are a 404 without a
// store call.
func TestMalformedIDs(t *testing.T) {
	t.Parallel()
	tests := []struct{ method, target string }{
		{"GET", "/api/v1/forms/123"},
		{"PUT", "/api/v1/forms/not-an-id"},
		{"GET", "/api/v1/forms/ABCDEF00-0000-7000-8000-000000000000"},
		{"GET", "/api/v1/forms/" + inkform.NewID() + "/versions/0"},
		{"GET", "/api/v1/forms/" + inkform.NewID() + "/versions/x"},
		{"POST", "/api/v1/forms/x/copies"},
		{"POST", "/api/v1/forms/x/submissions"},
		{"GET", "/api/v1/documents/x"},
		{"GET", "/api/v1/documents/x/ink"},
		{"GET", "/api/v1/documents/x/history"},
		{"POST", "/api/v1/quarantine/x/reprocess"},
		{"DELETE", "/api/v1/quarantine/x"},
		{"DELETE", "/api/v1/tokens/x"},
		{"POST", "/api/v1/jobs/x/retry"},
		{"POST", "/api/v1/jobs/-1/retry"},
	}
	for _, tt := range tests {
		e := newEnv(t)
		w := e.do(t, inkform.RoleAdmin, tt.method, tt.target, "application/json", `{"count":1,"fields":{}}`)
		if w.Code != 404 {
			t.Errorf("%s %s: %d, want 404", tt.method, tt.target, w.Code)
			continue
		}
		decodeProblem(t, w)
		if n := e.storeCalls(); n != 0 {
			t.Errorf("%s %s: %d store calls", tt.method, tt.target, n)
		}
	}
}

func TestFormCopies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	unique := strings.Replace(testTemplate, `"name": "Home visit",`, `"name": "Home visit", "pattern": "unique",`, 1)
	w := e.do(t, inkform.RoleDesigner, "POST", "/api/v1/forms", "application/json", unique)
	var f inkform.Form
	if decodeJSONBody(t, w, &f); w.Code != 201 || f.Pattern != inkform.PatternUnique {
		t.Fatalf("create unique-pattern form: %d %s", w.Code, w.Body)
	}
	tests := []struct {
		body   string
		status int
	}{
		{`{"count": 3}`, 201},
		{`{"count": 10000}`, 201},
		{`{"count": 0}`, 422},
		{`{"count": 10001}`, 422},
		{`{}`, 422},
		{`{"count": 2, "cont": 1}`, 400}, // a typo is refused, not ignored
		{`{"count": "2"}`, 400},
	}
	for _, tt := range tests {
		w := e.do(t, inkform.RoleDesigner, "POST", "/api/v1/forms/"+f.ID+"/copies", "application/json", tt.body)
		if w.Code != tt.status {
			t.Errorf("%s: %d, want %d: %s", tt.body, w.Code, tt.status, w.Body)
			continue
		}
		if tt.status == 201 {
			var res struct{ Copies []inkform.Copy }
			decodeJSONBody(t, w, &res)
			var want int
			fmt.Sscanf(tt.body, `{"count": %d}`, &want)
			if len(res.Copies) != want {
				t.Errorf("%s: %d copies", tt.body, len(res.Copies))
			}
		} else if p := decodeProblem(t, w); tt.status == 422 && (len(p.Problems) != 1 || p.Problems[0].Path != "count") {
			t.Errorf("%s: problems %+v", tt.body, p.Problems)
		} else if strings.Contains(tt.body, "cont\"") && (len(p.Problems) != 1 || p.Problems[0].Path != "cont") {
			t.Errorf("%s: unknown key not named: %+v", tt.body, p)
		}
	}
}

// TestFormListBounded checks that a list of the largest legal forms stays
// small: summaries carry no layout, and descriptions are capped.
func TestFormListBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) { s.Limits.MaxBytes = 8 << 20 })
	var fields []string
	for i := range 500 {
		fields = append(fields, fmt.Sprintf(`{"name": "f%d", "label": "%s", "type": "text", "page": 1, "box": {"x": 1, "y": 1, "w": 5, "h": 5}}`, i, strings.Repeat("L", inkform.MaxLabelLength)))
	}
	tmpl := fmt.Sprintf(`{"name": "big", "description": %q, "pages": [{"size": {"w": 210, "h": 297}}], "fields": [%s]}`,
		strings.Repeat("é", inkform.MaxDescriptionLength), strings.Join(fields, ","))
	const forms = 10
	for range forms {
		if w := e.do(t, inkform.RoleDesigner, "POST", "/api/v1/forms", "application/json", tmpl); w.Code != 201 {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
	}
	w := e.do(t, inkform.RoleVerifier, "GET", "/api/v1/forms?limit=500", "", "")
	if w.Code != 200 {
		t.Fatalf("list: %d", w.Code)
	}
	// A description is at most 10,000 characters of up to 4 bytes; the
	// rest of a summary is under 1 KB.
	if max := forms * (4*inkform.MaxDescriptionLength + 1024); w.Body.Len() > max {
		t.Errorf("a list of %d forms is %d bytes, more than %d (templates are %d bytes each)", forms, w.Body.Len(), max, len(tmpl))
	}
}
