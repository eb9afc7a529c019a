package interpret

import (
	"fmt"

	"github.com/inkform/inkform"
)

// validate applies the template's rules to every field's value, fills in
// Valid and Problems, and decides the document's status.
//
// A document is validated when every value is valid (which includes "every
// required field has a value": Field.Check reports an empty required field
// as "is required") and every confidence reaches the form's threshold.
// Otherwise it needs verification, and the reasons name each field and
// cause in template order, so the status change says what a verifier will
// find.
func validate(form *inkform.Form, fields map[string]inkform.FieldValue, checks []fieldCheck) (inkform.DocumentStatus, []string) {
	threshold := form.ConfidenceThreshold
	if !(threshold > 0) {
		threshold = inkform.DefaultConfidenceThreshold
	}
	var reasons []string
	for i := range form.Fields {
		f := &form.Fields[i]
		fv := fields[f.Name]
		problems := append(f.Check(fv.Value), checks[i].problems...)
		if problems == nil {
			// An empty list, not null, in JSON: "no problems" is an answer.
			problems = []string{}
		}
		fv.Problems = problems
		fv.Valid = len(problems) == 0
		fields[f.Name] = fv
		for _, p := range problems {
			reasons = append(reasons, f.Name+": "+p)
		}
		if fv.Confidence < threshold {
			r := fmt.Sprintf("%s: confidence %.3f below %.3f", f.Name, fv.Confidence, threshold)
			if checks[i].note != "" {
				r += " (" + checks[i].note + ")"
			}
			reasons = append(reasons, r)
		}
	}
	if len(reasons) > 0 {
		return inkform.StatusNeedsVerification, reasons
	}
	return inkform.StatusValidated, nil
}
