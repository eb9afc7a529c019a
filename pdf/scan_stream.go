package pdf

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/inkform/inkform"
)

// pdfcpu's read buffer: it starts at 1 KiB and doubles to 1 MiB steps
// until a keyword is in it (pdfcpu/read.go: buffer).
const (
	firstBuffer = 1 << 10
	maxStep     = 1 << 20
)

// filterAliases are the short filter names of inline images, which pdfcpu
// accepts for streams too.
var filterAliases = map[string]string{
	"AHx": filter.ASCIIHex, "A85": filter.ASCII85, "LZW": filter.LZW, "Fl": filter.Flate,
	"RL": filter.RunLength, "CCF": filter.CCITTFax, "DCT": filter.DCT,
}

// measure adds what the stream at off inflates to; other objects and
// images cost nothing.
func (sc *scan) measure(off int) error {
	if sc.done[off] {
		return nil
	}
	sc.done[off] = true
	o, start, nr, err := sc.object(off)
	if err != nil || start < 0 {
		return err
	}
	d := o.(types.Dict)
	if d.IsObjStm() {
		// pdfcpu reads an object stream's header (its first First bytes)
		// into a record per object while reading the file.
		if first := d.First(); first != nil {
			if err := sc.count(*first / 4); err != nil {
				return err
			}
		}
	} else if t := d.Subtype(); t != nil && *t == "Image" {
		return nil // nothing on the server decodes images
	}
	return sc.charge(sc.open(d, start), nr)
}

// open returns the decoded data of the stream of d, whose data starts at
// start.
func (sc *scan) open(d types.Dict, start int) *counted {
	raw := sc.s[start:]
	if n, ok := sc.resolve(d["Length"]).(types.Integer); ok && int(n) >= 0 && int(n) <= len(raw) {
		raw = raw[:n]
	} else if i := strings.Index(raw, "endstream"); i >= 0 {
		raw = raw[:i]
	}
	return sc.dec.open(strings.NewReader(raw), int64(len(raw)), sc.filters(d), sc.left)
}

// charge drains c and takes what it inflated to from the budget.
func (sc *scan) charge(c *counted, nr int) error {
	n, err := c.drain()
	sc.left -= n
	if err != nil {
		return &inkform.Error{
			Code: inkform.EUNPROCESSABLE,
			Message: fmt.Sprintf("background PDF inflates to more than %d MiB; a form's background needs far less",
				inkform.MaxBackgroundInflatedBytes>>20),
			Problems: []inkform.Problem{{Path: "background", Message: fmt.Sprintf(
				"its streams inflate to more than %d MiB together by object %d", inkform.MaxBackgroundInflatedBytes>>20, nr)}},
		}
	}
	return nil
}

// filters returns the filter chain of a stream dictionary as pdfcpu reads
// it; what pdfcpu would refuse is returned as far as it is understood.
func (sc *scan) filters(d types.Dict) []types.PDFFilter {
	var names, parms types.Array
	switch f := sc.resolve(d["Filter"]).(type) {
	case types.Name:
		names = types.Array{f}
		if p := sc.resolve(d["DecodeParms"]); p != nil {
			parms = types.Array{p}
			if a, ok := p.(types.Array); ok {
				parms = a
			}
		}
	case types.Array:
		names = f
		parms, _ = sc.resolve(d["DecodeParms"]).(types.Array)
	}
	var out []types.PDFFilter
	for i, n := range names {
		name, ok := n.(types.Name)
		if !ok {
			break
		}
		f := types.PDFFilter{Name: name.Value()}
		if alias, ok := filterAliases[f.Name]; ok {
			f.Name = alias
		}
		if i < len(parms) {
			f.DecodeParms, _ = sc.resolve(parms[i]).(types.Dict)
		}
		out = append(out, f)
	}
	return out
}

// resolve returns o, or the object it refers to.
func (sc *scan) resolve(o types.Object) types.Object {
	ref, ok := o.(types.IndirectRef)
	if !ok {
		return o
	}
	off, ok := sc.offsets[ref.ObjectNumber.Value()]
	if !ok {
		return nil
	}
	v, _, _, err := sc.object(off)
	if err != nil {
		return nil
	}
	return v
}

// object parses the indirect object at off as pdfcpu does (read.go:
// buffer, object) and returns it, the offset where its stream's data
// starts (-1 for an object without one) and its number.
func (sc *scan) object(off int) (o types.Object, start, nr int, err error) {
	if off <= 0 || off >= len(sc.s) {
		return nil, -1, 0, damaged(fmt.Sprintf("an object is at byte %d of %d", off, len(sc.s)))
	}
	rest := sc.s[off:]
	var line string
	endInd, streamInd := -1, -1
	for size, step := 0, firstBuffer; endInd < 0 && streamInd < 0; step = min(2*step, maxStep) {
		if size == len(rest) {
			return nil, -1, 0, damaged(fmt.Sprintf("the object at byte %d has no end", off))
		}
		size = min(size+step, len(rest))
		line = rest[:size]
		if err := sc.spend(size); err != nil {
			return nil, -1, 0, err
		}
		if endInd, streamInd, err = model.DetectKeywordsWithContext(context.Background(), line); err != nil {
			return nil, -1, 0, damaged(fmt.Sprintf("the object at byte %d: %v", off, err))
		}
		if endInd > 0 && (streamInd < 0 || streamInd > endInd) {
			break
		}
		for streamInd > 0 && !streamAfterDict(line, streamInd) {
			streamInd = nextStreamMarker(line, streamInd, endInd)
		}
	}
	isStream := streamInd >= 0 && (endInd < 0 || streamInd < endInd)
	var l string
	if isStream {
		l = line[:streamInd]
	} else {
		l = line[:endInd]
	}
	n, _, err := model.ParseObjectAttributes(&l)
	if err != nil {
		return nil, -1, 0, damaged(fmt.Sprintf("the object at byte %d: %v", off, err))
	}
	if l = strings.TrimSpace(l); l == "" {
		return nil, -1, *n, nil
	}
	if o, err = model.ParseObjectContext(context.Background(), &l, 0); err != nil {
		return nil, -1, *n, damaged(fmt.Sprintf("object %d: %v", *n, err))
	}
	if _, ok := o.(types.Dict); !ok || !isStream {
		return o, -1, *n, nil
	}
	if start, err = streamStart(rest, streamInd); err != nil {
		return nil, -1, *n, damaged(fmt.Sprintf("object %d: %v", *n, err))
	}
	return o, off + start, *n, nil
}

// streamAfterDict reports whether the "stream" at i follows ">>" and
// white space only, which pdfcpu requires of a stream's keyword.
func streamAfterDict(line string, i int) bool {
	eod := strings.LastIndex(line[:i], ">>")
	return eod >= 0 && strings.TrimSpace(line[eod:i]) == ">>"
}

// nextStreamMarker returns the next "stream" after the one at i, -1 when
// there is none before endobj (pdfcpu: lastStreamMarker).
func nextStreamMarker(line string, i, endInd int) int {
	from := i + len("stream")
	if from > len(line) {
		return -1
	}
	j := strings.Index(line[from:], "stream")
	if j < 0 || endInd > 0 && from+j > endInd {
		return -1
	}
	return from + j
}

// streamStart returns where the data of the stream whose keyword is at i
// starts: after "stream", optional spaces and an end of line (pdfcpu:
// nextStreamOffset).
func streamStart(s string, i int) (int, error) {
	p := i + len("stream")
	for p < len(s) && s[p] == ' ' {
		p++
	}
	if p >= len(s) {
		return 0, io.ErrUnexpectedEOF
	}
	if s[p] == '\n' {
		return p + 1, nil
	}
	if s[p] == '\r' {
		p++
		if p < len(s) && s[p] == '\n' {
			p++
		}
	}
	return p, nil
}
