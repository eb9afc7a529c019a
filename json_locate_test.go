package inkform_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

func TestJSONPathOffset(t *testing.T) {
	t.Parallel()
	body := `{
  "name": "Intake",
  "pages": [{"size": {"w": 210, "h": 297}}],
  "fields": [
    {"name": "a"},
    {
      "name": "b",
      "box": {"x": 1, "w": -5}
    }
  ]
}`
	tests := []struct {
		path string
		want string // the text at the offset
		ok   bool
	}{
		{"name", `"name": "Intake"`, true},
		{"pages[0].size.w", `"w": 210`, true},
		{"pages[0]", `{"size"`, true},
		{"fields[1]", "{\n      \"name\": \"b\"", true},
		{"fields[1].box.w", `"w": -5`, true},
		{"fields[1].box.y", `"box": {`, true},   // missing: the object that lacks it
		{"fields[7].name", `"fields": [`, true}, // no such element: the array
		{"recognizer", "", false},
		{"", "{", true},
	}
	for _, tt := range tests {
		off, ok := inkform.JSONPathOffset([]byte(body), tt.path)
		if ok != tt.ok {
			t.Errorf("%q: ok %v, want %v", tt.path, ok, tt.ok)
			continue
		}
		if ok && !strings.HasPrefix(body[off:], tt.want) {
			t.Errorf("%q: offset %d points at %.20q, want %q", tt.path, off, body[off:], tt.want)
		}
	}
	if _, ok := inkform.JSONPathOffset(bytes.Repeat([]byte(" "), inkform.MaxLocateBytes+1), ""); ok {
		t.Error("a body over MaxLocateBytes was read")
	}
}

func FuzzJSONPathOffset(f *testing.F) {
	f.Add(`{"fields":[{"box":{"w":1}}]}`, "fields[0].box.w")
	f.Add(`[1,[2,{"a":3}]]`, "[1][1].a")
	f.Add(`{"a":`, "a")
	f.Fuzz(func(t *testing.T, body, path string) {
		off, ok := inkform.JSONPathOffset([]byte(body), path)
		if ok && (off < 0 || off > int64(len(body))) {
			t.Fatalf("offset %d outside a body of %d bytes", off, len(body))
		}
	})
}
