// Package pdftest builds hostile PDFs for tests: decompression bombs, small
// files whose streams inflate to far more, in each place a PDF reader
// inflates. They are made when a test runs, so that no large or hostile
// file is kept in the repository.
package pdftest

import (
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Kind is where a bomb puts its inflating streams.
type Kind int

// The kinds of bomb.
const (
	// Contents gives every page a content stream of its own.
	Contents Kind = iota
	// SharedContents has every page draw one content stream, so the file
	// holds it once and an importer inflates it once per page.
	SharedContents
	// ChainedFilters gives every page a content stream compressed twice
	// over: ASCIIHexDecode of FlateDecode.
	ChainedFilters
	// XRefStream makes the cross-reference stream the bomb: a reader
	// inflates it before it knows anything else of the file.
	XRefStream
	// ObjectStreams puts each page's resources in an object stream of its
	// own, padded to inflate to the size.
	ObjectStreams
	// ContentArrays is no bomb: every page draws an array of size empty
	// content streams.
	ContentArrays
)

// A4 is an A4 page's MediaBox in points.
const A4 = "[0 0 595.28 841.89]"

// Bomb returns a PDF of pages A4 pages whose streams of the kind inflate
// to size bytes each (one stream per page, or one in all for
// SharedContents and XRefStream). The file is about size/1000 bytes per
// stream; building it takes about a second per gigabyte.
func Bomb(kind Kind, pages, size int) []byte {
	w := &writer{offsets: map[int]int{}}
	w.b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	kids := make([]string, pages)
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", 3+i)
	}
	w.obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
	w.obj(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), pages))
	extra := 3 + pages // the first number after the pages
	compressed := map[int]int{}
	for i := range pages {
		page := "<< /Type /Page /Parent 2 0 R /MediaBox " + A4
		switch kind {
		case Contents, ChainedFilters:
			page += fmt.Sprintf(" /Contents %d 0 R /Resources << >> >>", extra+i)
		case SharedContents:
			page += fmt.Sprintf(" /Contents %d 0 R /Resources << >> >>", extra)
		case XRefStream:
			page += " /Resources << >> >>"
		case ObjectStreams:
			page += fmt.Sprintf(" /Resources << /ExtGState << /G0 %d 0 R >> >> >>", extra+i)
		case ContentArrays:
			refs := make([]string, size)
			for j := range refs {
				refs[j] = fmt.Sprintf("%d 0 R", extra+i*size+j)
			}
			page += fmt.Sprintf(" /Contents [%s] /Resources << >> >>", strings.Join(refs, " "))
		}
		w.obj(3+i, page)
	}
	switch kind {
	case Contents:
		for i := range pages {
			w.stream(extra+i, "/Filter /FlateDecode", deflate("", size))
		}
	case SharedContents:
		w.stream(extra, "/Filter /FlateDecode", deflate("", size))
	case ChainedFilters:
		for i := range pages {
			w.stream(extra+i, "/Filter [/ASCIIHexDecode /FlateDecode]", []byte(hex.EncodeToString(deflate("", size))+">"))
		}
	case ContentArrays:
		for i := range pages * size {
			w.stream(extra+i, "", nil)
		}
	case ObjectStreams:
		for i := range pages {
			nr, stm := extra+i, extra+pages+i
			head := fmt.Sprintf("%d 0 ", nr)
			z := deflate(head+"<< /Type /ExtGState /LW 1 >>", size)
			w.stream(stm, fmt.Sprintf("/Type /ObjStm /N 1 /First %d /Filter /FlateDecode", len(head)), z)
			compressed[nr] = stm
		}
	}
	if kind == XRefStream || kind == ObjectStreams {
		pad := 0
		if kind == XRefStream {
			pad = size
		}
		return w.xrefStream(compressed, pad)
	}
	return w.table()
}

// writer writes a PDF object by object.
type writer struct {
	b       bytes.Buffer
	offsets map[int]int // object number → offset
	last    int
}

func (w *writer) obj(nr int, body string) {
	w.offsets[nr] = w.b.Len()
	w.last = max(w.last, nr)
	fmt.Fprintf(&w.b, "%d 0 obj\n%s\nendobj\n", nr, body)
}

func (w *writer) stream(nr int, dict string, data []byte) {
	w.obj(nr, fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data))
}

// table ends the file with a cross-reference table.
func (w *writer) table() []byte {
	at := w.b.Len()
	fmt.Fprintf(&w.b, "xref\n0 %d\n0000000000 65535 f \n", w.last+1)
	for nr := 1; nr <= w.last; nr++ {
		if off, ok := w.offsets[nr]; ok {
			fmt.Fprintf(&w.b, "%010d 00000 n \n", off)
		} else {
			w.b.WriteString("0000000000 00000 f \n")
		}
	}
	fmt.Fprintf(&w.b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", w.last+1, at)
	return w.b.Bytes()
}

// xrefStream ends the file with a cross-reference stream listing
// compressed objects (number → object stream) too, followed by pad zero
// bytes, which a reader inflates and ignores.
func (w *writer) xrefStream(compressed map[int]int, pad int) []byte {
	at := w.b.Len()
	nr := max(w.last, slices.Max(append(slices.Collect(maps.Keys(compressed)), 0))) + 1
	w.offsets[nr], w.last = at, nr
	var entries bytes.Buffer
	for i := 0; i <= w.last; i++ {
		off, ok := w.offsets[i]
		typ, f2, f3 := 1, off, 0
		if stm, isCompressed := compressed[i]; isCompressed {
			typ, f2 = 2, stm
		} else if !ok {
			typ, f3 = 0, 0xffff
		}
		entries.Write([]byte{byte(typ), byte(f2 >> 24), byte(f2 >> 16), byte(f2 >> 8), byte(f2), byte(f3 >> 8), byte(f3)})
	}
	z := deflate(entries.String(), pad)
	fmt.Fprintf(&w.b, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n",
		nr, w.last+1, len(z))
	w.b.Write(z)
	fmt.Fprintf(&w.b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", at)
	return w.b.Bytes()
}

// deflate compresses head followed by spaces to size bytes in all (zero
// bytes when head is binary cross-reference data).
func deflate(head string, size int) []byte {
	var b bytes.Buffer
	z, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
	z.Write([]byte(head))
	fill := byte(' ')
	if head != "" && head[0] < ' ' {
		fill = 0
	}
	chunk := bytes.Repeat([]byte{fill}, 1<<20)
	for left := size - len(head); left > 0; left -= len(chunk) {
		z.Write(chunk[:min(left, len(chunk))])
	}
	z.Close()
	return b.Bytes()
}
