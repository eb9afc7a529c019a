package ink

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"sync"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/vector"

	"github.com/inkform/inkform"
)

// Render limits: cutouts are small and full pages at 300 dpi are about 9
// megapixels, so larger requests are mistakes or abuse.
const (
	MaxRenderDPI    = 1200.0
	MaxRenderPixels = 40_000_000
)

// RenderPNG draws the strokes that fall in view (millimetres on the page)
// as a PNG at dpi pixels per inch, onto bg when given (scaled to cover the
// view exactly; pass image.NewUniform(color.Transparent) for a transparent
// picture) or onto white. Lines are antialiased, with round caps and joins,
// their width following the force (see Pen). For many pictures, use one
// Renderer, which reuses its buffers.
func RenderPNG(w io.Writer, strokes []inkform.Stroke, view inkform.Box, dpi float64, bg image.Image) error {
	var r Renderer
	return r.RenderPNG(w, strokes, view, dpi, bg)
}

// Rasterize returns the image RenderPNG encodes: an *image.Paletted of 16
// white-to-ink shades without bg, an *image.RGBA with it.
func Rasterize(strokes []inkform.Stroke, view inkform.Box, dpi float64, bg image.Image) (image.Image, error) {
	var r Renderer
	return r.rasterize(strokes, view, dpi, bg, nil)
}

// Renderer renders ink like RenderPNG and keeps its rasteriser and PNG
// compressor between calls: they are most of the cost of a small cutout.
// The zero value is ready; a Renderer is safe for concurrent use.
type Renderer struct {
	rasterizers sync.Pool // *vector.Rasterizer
	masks       sync.Pool // *[]byte, pixels of cutouts being encoded
	encoders    encoderPool
	zlibs       zlibPool
	paletteOnce sync.Once
	palette     color.Palette
	shadeOf     [256]uint8 // coverage to palette index
}

// RenderPNG is the package's RenderPNG with reused buffers.
func (r *Renderer) RenderPNG(w io.Writer, strokes []inkform.Stroke, view inkform.Box, dpi float64, bg image.Image) error {
	buf, _ := r.masks.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	defer r.masks.Put(buf)
	img, err := r.rasterize(strokes, view, dpi, bg, buf)
	if err != nil {
		return err
	}
	if p, ok := img.(*image.Paletted); ok {
		return r.writePNG4(w, p)
	}
	// Cutouts are rendered on demand for verifiers: speed matters more
	// than the last few per cent of size.
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &r.encoders}
	return enc.Encode(w, img)
}

// rasterize draws the picture; without bg it keeps the pixels in *buf when
// buf is given, growing it as needed.
func (r *Renderer) rasterize(strokes []inkform.Stroke, view inkform.Box, dpi float64, bg image.Image, buf *[]byte) (image.Image, error) {
	wpx, hpx, err := pixelSize(view, dpi)
	if err != nil {
		return nil, err
	}
	z, _ := r.rasterizers.Get().(*vector.Rasterizer)
	if z == nil {
		z = &vector.Rasterizer{}
	}
	defer r.rasterizers.Put(z)
	z.Reset(wpx, hpx)
	addStrokes(z, strokes, view, dpi/25.4, NewPen(strokes))
	rect := image.Rect(0, 0, wpx, hpx)
	if bg == nil {
		// The coverage mask is the picture: with 16 shades of ink over
		// white it becomes a 4-bit palette image, which PNG compresses in
		// half the time of 8 bits; 16 levels of antialiasing look smooth.
		var mask *image.Alpha
		if buf != nil {
			if cap(*buf) < wpx*hpx {
				*buf = make([]byte, wpx*hpx)
			}
			mask = &image.Alpha{Pix: (*buf)[:wpx*hpx], Stride: wpx, Rect: rect}
		} else {
			mask = image.NewAlpha(rect)
		}
		// Src writes every pixel, so a reused buffer needs no clearing.
		z.DrawOp = draw.Src
		z.Draw(mask, rect, image.Opaque, image.Point{})
		r.paletteOnce.Do(func() {
			r.palette = shades()
			for a := range r.shadeOf {
				r.shadeOf[a] = uint8((a + 8) / 17)
			}
		})
		for i, a := range mask.Pix {
			mask.Pix[i] = r.shadeOf[a]
		}
		return &image.Paletted{Pix: mask.Pix, Stride: mask.Stride, Rect: rect, Palette: r.palette}, nil
	}
	dst := image.NewRGBA(rect)
	if b := bg.Bounds(); b.Dx() == wpx && b.Dy() == hpx {
		draw.Draw(dst, rect, bg, b.Min, draw.Src)
	} else {
		xdraw.ApproxBiLinear.Scale(dst, rect, bg, b, draw.Src, nil)
	}
	z.DrawOp = draw.Over
	z.Draw(dst, rect, image.NewUniform(InkColor()), image.Point{})
	return dst, nil
}

// encoderPool lets png.Encoder reuse its compressor.
type encoderPool struct{ p sync.Pool }

func (e *encoderPool) Get() *png.EncoderBuffer {
	b, _ := e.p.Get().(*png.EncoderBuffer)
	return b
}

func (e *encoderPool) Put(b *png.EncoderBuffer) { e.p.Put(b) }

// pixelSize returns the picture size for the view at dpi.
func pixelSize(view inkform.Box, dpi float64) (int, int, error) {
	if !(dpi > 0 && dpi <= MaxRenderDPI) {
		return 0, 0, inkform.Errorf(inkform.EINVALID, "render: dpi must be above 0 and at most %g", MaxRenderDPI)
	}
	if !(view.W > 0 && view.H > 0) || !finiteMM(view.X) || !finiteMM(view.Y) {
		return 0, 0, inkform.Errorf(inkform.EINVALID, "render: the view box must have a positive width and height")
	}
	wf, hf := math.Round(view.W*dpi/25.4), math.Round(view.H*dpi/25.4)
	if wf*hf > MaxRenderPixels {
		return 0, 0, inkform.Errorf(inkform.EINVALID, "render: %gx%g pixels is more than %d", wf, hf, MaxRenderPixels)
	}
	return max(int(wf), 1), max(int(hf), 1), nil
}

func shades() color.Palette {
	ink := InkColor()
	p := make(color.Palette, 16)
	for i := range p {
		a := uint32(i) * 17
		mix := func(c uint8) uint8 { return uint8((uint32(c)*a + 255*(255-a) + 127) / 255) }
		p[i] = color.RGBA{R: mix(ink.R), G: mix(ink.G), B: mix(ink.B), A: 0xff}
	}
	return p
}

// addStrokes adds the outline of every stroke to z: per segment a
// trapezoid between the two points' widths and a disc at both ends and at
// bends, which gives round caps and joins. All shapes wind the same way, because the
// rasteriser adds signed coverage and opposite windings would cancel.
func addStrokes(z *vector.Rasterizer, strokes []inkform.Stroke, view inkform.Box, scale float64, pen Pen) {
	cull := Expand(view, MaxPenWidth)
	for i := range strokes {
		s := &strokes[i]
		if b, ok := finiteBounds(s.Points); !ok || !Intersects(b, cull) {
			continue
		}
		first := true
		pen.Runs(s, func(width float64, pts []inkform.Point) {
			r := width / 2 * scale
			px := func(p inkform.Point) (float64, float64) {
				return (p.X - view.X) * scale, (p.Y - view.Y) * scale
			}
			disc := newDisc(r)
			x0, y0 := px(pts[0])
			// A later run starts where the previous one ended, which
			// has its disc already (widths differ by one step).
			if first || len(pts) == 1 {
				disc.add(z, x0, y0)
			}
			first = false
			for j := 1; j < len(pts); j++ {
				x1, y1 := px(pts[j])
				addSegment(z, x0, y0, x1, y1, r)
				// Discs make round joins, but where shapes overlap the
				// rasteriser adds their edge coverage and edges turn
				// bolder; so joins get one only where the line bends.
				if j == len(pts)-1 || bends(x0, y0, x1, y1, pts[j+1], view, scale) {
					disc.add(z, x1, y1)
				}
				x0, y0 = x1, y1
			}
		})
	}
}

// bends reports whether the line turns by more than about 10 degrees at
// (x1, y1) on its way from (x0, y0) to next.
func bends(x0, y0, x1, y1 float64, next inkform.Point, view inkform.Box, scale float64) bool {
	x2, y2 := (next.X-view.X)*scale, (next.Y-view.Y)*scale
	ax, ay, bx, by := x1-x0, y1-y0, x2-x1, y2-y1
	la, lb := math.Hypot(ax, ay), math.Hypot(bx, by)
	if la < 1e-6 || lb < 1e-6 {
		return true
	}
	return (ax*bx+ay*by)/(la*lb) < 0.985
}

func addSegment(z *vector.Rasterizer, x0, y0, x1, y1, r float64) {
	dx, dy := x1-x0, y1-y0
	l := math.Hypot(dx, dy)
	if l < 1e-6 {
		return
	}
	nx, ny := -dy/l*r, dx/l*r
	z.MoveTo(float32(x0+nx), float32(y0+ny))
	z.LineTo(float32(x1+nx), float32(y1+ny))
	z.LineTo(float32(x1-nx), float32(y1-ny))
	z.LineTo(float32(x0-nx), float32(y0-ny))
	z.ClosePath()
}

// disc is a polygon close enough to a circle of radius r pixels: one side
// per 1.5 pixels of circumference, at least eight. Its corners are
// computed once per run, as the radius is the same along a run.
type disc struct {
	dx, dy [64]float32
	n      int
}

func newDisc(r float64) disc {
	d := disc{n: min(max(int(2*math.Pi*r/1.5), 8), 64)}
	// Clockwise (decreasing angle) to wind like addSegment's trapezoids;
	// each corner is the previous one turned by one step.
	sin, cos := math.Sincos(-2 * math.Pi / float64(d.n))
	x, y := r, 0.0
	for k := range d.n {
		d.dx[k], d.dy[k] = float32(x), float32(y)
		x, y = x*cos-y*sin, x*sin+y*cos
	}
	return d
}

func (d *disc) add(z *vector.Rasterizer, cx, cy float64) {
	x, y := float32(cx), float32(cy)
	z.MoveTo(x+d.dx[0], y+d.dy[0])
	for k := 1; k < d.n; k++ {
		z.LineTo(x+d.dx[k], y+d.dy[k])
	}
	z.ClosePath()
}

// finiteBounds is the bounding box of the points with finite coordinates
// (Stroke.Bounds turns NaN on one point into NaN bounds).
func finiteBounds(pts []inkform.Point) (inkform.Box, bool) {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		if finiteMM(p.X) && finiteMM(p.Y) {
			minX, maxX = min(minX, p.X), max(maxX, p.X)
			minY, maxY = min(minY, p.Y), max(maxY, p.Y)
		}
	}
	if minX > maxX {
		return inkform.Box{}, false
	}
	return inkform.Box{X: minX, Y: minY, W: maxX - minX, H: maxY - minY}, true
}
