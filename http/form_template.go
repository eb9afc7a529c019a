package http

import (
	"net/http"
	"strconv"

	"github.com/inkform/inkform"
)

// decodeTemplate reads a form template from the request body. A key the
// template format does not have is most often a typo ("requred": true),
// and ignoring it would store a form that silently lacks the rule, so
// unknown keys are refused with 422, each named by its path. A client
// that sends extensions on purpose (say, written for a later template
// version) asks with ?lenient=true to have them ignored.
func decodeTemplate(w http.ResponseWriter, r *http.Request, limit int64) (*inkform.FormTemplate, error) {
	lenient := false
	if q := r.URL.Query().Get("lenient"); q != "" {
		var err error
		if lenient, err = strconv.ParseBool(q); err != nil {
			return nil, inkform.Errorf(inkform.EINVALID, "lenient must be true or false, not %q", q)
		}
	}
	body, err := readJSONBody(w, r, limit)
	if err != nil {
		return nil, err
	}
	return inkform.DecodeTemplate(body, lenient)
}
