package ink

import (
	"bufio"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"io"
	"sync"
)

// A cutout without background is a 4-bit palette image of mostly white.
// image/png handles 4-bit images pixel by pixel through interfaces, which
// was half of a cutout's time; this writer packs rows directly and reuses
// its compressor. The output is a plain PNG (colour type 3, bit depth 4,
// filter none).

// zlibPool keeps compressors, which are large to allocate.
type zlibPool struct{ p sync.Pool }

func (z *zlibPool) get(w io.Writer) *zlib.Writer {
	if zw, _ := z.p.Get().(*zlib.Writer); zw != nil {
		zw.Reset(w)
		return zw
	}
	zw, _ := zlib.NewWriterLevel(w, zlib.BestSpeed) // the level is valid
	return zw
}

func (z *zlibPool) put(zw *zlib.Writer) { z.p.Put(zw) }

// writePNG4 writes img, whose Pix holds palette indexes below 16.
func (r *Renderer) writePNG4(w io.Writer, img *image.Paletted) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\x89PNG\r\n\x1a\n")
	width, height := img.Rect.Dx(), img.Rect.Dy()
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(height))
	ihdr[8], ihdr[9] = 4, 3 // bit depth 4, palette colour
	writeChunk(bw, "IHDR", ihdr[:])
	plte := make([]byte, 0, 3*len(img.Palette))
	for _, c := range img.Palette {
		cr, cg, cb, _ := c.RGBA()
		plte = append(plte, uint8(cr>>8), uint8(cg>>8), uint8(cb>>8))
	}
	writeChunk(bw, "PLTE", plte)

	var idat chunkWriter
	idat.w = bw
	zw := r.zlibs.get(&idat)
	row := make([]byte, 1+(width+1)/2) // filter byte, then two pixels a byte
	for y := range height {
		pix := img.Pix[y*img.Stride : y*img.Stride+width]
		for i := 0; i+1 < len(pix); i += 2 {
			row[1+i/2] = pix[i]<<4 | pix[i+1]
		}
		if width%2 == 1 {
			row[len(row)-1] = pix[width-1] << 4
		}
		if _, err := zw.Write(row); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	r.zlibs.put(zw)
	idat.flush()
	writeChunk(bw, "IEND", nil)
	return bw.Flush()
}

func writeChunk(w *bufio.Writer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	w.WriteString(typ)
	w.Write(data)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	w.Write(n[:])
}

// chunkWriter collects compressed data and writes it as IDAT chunks of up
// to 64 KB.
type chunkWriter struct {
	w   *bufio.Writer
	buf []byte
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	c.buf = append(c.buf, p...)
	if len(c.buf) >= 64<<10 {
		c.flush()
	}
	return len(p), nil
}

func (c *chunkWriter) flush() {
	if len(c.buf) > 0 {
		writeChunk(c.w, "IDAT", c.buf)
		c.buf = c.buf[:0]
	}
}
