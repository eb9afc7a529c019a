package interpret

import (
	"context"
	"strings"

	"github.com/inkform/inkform"
)

// Engine is inkform.Interpreter with this package: each call interprets
// with the recognizer it is given, so a caller can pick the engine per
// form.
type Engine struct {
	Options Options
}

var _ inkform.Interpreter = Engine{}

// Interpret implements inkform.Interpreter. The cause of a document that
// needs verification lists every reason; a validated one says so.
func (e Engine) Interpret(ctx context.Context, rec inkform.Recognizer, form *inkform.Form, doc *inkform.Document, di *inkform.DocumentInk) (*inkform.Interpretation, error) {
	in := &Interpreter{Recognizer: rec, Options: e.Options}
	res, err := in.Interpret(ctx, form, doc, di)
	if err != nil {
		return nil, err
	}
	cause := "all fields read with confidence and valid"
	if len(res.Reasons) > 0 {
		cause = strings.Join(res.Reasons, "; ")
	}
	return &inkform.Interpretation{Fields: res.Fields, Status: res.Status, Cause: cause}, nil
}
