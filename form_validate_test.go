package inkform_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// woundCheck returns the sample form of examples/wound-check.json.
func woundCheck(t *testing.T) *inkform.FormTemplate {
	t.Helper()
	data, err := os.ReadFile("examples/wound-check.json")
	if err != nil {
		t.Fatal(err)
	}
	var tmpl inkform.FormTemplate
	if err := json.Unmarshal(data, &tmpl); err != nil {
		t.Fatal(err)
	}
	tmpl.Normalize()
	return &tmpl
}

func TestTemplateValidateSample(t *testing.T) {
	t.Parallel()
	tmpl := woundCheck(t)
	if err := tmpl.Validate(); err != nil {
		t.Fatalf("sample form refused: %v %v", err, inkform.ErrorProblems(err))
	}
	if f := tmpl.Field("visit_date"); f.Charset != inkform.CharsetDigits || f.Format != "DDMMYY" {
		t.Errorf("date field normalised to charset %q format %q", f.Charset, f.Format)
	}
}

func TestTemplateValidateErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		mutate   func(*inkform.FormTemplate)
		wantPath string
		wantMsg  string
	}{
		{"unknown type", func(t *inkform.FormTemplate) { t.Fields[0].Type = "txt" }, "fields[0].type", `unknown type "txt"`},
		{"duplicate name", func(t *inkform.FormTemplate) { t.Fields[1].Name = "patient_no" }, "fields[1].name", "duplicate name"},
		{"outside page", func(t *inkform.FormTemplate) { t.Fields[2].Box.X = 206 }, "fields[2].box", "outside its page"},
		{"option outside page", func(t *inkform.FormTemplate) { t.Fields[3].Options[1].Box.Y = 295 }, "fields[3].options[1].box", "outside its page"},
		{"page out of range", func(t *inkform.FormTemplate) { t.Fields[0].Page = 2 }, "fields[0].page", "between 1 and 1"},
		{"no pages", func(t *inkform.FormTemplate) { t.Pages = nil; t.Fields = nil }, "pages", "at least one page"},
		{"bad address", func(t *inkform.FormTemplate) { t.Pages[0].Address = "70.3.12" }, "pages[0].address", "segment.shelf.book.page"},
		{"leading zero address", func(t *inkform.FormTemplate) { t.Pages[0].Address = "70.03.12.5" }, "pages[0].address", "no leading zeros"},
		{"unique with address", func(t *inkform.FormTemplate) { t.Pattern = inkform.PatternUnique }, "pages[0].address", "per printed copy"},
		{"long description", func(t *inkform.FormTemplate) { t.Description = strings.Repeat("é", inkform.MaxDescriptionLength+1) }, "description", "at most 10000"},
		{"bad pattern mode", func(t *inkform.FormTemplate) { t.Pattern = "shared" }, "pattern", `not "shared"`},
		{"threshold", func(t *inkform.FormTemplate) { t.ConfidenceThreshold = 1.5 }, "confidenceThreshold", "at most 1"},
		{"bad regexp", func(t *inkform.FormTemplate) { t.Fields[0].Pattern = "([0-9]" }, "fields[0].pattern", "regular expression"},
		{"bad date format", func(t *inkform.FormTemplate) { t.Fields[1].Format = "DDMM" }, "fields[1].format", "needs DD, MM and YY"},
		{"comb on checkbox", func(t *inkform.FormTemplate) { t.Fields[2].Comb = 3 }, "fields[2]", "only to text, number and date"},
		{"min on text", func(t *inkform.FormTemplate) { v := 1.0; t.Fields[4].Min = &v }, "fields[4]", "only to number fields"},
		{"double entry on checkbox", func(t *inkform.FormTemplate) { t.Fields[2].DoubleEntry = true }, "fields[2].doubleEntry", "people type"},
		{"choice without options", func(t *inkform.FormTemplate) { t.Fields[3].Options = nil }, "fields[3].options", "at least one option"},
		{"duplicate option", func(t *inkform.FormTemplate) { t.Fields[3].Options[1].Value = "none" }, "fields[3].options[1].value", "duplicate option"},
		{"missing box", func(t *inkform.FormTemplate) { t.Fields[4].Box = nil }, "fields[4].box", "is required"},
		{"bad name", func(t *inkform.FormTemplate) { t.Fields[0].Name = "patient no" }, "fields[0].name", "must start with a letter"},
		{"min above max", func(t *inkform.FormTemplate) { a, b := 5.0, 1.0; t.Fields[0].Min, t.Fields[0].Max = &a, &b }, "fields[0].max", "less than min"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tmpl := woundCheck(t)
			tt.mutate(tmpl)
			err := tmpl.Validate()
			if inkform.ErrorCode(err) != inkform.EUNPROCESSABLE {
				t.Fatalf("Validate() = %v; want EUNPROCESSABLE", err)
			}
			for _, p := range inkform.ErrorProblems(err) {
				if p.Path == tt.wantPath && strings.Contains(p.Message, tt.wantMsg) {
					return
				}
			}
			t.Errorf("problems %+v lack %s: …%s…", inkform.ErrorProblems(err), tt.wantPath, tt.wantMsg)
		})
	}
}

func TestTemplateValidateCollectsAll(t *testing.T) {
	t.Parallel()
	tmpl := woundCheck(t)
	tmpl.Fields[0].Type = "txt"
	tmpl.Fields[2].Box.W = -1
	err := tmpl.Validate()
	if n := len(inkform.ErrorProblems(err)); n != 2 {
		t.Fatalf("got %d problems, want 2: %v", n, inkform.ErrorProblems(err))
	}
	if msg := inkform.ErrorMessage(err); !strings.Contains(msg, "fields[0].type") || !strings.Contains(msg, "and 1 more") {
		t.Errorf("message %q should name the first problem and count the rest", msg)
	}
}
