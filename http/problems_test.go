package http

import (
	"testing"

	"github.com/inkform/inkform"
)

func TestValuesError(t *testing.T) {
	t.Parallel()
	p := func(path, msg string) inkform.Problem { return inkform.Problem{Path: path, Message: msg} }
	tests := []struct {
		problems []inkform.Problem
		want     string
	}{
		{[]inkform.Problem{p("fields.code", "is too long")}, "a field value cannot be used: fields.code is too long"},
		{[]inkform.Problem{p("fields.code", "is too long"), p("fields.code", "does not match")},
			"field values cannot be used: fields.code is too long, and one more problem (see problems)"},
		{[]inkform.Problem{p("fields.a", "x"), p("fields.b", "y"), p("fields.c", "z")},
			"field values cannot be used: fields.a x, and 2 more problems (see problems)"},
	}
	for _, tt := range tests {
		err := valuesError(tt.problems)
		if got := inkform.ErrorMessage(err); got != tt.want || inkform.ErrorCode(err) != inkform.EUNPROCESSABLE || len(inkform.ErrorProblems(err)) != len(tt.problems) {
			t.Errorf("valuesError(%v) = %q (%s), want %q", tt.problems, got, inkform.ErrorCode(err), tt.want)
		}
	}
}
