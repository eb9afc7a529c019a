package http

import (
	"net/http"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkml"
)

// Media types of ink bodies.
const (
	mediaInkML = "application/inkml+xml"
	mediaJSON  = "application/json"
)

// inkMediaType maps an accepted Content-Type to the parser's media type:
// InkML under its registered type or as generic XML (what many gateways
// send), or the JSON stroke format. Anything else → EUNSUPPORTED.
func inkMediaType(mt string) (string, error) {
	switch mt {
	case mediaInkML, "application/xml", "text/xml":
		return mediaInkML, nil
	case mediaJSON:
		return mediaJSON, nil
	case "":
		return "", inkform.Errorf(inkform.EUNSUPPORTED,
			"the request has no Content-Type; send %s or %s", mediaInkML, mediaJSON)
	}
	return "", inkform.Errorf(inkform.EUNSUPPORTED,
		"ink must be sent as %s (or application/xml, text/xml) or %s, not %s", mediaInkML, mediaJSON, mt)
}

// parseInk parses an ink body of the given (normalised) media type with
// the server's limits. Parser errors are *inkform.Error already: over a
// limit → ETOOLARGE, malformed → EINVALID.
func (s *Server) parseInk(mt string, body []byte) (*inkform.InkSubmission, error) {
	var sub *inkform.InkSubmission
	var err error
	if mt == mediaJSON {
		sub, err = inkml.ParseJSON(body, s.Limits)
	} else {
		sub, err = inkml.Parse(body, s.Limits)
	}
	if err != nil {
		return nil, err
	}
	sub.ContentType = mt
	sub.Raw = body
	return sub, nil
}

// writeCaptureResult answers an ink capture with 202 (interpreting it
// happens later, in a job). A submission ID seen before gets the same
// status and body as the first time, with Idempotent-Replayed: true, so a
// gateway retrying after a lost answer sees exactly what it missed.
func writeCaptureResult(w http.ResponseWriter, res *inkform.CaptureResult) error {
	if res.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	if res.Documents == nil {
		res.Documents = []inkform.CapturedDocument{}
	}
	return writeJSON(w, http.StatusAccepted, res)
}
