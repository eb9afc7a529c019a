package pdf

import (
	"bufio"
	"compress/lzw"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"io"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	tifflzw "golang.org/x/image/tiff/lzw"
)

// The background checks measure what a stream's filters make of it without
// keeping the result: each filter reads the one before it in small pieces
// and the last is drained into io.Discard, so measuring a stream that
// inflates to gigabytes takes a few kilobytes of memory. pdfcpu's own
// decoders (and gofpdi's) hold the whole output, which is the danger
// being measured.

// errInflateLimit stops a measurement once a stream has produced more
// than it may.
var errInflateLimit = errors.New("inflate limit reached")

// decoder measures streams; it keeps its Flate readers for the next
// stream, since a file has hundreds of streams and each new reader
// allocates its 32 KiB window.
type decoder struct {
	flates []io.ReadCloser // by position in a filter chain
}

// open returns the decoded form of a stream of size bytes read from raw,
// which counts as it is read. Decoding ends where it would for pdfcpu or
// gofpdi: at a filter the server never decodes (image codecs, encryption,
// unknown names) or at the first fault in the data.
func (d *decoder) open(raw io.Reader, size int64, filters []types.PDFFilter, limit int64) *counted {
	c := &counted{r: raw, size: size, limit: limit, filters: filters}
	for i, f := range filters {
		next, err := d.stage(i, c.r, f)
		if next == nil || err != nil {
			break
		}
		s := &counter{r: next, limit: limit}
		c.stages = append(c.stages, s)
		c.r = s
	}
	return c
}

// counted is a stream being decoded and measured.
type counted struct {
	r       io.Reader
	stages  []*counter
	size    int64 // of the stream as stored
	limit   int64
	filters []types.PDFFilter
}

// Read reads the decoded stream.
func (c *counted) Read(p []byte) (int, error) { return c.r.Read(p) }

// drain reads the rest of the stream and returns what it inflated to: the
// most that the stream or any stage of its filter chain held, which is the
// final output unless a later stage shrinks it. Past the limit it returns
// errInflateLimit.
func (c *counted) drain() (int64, error) {
	if c.size > c.limit {
		return c.size, errInflateLimit
	}
	var err error
	if len(c.stages) > 0 {
		_, err = io.Copy(io.Discard, c.r)
	}
	most := c.size
	for _, s := range c.stages {
		most = max(most, s.n)
	}
	if errors.Is(err, errInflateLimit) {
		return most, errInflateLimit
	}
	return most, nil
}

// stage returns the decoder of filter f reading r, or nil for a filter
// whose output the server never produces.
func (d *decoder) stage(i int, r io.Reader, f types.PDFFilter) (io.Reader, error) {
	switch f.Name {
	case filter.Flate:
		return d.flate(i, r)
	case filter.LZW:
		// EarlyChange 1, the default, is the variant TIFF uses too.
		if f.DecodeParms != nil {
			if ec := f.DecodeParms.IntEntry("EarlyChange"); ec != nil && *ec == 0 {
				return lzw.NewReader(r, lzw.MSB, 8), nil
			}
		}
		return tifflzw.NewReader(r, tifflzw.MSB, 8), nil
	case filter.ASCIIHex:
		return hexDecoder(bufio.NewReader(r)), nil
	case filter.ASCII85:
		return ascii85.NewDecoder(untilTilde(bufio.NewReader(r))), nil
	case filter.RunLength:
		return runLengthDecoder(bufio.NewReader(r)), nil
	}
	// Image codecs (DCT, JPX, JBIG2, CCITTFax) are only ever decoded by
	// whoever views the PDF; Crypt and unknown names are not decoded.
	return nil, nil
}

// flate returns a zlib reader of r, reusing the one of chain position i.
func (d *decoder) flate(i int, r io.Reader) (io.Reader, error) {
	for len(d.flates) <= i {
		d.flates = append(d.flates, nil)
	}
	if z := d.flates[i]; z != nil {
		if err := z.(zlib.Resetter).Reset(r, nil); err != nil {
			return nil, err
		}
		return z, nil
	}
	z, err := zlib.NewReader(r)
	if err != nil {
		return nil, err
	}
	d.flates[i] = z
	return z, nil
}

// counter counts what passes through it and fails past limit.
type counter struct {
	r     io.Reader
	n     int64
	limit int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.limit {
		return n, errInflateLimit
	}
	return n, err
}

// bytewise reads the bytes that next makes one at a time; next reports
// false at the end of the data, after which it is not called again.
type bytewise struct {
	next func() (byte, bool)
	done bool
}

func (b *bytewise) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && !b.done {
		c, ok := b.next()
		if !ok {
			b.done = true
			break
		}
		p[n] = c
		n++
	}
	if n == 0 && b.done {
		return 0, io.EOF
	}
	return n, nil
}

// hexDecoder decodes ASCIIHexDecode: pairs of hex digits up to ">", white
// space ignored, a last odd digit followed by 0. Any other byte ends the
// data, as it ends decoding.
func hexDecoder(r *bufio.Reader) io.Reader {
	end := false
	digit := func() (byte, bool) {
		for !end {
			c, err := r.ReadByte()
			switch {
			case err != nil || c == '>':
				end = true
			case c >= '0' && c <= '9':
				return c - '0', true
			case c >= 'a' && c <= 'f':
				return c - 'a' + 10, true
			case c >= 'A' && c <= 'F':
				return c - 'A' + 10, true
			case !isSpace(c):
				end = true
			}
		}
		return 0, false
	}
	return &bytewise{next: func() (byte, bool) {
		hi, ok := digit()
		lo, _ := digit()
		return hi<<4 | lo, ok
	}}
}

// untilTilde ends r at "~", the start of ASCII85's end marker "~>", which
// encoding/ascii85 does not know.
func untilTilde(r *bufio.Reader) io.Reader {
	return &bytewise{next: func() (byte, bool) {
		c, err := r.ReadByte()
		return c, err == nil && c != '~'
	}}
}

// runLengthDecoder decodes RunLengthDecode: a length byte L, then L+1
// literal bytes (L < 128) or one byte repeated 257-L times (L > 128);
// 128 ends the data.
func runLengthDecoder(r *bufio.Reader) io.Reader {
	var lit, run int
	var b byte
	return &bytewise{next: func() (byte, bool) {
		for lit == 0 && run == 0 {
			l, err := r.ReadByte()
			switch {
			case err != nil || l == 128:
				return 0, false
			case l < 128:
				lit = int(l) + 1
			default:
				if b, err = r.ReadByte(); err != nil {
					return 0, false
				}
				run = 257 - int(l)
			}
		}
		if run > 0 {
			run--
			return b, true
		}
		lit--
		c, err := r.ReadByte()
		return c, err == nil
	}}
}

// isSpace reports whether c is PDF white space.
func isSpace(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}
