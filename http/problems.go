package http

import (
	"fmt"

	"github.com/inkform/inkform"
)

// valuesError is the 422 for field values a request cannot use: the detail
// names the first problem in full and counts the rest, which are all in
// problems, so a person reading only the detail still knows where to look.
func valuesError(problems []inkform.Problem) error {
	first := problems[0].Path + " " + problems[0].Message
	var msg string
	switch n := len(problems) - 1; n {
	case 0:
		msg = "a field value cannot be used: " + first
	case 1:
		msg = "field values cannot be used: " + first + ", and one more problem (see problems)"
	default:
		msg = fmt.Sprintf("field values cannot be used: %s, and %d more problems (see problems)", first, n)
	}
	e := inkform.Errorf(inkform.EUNPROCESSABLE, "%s", msg)
	e.Problems = problems
	return e
}
