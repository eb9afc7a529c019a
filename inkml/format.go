package inkml

import (
	"encoding/xml"
	"strings"

	"github.com/inkform/inkform"
)

// maxChannels bounds a trace format so that the scanner keeps its per-channel
// state on the stack; real devices declare fewer than ten.
const maxChannels = 32

// traceFormat is a resolved <traceFormat>: the channels in the order their
// values appear in a point, regular channels first, then intermittent ones.
type traceFormat struct {
	regular int // values every point must carry
	total   int // regular + intermittent
	// Index of the X, Y, T and F channels among the values, -1 when absent.
	ix, iy, it, iff int
	scaleX, scaleY  float64 // to millimetres
	scaleT          float64 // to milliseconds
}

// defaultFormat is what a trace means without any declared format: X and Y
// in Anoto pattern units, no time or force.
func defaultFormat() *traceFormat {
	return &traceFormat{regular: 2, total: 2, ix: 0, iy: 1, it: -1, iff: -1, scaleX: AnotoUnitMM, scaleY: AnotoUnitMM, scaleT: 1}
}

// readTraceFormat reads the children of a <traceFormat> up to its end tag.
func (p *parser) readTraceFormat() (*traceFormat, error) {
	tf := &traceFormat{ix: -1, iy: -1, it: -1, iff: -1}
	intermittent := false
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case !p.ours(t.Name):
				err = p.skip()
			case t.Name.Local == "channel":
				err = p.addChannel(tf, t, intermittent)
			case t.Name.Local == "intermittentChannels" && !intermittent:
				intermittent = true
				continue
			default:
				err = p.skip()
			}
			if err != nil {
				return nil, err
			}
		case xml.EndElement:
			if intermittent {
				intermittent = false
				continue
			}
			return tf, p.checkFormat(tf)
		}
	}
}

// addChannel appends one <channel> to tf and skips the channel's children
// (mappings, which inkform does not apply).
func (p *parser) addChannel(tf *traceFormat, start xml.StartElement, intermittent bool) error {
	name, units := attr(start, "name"), attr(start, "units")
	if err := p.skip(); err != nil {
		return err
	}
	if name == "" {
		return p.invalid("a <channel> has no name attribute")
	}
	if tf.total == maxChannels {
		return p.invalid("a trace format declares more than %d channels", maxChannels)
	}
	if !intermittent && tf.total > tf.regular {
		return p.invalid("channel %s: regular channels must come before <intermittentChannels>", name)
	}
	idx := tf.total
	tf.total++
	if !intermittent {
		tf.regular++
	}
	var slot *int
	switch name {
	case "X":
		slot = &tf.ix
		if s, ok := lengthUnitMM(units); ok {
			tf.scaleX = s
		} else {
			return p.invalid("channel X: unsupported units %q (use mm, cm, m, in or pt, or none for Anoto pattern units of %g mm)", units, AnotoUnitMM)
		}
	case "Y":
		slot = &tf.iy
		if s, ok := lengthUnitMM(units); ok {
			tf.scaleY = s
		} else {
			return p.invalid("channel Y: unsupported units %q (use mm, cm, m, in or pt, or none for Anoto pattern units of %g mm)", units, AnotoUnitMM)
		}
	case "T":
		slot = &tf.it
		if s, ok := timeUnitMS(units); ok {
			tf.scaleT = s
		} else {
			return p.invalid("channel T: unsupported units %q (use ms or s)", units)
		}
	case "F":
		// Force is kept as the pen sends it, in whatever unit that is.
		slot = &tf.iff
	default:
		// Other channels (tilt, width, …) are read and dropped.
		return nil
	}
	if *slot >= 0 {
		return p.invalid("channel %s is declared twice", name)
	}
	*slot = idx
	return nil
}

func (p *parser) checkFormat(tf *traceFormat) error {
	if tf.ix < 0 || tf.iy < 0 {
		return p.invalid("a trace format must declare the channels X and Y")
	}
	if tf.ix >= tf.regular || tf.iy >= tf.regular {
		return p.invalid("channels X and Y must not be intermittent")
	}
	if tf.scaleT == 0 {
		tf.scaleT = 1
	}
	return nil
}

// readContext reads a <context> and returns the trace format it selects.
// Parts it does not name come from its contextRef, else from inherit.
func (p *parser) readContext(start xml.StartElement, inherit *traceFormat) (*traceFormat, error) {
	var own *traceFormat
	var err error
	if ref := attr(start, "contextRef"); ref != "" {
		if inherit, err = p.lookup(p.contexts, "contextRef", ref); err != nil {
			return nil, err
		}
	}
	if ref := attr(start, "inkSourceRef"); ref != "" {
		if own, err = p.lookup(p.sources, "inkSourceRef", ref); err != nil {
			return nil, err
		}
	}
	if ref := attr(start, "traceFormatRef"); ref != "" {
		if own, err = p.lookup(p.formats, "traceFormatRef", ref); err != nil {
			return nil, err
		}
	}
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			var tf *traceFormat
			switch {
			case !p.ours(t.Name):
				err = p.skip()
			case t.Name.Local == "traceFormat":
				tf, err = p.readTraceFormat()
				p.register(&p.formats, t, tf)
			case t.Name.Local == "inkSource":
				tf, err = p.readInkSource(t)
			default:
				err = p.skip()
			}
			if err != nil {
				return nil, err
			}
			if tf != nil {
				own = tf
			}
		case xml.EndElement:
			if own == nil {
				own = inherit
			}
			p.register(&p.contexts, start, own)
			return own, nil
		}
	}
}

// readInkSource reads an <inkSource>, registers it by id and returns its
// trace format (nil when it declares none).
func (p *parser) readInkSource(start xml.StartElement) (*traceFormat, error) {
	var own *traceFormat
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if p.ours(t.Name) && t.Name.Local == "traceFormat" {
				if own, err = p.readTraceFormat(); err != nil {
					return nil, err
				}
				p.register(&p.formats, t, own)
			} else if err := p.skip(); err != nil {
				return nil, err
			}
		case xml.EndElement:
			if own != nil {
				p.register(&p.sources, start, own)
			}
			return own, nil
		}
	}
}

// register stores tf under the element's id (xml:id, or id as some writers
// use), if it has one.
func (p *parser) register(m *map[string]*traceFormat, start xml.StartElement, tf *traceFormat) {
	id := attr(start, "id")
	if id == "" || tf == nil {
		return
	}
	if *m == nil {
		*m = make(map[string]*traceFormat)
	}
	(*m)[id] = tf
}

// lookup resolves a local reference "#id" (or a bare "id").
func (p *parser) lookup(m map[string]*traceFormat, what, ref string) (*traceFormat, error) {
	if tf, ok := m[strings.TrimPrefix(ref, "#")]; ok {
		return tf, nil
	}
	return nil, p.invalid("%s %q names no element defined earlier in the document", what, ref)
}

// attr returns the value of the attribute with the local name, whatever its
// namespace.
func attr(start xml.StartElement, local string) string {
	for _, a := range start.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// ours reports whether an element belongs to InkML (or to no namespace).
func (p *parser) ours(n xml.Name) bool {
	return n.Space == Namespace || n.Space == ""
}

func invalidf(format string, args ...any) *inkform.Error {
	return inkform.Errorf(inkform.EINVALID, format, args...)
}
