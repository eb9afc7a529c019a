package inkml

import "github.com/inkform/inkform"

// Media types of ink bodies.
const (
	MediaInkML = "application/inkml+xml"
	MediaJSON  = "application/json"
)

// MediaType maps an accepted Content-Type to the parser's media type:
// InkML under its registered type or as generic XML (what many gateways
// send), or the JSON stroke format. Anything else → EUNSUPPORTED.
func MediaType(mt string) (string, error) {
	switch mt {
	case MediaInkML, "application/xml", "text/xml":
		return MediaInkML, nil
	case MediaJSON:
		return MediaJSON, nil
	case "":
		return "", inkform.Errorf(inkform.EUNSUPPORTED,
			"the request has no Content-Type; send %s or %s", MediaInkML, MediaJSON)
	}
	return "", inkform.Errorf(inkform.EUNSUPPORTED,
		"ink must be sent as %s (or application/xml, text/xml) or %s, not %s", MediaInkML, MediaJSON, mt)
}

// Parser is inkform.InkParser with limits: the API parses arriving ink
// with it, and the API and the console parse quarantined ink again.
type Parser struct {
	Limits Limits
}

// ParseInk implements inkform.InkParser. The submission keeps the body
// (Raw) and its normalised media type.
func (p Parser) ParseInk(contentType string, body []byte) (*inkform.InkSubmission, error) {
	mt, err := MediaType(contentType)
	if err != nil {
		return nil, err
	}
	var sub *inkform.InkSubmission
	if mt == MediaJSON {
		sub, err = ParseJSON(body, p.Limits)
	} else {
		sub, err = Parse(body, p.Limits)
	}
	if err != nil {
		return nil, err
	}
	sub.ContentType = mt
	sub.Raw = body
	return sub, nil
}
