package pdf

import (
	"errors"
	"io"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Cross-reference streams are usually compressed with a PNG predictor
// (each row of entries stored as its difference from the row above), so
// reading their entries needs the predictor undone. Measuring does not:
// a predictor changes a stream's size by one byte a row at most.

// maxRow bounds a predictor's row, which is held twice in memory.
const maxRow = 1 << 16

// unpredict undoes the predictor that the decode parameters of the last
// Flate or LZW stage of filters name, if any: PNG (10–15) or TIFF (2, for
// 8-bit components).
func unpredict(r io.Reader, filters []types.PDFFilter) io.Reader {
	var parms types.Dict
	for _, f := range filters {
		if f.DecodeParms != nil {
			parms = f.DecodeParms
		}
	}
	predictor := intEntry(parms, "Predictor", 1)
	if predictor < 2 {
		return r
	}
	colors, bpc := intEntry(parms, "Colors", 1), intEntry(parms, "BitsPerComponent", 8)
	columns := intEntry(parms, "Columns", 1)
	if colors < 1 || colors > 32 || bpc < 1 || bpc > 16 || columns < 1 || colors*bpc*columns > 8*maxRow ||
		predictor == 2 && bpc != 8 || predictor > 2 && predictor < 10 || predictor > 15 {
		return errReader{errors.New("unsupported predictor")}
	}
	p := &predicted{r: r, png: predictor >= 10, bpp: max(1, colors*bpc/8)}
	n := (colors*bpc*columns + 7) / 8
	p.row, p.prev = make([]byte, n), make([]byte, n)
	return p
}

// intEntry returns the integer at key in d, or def.
func intEntry(d types.Dict, key string, def int) int {
	if d != nil {
		if v := d.IntEntry(key); v != nil {
			return *v
		}
	}
	return def
}

// predicted undoes a predictor row by row.
type predicted struct {
	r         io.Reader
	png       bool
	bpp       int
	row, prev []byte
	pending   []byte // decoded bytes of row not read yet
	tag       [1]byte
}

func (p *predicted) Read(b []byte) (int, error) {
	if len(p.pending) == 0 {
		if err := p.next(); err != nil {
			return 0, err
		}
	}
	n := copy(b, p.pending)
	p.pending = p.pending[n:]
	return n, nil
}

// next reads and decodes one row.
func (p *predicted) next() error {
	p.row, p.prev = p.prev, p.row
	tag := byte(0)
	if p.png {
		if _, err := io.ReadFull(p.r, p.tag[:]); err != nil {
			return err
		}
		tag = p.tag[0]
	}
	if _, err := io.ReadFull(p.r, p.row); err != nil {
		return err
	}
	cur, up := p.row, p.prev
	for i := range cur {
		var left, upLeft byte
		if i >= p.bpp {
			left, upLeft = cur[i-p.bpp], up[i-p.bpp]
		}
		switch {
		case !p.png:
			cur[i] += left
		case tag == 1:
			cur[i] += left
		case tag == 2:
			cur[i] += up[i]
		case tag == 3:
			cur[i] += byte((int(left) + int(up[i])) / 2)
		case tag == 4:
			cur[i] += paeth(left, up[i], upLeft)
		}
	}
	p.pending = cur
	return nil
}

// paeth is the PNG Paeth predictor.
func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// errReader fails every read.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
