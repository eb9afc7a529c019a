package http

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkml"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestCutoutGolden serves every field's cutout of the Wound check example
// and of cutoutForm, as PNG and SVG, and compares the bytes with
// testdata/cutout/: a change in drawing or stroke assignment shows here.
func TestCutoutGolden(t *testing.T) {
	t.Parallel()
	var tmpl inkform.FormTemplate
	data, err := os.ReadFile("../examples/wound-check.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &tmpl); err != nil {
		t.Fatal(err)
	}
	data, err = os.ReadFile("../examples/wound-check.json-ink.json")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := inkml.ParseJSON(data, inkml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	wound := &inkform.Form{FormTemplate: tmpl}
	two := cutoutForm()
	twoInk := []inkform.Stroke{
		line(25, 32, 28, 38), line(45, 32, 50, 38), line(38, 35, 43.5, 35),
		line(41, 61, 45, 65), line(42.5, 31, 42.5, 39), line(100, 100, 120, 120),
	}
	samples := []struct {
		name  string
		form  *inkform.Form
		pages []inkform.PageInk
	}{
		{"wound", wound, sub.Pages},
		{"two", two, []inkform.PageInk{{Address: "1.2.3.4", Strokes: twoInk}}},
	}
	for _, sm := range samples {
		blobs := &fakeBlobs{objects: map[string][]byte{}}
		e := newEnv(t, func(s *Server) { s.Blobs = blobs })
		form := sm.form
		form.ID, form.OrgID, form.Version = inkform.NewID(), e.orgID, 1
		e.forms.forms = append(e.forms.forms, form)
		doc := &inkform.Document{ID: inkform.NewID(), OrgID: e.orgID, FormID: form.ID, FormVersion: 1,
			Pages: []inkform.DocumentPage{{Number: 1, Address: form.Pages[0].Address}}}
		e.docs.doc = doc
		e.docs.ink = &inkform.DocumentInk{DocumentID: doc.ID, Pages: sm.pages, SHA256: "0123456789abcdef0123"}
		for _, f := range form.Fields {
			for _, q := range []string{"png?dpi=100", "svg"} {
				name := sm.name + "-" + f.Name + "." + q[:3]
				w := e.do(t, inkform.RoleVerifier, "GET", "/api/v1/documents/"+doc.ID+"/fields/"+f.Name+"/cutout."+q, "", "")
				if w.Code != 200 {
					t.Fatalf("%s: %d %s", name, w.Code, w.Body)
				}
				path := filepath.Join("testdata", "cutout", name)
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, w.Body.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./http -run TestCutoutGolden -update)", err)
				}
				if !bytes.Equal(w.Body.Bytes(), want) {
					t.Errorf("%s differs from %s", name, path)
				}
			}
		}
	}
}
