package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/klauspost/compress/zlib"
)

// This file is the package's own PDF file writer: numbered objects,
// compressed streams, the cross-reference table. It is all the renderer
// needs, and it keeps what a general library makes anew for every file:
// compressors and buffers come from pools, so a document costs its
// content, not the setup of a zlib writer per stream (which was most of
// the render time with fpdf).

// Streams are compressed at zlib's best speed: twice the documents per
// CPU-second of its default level for files 8 % larger (still smaller
// than fpdf's at the default level; see docs/performance.md). The
// compressor is klauspost/compress's, which the binary holds already (the
// metrics handler's zstd): on an ink page it takes half the instructions
// of the standard library's at the same level and writes 9 % fewer bytes
// (docs/performance.md, ninth round).
//
// Pools of compressors and buffers shared by every render. A buffer that
// grew past maxPooled (a long blank-form print) is left to the collector
// so that one large job does not pin its memory.
var (
	zlibPool = sync.Pool{New: func() any {
		w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
		return w
	}}
	bufPool     = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	contentPool = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}
)

const maxPooled = 4 << 20

func getBuffer() *bytes.Buffer { return bufPool.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooled {
		return
	}
	b.Reset()
	bufPool.Put(b)
}

// keptWriters holds a few zlib writers that, unlike those in zlibPool,
// survive garbage collections: a sync.Pool is emptied every other cycle,
// and a new writer allocates and clears about 825 KB at its first stream
// (the standard library's and klauspost's alike) — in a busy server,
// where collections come every few renders, that was paid again and
// again. Four cover the render workers and a blank-form print at once.
var keptWriters = make(chan *zlib.Writer, 4)

// deflate appends data compressed with zlib (PDF's FlateDecode) to dst.
func deflate(dst *bytes.Buffer, data []byte) {
	var z *zlib.Writer
	select {
	case z = <-keptWriters:
	default:
		z = zlibPool.Get().(*zlib.Writer)
	}
	z.Reset(dst)
	// Writes to a bytes.Buffer do not fail.
	z.Write(data)
	z.Close()
	// Keep the writer from dst, which the caller may reuse or drop.
	z.Reset(nil)
	select {
	case keptWriters <- z:
	default:
		zlibPool.Put(z)
	}
}

// file is a PDF file being written into a buffer. Objects are numbered
// from 1 and may be written in any order; offsets records where each
// starts for the cross-reference table.
type file struct {
	buf     *bytes.Buffer
	scratch *bytes.Buffer // a stream's compressed bytes before its length is known
	offsets []int         // offsets[n] is where object n starts; 0 until written
}

// newFile starts a file with the header and room for n objects.
func newFile(n int) *file {
	f := &file{buf: getBuffer(), scratch: getBuffer(), offsets: make([]int, n+1)}
	// The comment of four bytes above 127 tells transfer tools the file
	// is binary.
	f.buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	return f
}

// release returns the file's buffers to the pools.
func (f *file) release() {
	putBuffer(f.buf)
	putBuffer(f.scratch)
	f.buf, f.scratch = nil, nil
}

// alloc reserves the next object number.
func (f *file) alloc() int {
	f.offsets = append(f.offsets, 0)
	return len(f.offsets) - 1
}

// object writes object n whose body is body.
func (f *file) object(n int, body string) {
	f.begin(n)
	f.buf.WriteString(body)
	f.buf.WriteString("\nendobj\n")
}

func (f *file) begin(n int) {
	f.offsets[n] = f.buf.Len()
	f.buf.WriteString(strconv.Itoa(n))
	f.buf.WriteString(" 0 obj\n")
}

// stream writes object n as a compressed stream; dict holds the entries
// besides Filter and Length, without the brackets.
func (f *file) stream(n int, dict string, data []byte) {
	f.scratch.Reset()
	deflate(f.scratch, data)
	f.begin(n)
	f.buf.WriteString("<<")
	f.buf.WriteString(dict)
	f.buf.WriteString(" /Filter /FlateDecode /Length ")
	f.buf.WriteString(strconv.Itoa(f.scratch.Len()))
	f.buf.WriteString(">>\nstream\n")
	f.buf.Write(f.scratch.Bytes())
	f.buf.WriteString("\nendstream\nendobj\n")
}

// raw copies objects serialised elsewhere (a background's) into the file:
// offsets[i] is where object first+i starts in data.
func (f *file) raw(first int, data []byte, offsets []int) {
	base := f.buf.Len()
	for i, o := range offsets {
		f.offsets[first+i] = base + o
	}
	f.buf.Write(data)
}

// finish writes the cross-reference table and trailer and then the whole
// file to w. Every object must have been written.
func (f *file) finish(w io.Writer, root, info int) error {
	xref := f.buf.Len()
	fmt.Fprintf(f.buf, "xref\n0 %d\n0000000000 65535 f \n", len(f.offsets))
	var line []byte
	for n, o := range f.offsets[1:] {
		if o == 0 {
			return fmt.Errorf("pdf: object %d was never written", n+1)
		}
		line = strconv.AppendInt(line[:0], int64(o), 10)
		for range 10 - len(line) {
			f.buf.WriteByte('0')
		}
		f.buf.Write(line)
		f.buf.WriteString(" 00000 n \n")
	}
	fmt.Fprintf(f.buf, "trailer\n<</Size %d /Root %d 0 R /Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(f.offsets), root, info, xref)
	if _, err := w.Write(f.buf.Bytes()); err != nil {
		return fmt.Errorf("pdf: write: %w", err)
	}
	return nil
}

// textString is s as a PDF text string (document information): a literal
// when it is printable ASCII, otherwise UTF-16 with a byte-order mark.
func textString(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			ascii = false
			break
		}
	}
	if ascii {
		return "(" + string(escapeString(nil, s)) + ")"
	}
	b := []byte("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		b = fmt.Appendf(b, "%04X", u)
	}
	return string(append(b, '>'))
}

// escapeString appends s to b with PDF literal-string escapes for the
// delimiters and the backslash. A carriage return is escaped too, as a
// reader would otherwise turn it into a newline.
func escapeString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '(', ')', '\\':
			b = append(b, '\\', c)
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, c)
		}
	}
	return b
}

// pdfDate is t as a PDF date in UTC.
func pdfDate(t time.Time) string {
	return "(D:" + t.UTC().Format("20060102150405") + "Z)"
}
