package inkml

import (
	"bytes"
	"encoding/xml"

	"github.com/inkform/inkform"
)

// readTrace reads one <trace> in group g.
func (p *parser) readTrace(start xml.StartElement, g int) error {
	p.traces++
	if p.traces > p.lim.MaxTraces {
		return tooManyTraces(p.lim)
	}
	penDown := true
	switch typ := attr(start, "type"); typ {
	case "", "penDown":
	case "penUp", "indeterminate":
		penDown = false
	default:
		return p.invalid("trace %d: type must be penDown, penUp or indeterminate, not %q", p.traces, typ)
	}
	tf := p.current
	for i := g; i > 0; i = p.groups[i].parent {
		if f := p.groups[i].format; f != nil {
			tf = f
			break
		}
	}
	if ref := attr(start, "contextRef"); ref != "" {
		var err error
		if tf, err = p.lookup(p.contexts, "contextRef", ref); err != nil {
			return err
		}
	}
	body, bodyPos, err := p.traceText()
	if err != nil {
		return err
	}
	if err := p.addTrace(body, bodyPos, tf, penDown, g); err != nil {
		return err
	}
	if bodyPos >= len(plainTrace) && string(p.data[bodyPos-len(plainTrace):bodyPos]) == plainTrace {
		return p.siblingTraces(tf, g)
	}
	return nil
}

// addTrace scans the text of trace number p.traces and keeps its points.
func (p *parser) addTrace(body []byte, bodyPos int, tf *traceFormat, penDown bool, g int) error {
	n := bytes.Count(body, []byte{','}) + 1
	if n > p.lim.MaxPoints-p.points {
		return tooManyPoints(p.lim)
	}
	if p.slab == nil {
		// One array holds the points of the traces after this one too:
		// each has at most one point more than commas, within the limit.
		// Fewer allocations spare time, and one exact size the rounding
		// up of many. Counted once: traces whose commas are entities do
		// not fit and get arrays of their own, as all traces once did.
		tail := p.data[min(bodyPos+len(body), len(p.data)):]
		rest := bytes.Count(tail, []byte{','}) + bytes.Count(tail, []byte(plainTrace[:6]))
		p.slab = make([]inkform.Point, 0, n+min(rest, p.lim.MaxPoints-p.points-n))
	} else if cap(p.slab)-len(p.slab) < n {
		p.slab = make([]inkform.Point, 0, n)
	}
	pts, serr := scanTrace(body, tf, p.slab[len(p.slab):len(p.slab)])
	if serr != nil {
		return invalidf("trace %d (line %d): %s", p.traces, p.line(bodyPos+serr.off), serr.msg)
	}
	p.points += len(pts)
	if penDown {
		// The capacity ends with the points, so that appending to a
		// stroke copies it rather than overwrite the next one.
		p.strokes = append(p.strokes, stroke{group: g, points: pts[:len(pts):len(pts)]})
		p.slab = p.slab[:len(p.slab)+len(pts)]
	}
	return nil
}

const (
	plainTrace    = "<trace>"
	plainTraceEnd = "</trace>"
)

// siblingTraces reads the plain traces that follow a plain <trace> (no
// attributes, no prefix) in the same group straight from data: encoding/xml
// spends more time on their tags than the scanner on their points. A
// sibling written the same way has the same namespace and format; the
// decoder, moved past them, never sees these balanced elements. Anything
// else (attributes, entities, comments) is left to the decoder.
func (p *parser) siblingTraces(tf *traceFormat, g int) error {
	for {
		pos := p.r.pos
		if int64(pos) != p.d.InputOffset()+p.skipped {
			return nil
		}
		k := pos
		for k < len(p.data) && isSpace(p.data[k]) {
			k++
		}
		if !bytes.HasPrefix(p.data[k:], []byte(plainTrace)) {
			return nil
		}
		bodyPos := k + len(plainTrace)
		lt := bytes.IndexByte(p.data[bodyPos:], '<')
		if lt < 0 || !bytes.HasPrefix(p.data[bodyPos+lt:], []byte(plainTraceEnd)) || bytes.IndexByte(p.data[bodyPos:bodyPos+lt], '&') >= 0 {
			return nil
		}
		p.traces++
		if p.traces > p.lim.MaxTraces {
			return tooManyTraces(p.lim)
		}
		end := bodyPos + lt + len(plainTraceEnd)
		p.r.pos = end
		p.skipped += int64(end - pos)
		if err := p.addTrace(p.data[bodyPos:bodyPos+lt], bodyPos, tf, true, g); err != nil {
			return err
		}
	}
}

// traceText returns the text of the trace whose start tag was just read and
// its position in data, leaving the decoder after the end tag. Plain text
// (no entity, comment or CDATA) is taken from data directly and the decoder
// is moved past it; anything else goes through the decoder.
func (p *parser) traceText() ([]byte, int, error) {
	pos := p.r.pos
	selfClosing := pos >= 2 && p.data[pos-2] == '/'
	if !selfClosing && int64(pos) == p.d.InputOffset()+p.skipped {
		rest := p.data[pos:]
		lt := bytes.IndexByte(rest, '<')
		if lt >= 0 && lt+1 < len(rest) && rest[lt+1] == '/' && bytes.IndexByte(rest[:lt], '&') < 0 {
			p.r.pos += lt
			p.skipped += int64(lt)
			// The decoder now reads the end tag and checks that it closes
			// this <trace>.
			tok, err := p.token()
			if err != nil {
				return nil, 0, err
			}
			if _, ok := tok.(xml.EndElement); !ok {
				return nil, 0, p.invalid("trace %d: malformed end tag", p.traces)
			}
			return rest[:lt], pos, nil
		}
	}
	var text []byte
	for {
		tok, err := p.token()
		if err != nil {
			return nil, 0, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text = append(text, t...)
		case xml.StartElement:
			return nil, 0, p.invalid("trace %d: a trace must not contain elements (found <%s>)", p.traces, name(t.Name))
		case xml.EndElement:
			// Positions inside decoded text are approximate: report the
			// trace's start.
			return text, pos, nil
		}
	}
}

// submission resolves the page of every stroke and builds the result.
func (p *parser) submission() (*inkform.InkSubmission, error) {
	sub := &inkform.InkSubmission{PenID: p.penID, SubmissionID: p.submissionID}
	index := make(map[string]int, 2)
	for _, s := range p.strokes {
		addr := p.address(s.group)
		i, ok := index[addr]
		if !ok {
			if len(sub.Pages) == p.lim.MaxPages {
				return nil, tooManyPages(p.lim)
			}
			i = len(sub.Pages)
			index[addr] = i
			sub.Pages = append(sub.Pages, inkform.PageInk{Address: addr})
		}
		sub.Pages[i].Strokes = append(sub.Pages[i].Strokes, inkform.Stroke{Points: s.points})
	}
	return sub, nil
}

// address returns the page address that applies to group g: its own, or
// the nearest enclosing group's, or "" when none declares one.
func (p *parser) address(g int) string {
	for ; g > 0; g = p.groups[g].parent {
		if a := p.groups[g].address; a != "\x00" {
			return a
		}
	}
	return ""
}
