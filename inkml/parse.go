package inkml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/inkform/inkform"
)

// maxGroupDepth bounds the nesting of <traceGroup>s, which the parser
// follows by recursion.
const maxGroupDepth = 64

// Parse reads one InkML document into a submission's PenID, SubmissionID and
// Pages; the caller sets ReceivedAt, ContentType and Raw.
//
// Traces inside a <traceGroup> holding <annotation type="pageAddress">A</annotation>
// belong to page A (the innermost group that declares an address wins);
// traces outside any such group go to a page with Address "", and callers
// decide whether that is allowed. Several groups with the same address are
// merged into one page. Pages are in the order of their first trace, traces
// in document order. X and Y are converted to millimetres, T to
// milliseconds; F is kept as sent.
//
// Only pen-down traces become strokes: traces of type penUp or indeterminate
// are read (and checked) but dropped. A trace with no points is refused.
// The continuation attribute is ignored: every trace is one stroke.
//
// The structure is read with encoding/xml; the text of a trace is scanned
// directly from data, which is several times faster. Documents with a DTD
// or entity declarations are refused.
func Parse(data []byte, lim Limits) (*inkform.InkSubmission, error) {
	if err := lim.checkBytes(len(data), "InkML document"); err != nil {
		return nil, err
	}
	// A UTF-8 byte order mark, which some Windows tools write, is not white space to encoding/xml.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	p := &parser{data: data, lim: lim, current: defaultFormat()}
	p.r.data = data
	p.d = xml.NewDecoder(&p.r)
	p.d.Strict = true
	if err := p.parse(); err == io.EOF {
		return nil, p.invalid("unexpected end of document")
	} else if err != nil {
		return nil, err
	}
	return p.submission()
}

// parser holds the state of one Parse call.
type parser struct {
	data []byte
	r    byteReader
	d    *xml.Decoder
	lim  Limits
	// skipped counts the bytes of trace text read directly, which the
	// decoder never saw: its InputOffset plus skipped is the position in data.
	skipped int64

	formats, sources, contexts map[string]*traceFormat
	current                    *traceFormat // format of traces without contextRef

	penID, submissionID string
	groups              []group         // groups[0] is the document itself
	strokes             []stroke        // pen-down traces in document order
	slab                []inkform.Point // backs the points of strokes, and has room for more
	traces, points      int
}

// group is a <traceGroup> (or the document, at index 0).
type group struct {
	parent  int
	address string
	format  *traceFormat // from the group's contextRef; nil inherits
}

// stroke is a parsed trace and the group it was written in.
type stroke struct {
	group  int
	points []inkform.Point
}

// byteReader gives encoding/xml the document without a bufio layer, so the
// parser can move the read position past trace text it scanned itself.
type byteReader struct {
	data []byte
	pos  int
}

func (r *byteReader) ReadByte() (byte, error) {
	if r.pos >= len(r.data) {
		return 0, io.EOF
	}
	b := r.data[r.pos]
	r.pos++
	return b, nil
}

func (r *byteReader) Read(b []byte) (int, error) {
	if r.pos >= len(r.data) {
		return 0, io.EOF
	}
	n := copy(b, r.data[r.pos:])
	r.pos += n
	return n, nil
}

func (p *parser) parse() error {
	for {
		tok, err := p.token()
		if err == io.EOF {
			return p.invalid("document has no <ink> element")
		} else if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "ink" || !p.ours(t.Name) {
				return p.invalid("root element must be <ink> in namespace %s, not <%s>", Namespace, name(t.Name))
			}
			p.groups = append(p.groups, group{parent: -1})
			if err := p.readGroup(0, 0); err != nil {
				return err
			}
			return p.trailer()
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return p.invalid("text before the <ink> element")
			}
		}
	}
}

// trailer checks that only comments and white space follow the root.
func (p *parser) trailer() error {
	for {
		tok, err := p.token()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if t, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(t)) > 0 || !ok && !isComment(tok) {
			return p.invalid("content after the </ink> end tag")
		}
	}
}

func isComment(tok xml.Token) bool {
	switch tok.(type) {
	case xml.Comment, xml.ProcInst:
		return true
	}
	return false
}

// readGroup reads the content of <ink> (g == 0) or of a <traceGroup> up to
// its end tag.
func (p *parser) readGroup(g, depth int) error {
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		var start xml.StartElement
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			start = t
		default:
			continue
		}
		if !p.ours(start.Name) {
			if err := p.skip(); err != nil {
				return err
			}
			continue
		}
		switch start.Name.Local {
		case "trace":
			err = p.readTrace(start, g)
		case "traceGroup":
			err = p.openGroup(start, g, depth+1)
		case "annotation":
			err = p.readAnnotation(start, g)
		case "traceFormat", "context":
			// Under <ink> they set the current format; inside a group
			// (not where the Recommendation puts them, but seen in the
			// wild) they set the group's.
			var tf *traceFormat
			if start.Name.Local == "context" {
				tf, err = p.readContext(start, p.current)
			} else if tf, err = p.readTraceFormat(); err == nil {
				p.register(&p.formats, start, tf)
			}
			if err == nil && g == 0 {
				p.current = tf
			} else if err == nil {
				p.groups[g].format = tf
			}
		case "definitions":
			err = p.readDefinitions(g)
		case "inkSource":
			_, err = p.readInkSource(start)
		default:
			err = p.skip()
		}
		if err != nil {
			return err
		}
	}
}

func (p *parser) openGroup(start xml.StartElement, parent, depth int) error {
	if depth > maxGroupDepth {
		return p.invalid("traceGroups are nested more than %d deep", maxGroupDepth)
	}
	gr := group{parent: parent, address: "\x00"}
	if ref := attr(start, "contextRef"); ref != "" {
		tf, err := p.lookup(p.contexts, "contextRef", ref)
		if err != nil {
			return err
		}
		gr.format = tf
	}
	p.groups = append(p.groups, gr)
	return p.readGroup(len(p.groups)-1, depth)
}

// readDefinitions reads <definitions>: trace formats, ink sources and
// contexts are registered by id. A trace format defined there also becomes
// the current one, as writers in the wild expect; traces defined there are
// templates, not ink, and are skipped.
func (p *parser) readDefinitions(g int) error {
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			switch {
			case !p.ours(t.Name):
				err = p.skip()
			case t.Name.Local == "traceFormat":
				var tf *traceFormat
				if tf, err = p.readTraceFormat(); err == nil {
					p.register(&p.formats, t, tf)
					if g == 0 {
						p.current = tf
					}
				}
			case t.Name.Local == "context":
				_, err = p.readContext(t, defaultFormat())
			case t.Name.Local == "inkSource":
				_, err = p.readInkSource(t)
			default:
				err = p.skip()
			}
			if err != nil {
				return err
			}
		}
	}
}

// readAnnotation reads an <annotation>: penId and submissionId directly under
// <ink>, pageAddress in a <traceGroup>. Other annotations are ignored.
func (p *parser) readAnnotation(start xml.StartElement, g int) error {
	typ := attr(start, "type")
	text, err := p.text("annotation")
	if err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	switch {
	case typ == "pageAddress" && g > 0:
		if err := inkform.ValidateAddress(text); err != nil {
			return p.invalid("%s", inkform.ErrorMessage(err))
		}
		if a := p.groups[g].address; a != "\x00" && a != text {
			return p.invalid("a traceGroup has two page addresses, %s and %s", a, text)
		}
		p.groups[g].address = text
	case typ == "pageAddress":
		// Silently ignoring it would put the ink on no page.
		return p.invalid("a pageAddress annotation belongs in a <traceGroup>, not directly under <ink>")
	case (typ == "penId" || typ == "submissionId") && g > 0:
		return p.invalid("a %s annotation belongs directly under <ink>, not in a <traceGroup>", typ)
	case typ == "penId":
		return p.setID(&p.penID, "penId", text, inkform.MaxPenIDLength)
	case typ == "submissionId":
		return p.setID(&p.submissionID, "submissionId", text, inkform.MaxSubmissionIDLength)
	}
	return nil
}

func (p *parser) setID(dst *string, what, v string, max int) error {
	if *dst != "" {
		return p.invalid("the document has two %s annotations", what)
	}
	if msg := idProblem(what, v, max); msg != "" {
		return p.invalid("%s", msg)
	}
	*dst = v
	return nil
}

// idProblem checks a pen or submission ID and describes what is wrong.
func idProblem(what, v string, max int) string {
	return inkform.ClientIDProblem(what, v, max)
}

// text returns the character data of a simple element up to its end tag.
func (p *parser) text(what string) (string, error) {
	var sb strings.Builder
	for {
		tok, err := p.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			sb.Write(t)
		case xml.StartElement:
			return "", p.invalid("<%s> must not contain elements (found <%s>)", what, name(t.Name))
		case xml.EndElement:
			return sb.String(), nil
		}
	}
}

// token returns the next token, refusing DTDs and entity declarations and
// turning syntax errors into EINVALID with the line.
func (p *parser) token() (xml.Token, error) {
	tok, err := p.d.Token()
	if err == io.EOF {
		return nil, err
	} else if err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, p.invalid("malformed XML: %s", se.Msg)
		}
		return nil, p.invalid("malformed XML: %v", err)
	}
	if _, ok := tok.(xml.Directive); ok {
		return nil, invalidf("InkML must not contain a DTD or entities (line %d)", p.line(p.pos()))
	}
	return tok, nil
}

// skip skips the rest of the current element, still refusing directives.
func (p *parser) skip() error {
	for depth := 1; depth > 0; {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// pos is the position in data of the decoder.
func (p *parser) pos() int { return int(p.d.InputOffset() + p.skipped) }

// line returns the 1-based line of a position; computed only for errors.
func (p *parser) line(pos int) int {
	return 1 + bytes.Count(p.data[:min(pos, len(p.data))], []byte{'\n'})
}

// invalid returns EINVALID naming the line the decoder is on.
func (p *parser) invalid(format string, args ...any) *inkform.Error {
	return invalidf("line %d: %s", p.line(p.pos()), fmt.Sprintf(format, args...))
}

func name(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + " " + n.Local
}
