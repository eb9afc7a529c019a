package http

import (
	"strings"
	"testing"
)

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
