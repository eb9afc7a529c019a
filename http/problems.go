package http

import (
	"github.com/inkform/inkform"
)

// valuesError is the 422 for field values a request cannot use: the detail
// names the first problem in full and counts the rest, which are all in
// problems, so a person reading only the detail still knows where to look.
func valuesError(problems []inkform.Problem) error { return inkform.ValuesError(problems) }
