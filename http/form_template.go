package http

import (
	"net/http"
	"reflect"
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
	var t inkform.FormTemplate
	if err := unmarshalJSON(body, &t, false); err != nil {
		return nil, err
	}
	if lenient {
		return &t, nil
	}
	if keys := unknownKeys(body, reflect.TypeFor[inkform.FormTemplate]()); len(keys) > 0 {
		e := inkform.Errorf(inkform.EUNPROCESSABLE, "the template has %d unknown key(s), first %s: check the spelling, or send ?lenient=true to ignore keys this server does not know", len(keys), keys[0])
		for _, k := range keys {
			e.Problems = append(e.Problems, inkform.Problem{Path: k, Message: "is not a template key"})
		}
		return nil, e
	}
	return &t, nil
}
