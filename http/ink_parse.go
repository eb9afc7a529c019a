package http

import (
	"net/http"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkml"
)

// Media types of ink bodies.
const (
	mediaInkML = inkml.MediaInkML
	mediaJSON  = inkml.MediaJSON
)

// inkMediaType maps an accepted Content-Type to the parser's media type
// (inkml.MediaType): anything but InkML, XML or JSON → EUNSUPPORTED.
func inkMediaType(mt string) (string, error) { return inkml.MediaType(mt) }

// parseInk parses an ink body of the given (normalised) media type with
// the server's limits. Parser errors are *inkform.Error already: over a
// limit → ETOOLARGE, malformed → EINVALID.
func (s *Server) parseInk(mt string, body []byte) (*inkform.InkSubmission, error) {
	return inkml.Parser{Limits: s.Limits}.ParseInk(mt, body)
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
