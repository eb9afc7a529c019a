package inkform

import (
	"reflect"
	"testing"
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
		if line, col := LineColumn(body, tt.offset); line != tt.line || col != tt.col {
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
		{RoleAdmin, "a string"},
		{true, "true or false"},
		{int64(1), "an integer"},
		{uint8(1), "an integer"},
		{1.5, "a number"},
		{[]string{}, "an array"},
		{[2]int{}, "an array"},
		{Box{}, "an object"},
		{&Box{}, "an object"},
		{map[string]int{}, "an object"},
	}
	for _, tt := range tests {
		if got := jsonKind(reflect.TypeOf(tt.v)); got != tt.want {
			t.Errorf("jsonKind(%T) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
