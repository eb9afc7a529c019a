package http

import (
	"reflect"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

func TestLineColumn(t *testing.T) {
	t.Parallel()
	body := []byte("{\n  \"a\": 1,\n  \"b\": x\n}")
	tests := []struct {
		offset    int64
		line, col int
	}{
		{1, 1, 1},  // the "{"
		{2, 1, 2},  // the first newline
		{3, 2, 1},  // first byte of line 2
		{20, 3, 8}, // the "x"
		{0, 1, 1},
		{999, 4, 1},
	}
	for _, tt := range tests {
		if line, col := lineColumn(body, tt.offset); line != tt.line || col != tt.col {
			t.Errorf("offset %d: %d:%d, want %d:%d", tt.offset, line, col, tt.line, tt.col)
		}
	}
}

func TestJSONKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    any
		want string
	}{
		{"", "a string"},
		{inkform.RoleAdmin, "a string"},
		{true, "true or false"},
		{int64(1), "an integer"},
		{uint8(1), "an integer"},
		{1.5, "a number"},
		{[]string{}, "an array"},
		{[2]int{}, "an array"},
		{inkform.Box{}, "an object"},
		{&inkform.Box{}, "an object"},
		{map[string]int{}, "an object"},
	}
	for _, tt := range tests {
		if got := jsonKind(reflect.TypeOf(tt.v)); got != tt.want {
			t.Errorf("jsonKind(%T) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestReadAllDeclaredLength(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body    string
		length  int64
		want    string
		wantErr bool
	}{
		{"hello", 5, "hello", false},
		{"hel", 5, "", true},             // truncated upload
		{"hello!!", 5, "hello!!", false}, // longer than declared: the limit decides
		{"hello", -1, "hello", false},
		{"", 0, "", false},
	}
	for _, tt := range tests {
		got, err := readAll(strings.NewReader(tt.body), tt.length, false)
		if (err != nil) != tt.wantErr || (!tt.wantErr && string(got) != tt.want) {
			t.Errorf("readAll(%q, %d) = %q, %v; want %q, err=%v", tt.body, tt.length, got, err, tt.want, tt.wantErr)
		}
	}
}
