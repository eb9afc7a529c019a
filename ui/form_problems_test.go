package ui

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/inkform/inkform"
)

// FuzzTemplateProblems: whatever is typed into the editor, each problem
// found with it lands on a line the text has (or none), at a column of
// that line, with a short excerpt, and nothing panics.
//
//	go test ./ui/ -run '^$' -fuzz FuzzTemplateProblems -fuzztime 1m
func FuzzTemplateProblems(f *testing.F) {
	for _, seed := range []string{oneField, strings.Replace(oneField, `"page": 1,`, `"page": 1`, 1),
		strings.Replace(oneField, `"page": 1`, `"page": "one"`, 1), strings.Replace(oneField, `"w": 60`, `"w": -60`, 1),
		`{"name": "ü", "pages": [{"size": {"w": 1e9}}], "fields": [{"requred": true}]}`, "", "{\r\n\t\"name\": 5\r\n}", `[1, 2`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		tpl, err := inkform.DecodeTemplate([]byte(text), false)
		if err == nil {
			tpl.Normalize()
			if err = tpl.Validate(); err == nil {
				return
			}
		}
		lines := strings.Split(text, "\n")
		problems := templateProblems([]byte(text), err)
		if len(problems) == 0 {
			t.Fatalf("no problem listed for %v", err)
		}
		for _, p := range problems {
			if p.Line < 0 || p.Line > len(lines) || (p.Line == 0) != (p.Column == 0) {
				t.Fatalf("%q placed at line %d, column %d of %d lines", p.Message, p.Line, p.Column, len(lines))
			}
			if p.Line > 0 && p.Column > utf8.RuneCountInString(lines[p.Line-1])+1 {
				t.Fatalf("%q placed at column %d of line %q", p.Message, p.Column, lines[p.Line-1])
			}
			if n := utf8.RuneCountInString(p.Excerpt); n > maxExcerpt {
				t.Fatalf("an excerpt of %d characters", n)
			}
		}
	})
}
