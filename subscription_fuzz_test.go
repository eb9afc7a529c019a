package inkform_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// FuzzExpandExportPath checks that no template and no value can make an
// export path that leaves its org's prefix: the result is relative, has no
// empty, "." or ".." segment, no backslash and fits the limit.
//
//	go test -run '^$' -fuzz FuzzExpandExportPath -fuzztime 30s .
func FuzzExpandExportPath(f *testing.F) {
	f.Add(inkform.DefaultExportPath, "f1", "d1", "../..", "pen/1")
	f.Add("{copy}/../{document}", "", "d", "c", "p")
	f.Add("{pen}{pen}/{ext}", "x", "y", ".", "..")
	f.Fuzz(func(t *testing.T, tmpl, form, doc, copyID, pen string) {
		p, err := inkform.ExpandExportPath(tmpl, inkform.ExportVars{FormID: form, DocumentID: doc, CopyID: copyID,
			PenID: pen, Status: "validated", Event: "document.validated", Ext: "pdf", At: time.Unix(1e9, 0)})
		if err != nil {
			if inkform.ErrorCode(err) != inkform.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if len(p) > inkform.MaxExportPath || strings.ContainsAny(p, "\\\\{}") || strings.HasPrefix(p, "/") {
			t.Fatalf("path %q from %q", p, tmpl)
		}
		for _, seg := range strings.Split(p, "/") {
			if seg == "" || seg == "." || seg == ".." {
				t.Fatalf("path %q from %q has segment %q", p, tmpl, seg)
			}
		}
	})
}

// FuzzSubscriptionConditions feeds arbitrary JSON to a subscription's conditions: a
// condition either fails validation or evaluates without panicking against
// values of every kind.
//
//	go test -run '^$' -fuzz FuzzSubscriptionConditions -fuzztime 30s .
func FuzzSubscriptionConditions(f *testing.F) {
	f.Add(`[{"field":"urgent","op":"equals","value":true}]`)
	f.Add(`[{"field":"n","op":"in","value":[1,"2",null]}]`)
	f.Add(`[{"field":"n","op":"gt","value":"1e400"}]`)
	fields := map[string]inkform.FieldValue{
		"urgent": {Value: true}, "n": {Value: "12"}, "list": {Value: []string{"a"}}, "any": {Value: []any{"a", 1.0}},
		"text": {Value: "x"}, "none": {},
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var cs []inkform.Condition
		if json.Unmarshal([]byte(raw), &cs) != nil {
			return
		}
		h := inkform.Subscription{Type: "webhook", URL: "https://example.org/", Events: []string{"document.validated"}, Conditions: cs}
		if err := h.Validate(); err != nil {
			if inkform.ErrorCode(err) != inkform.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		for name := range fields {
			for i := range cs {
				cs[i].Field = name
			}
			h.Matches("document.validated", fields)
		}
	})
}
