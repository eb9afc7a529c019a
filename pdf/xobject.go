package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/inkform/inkform"
)

// A background is drawn on a filled form as one Form XObject per page:
// the page's contents with its resources, and every object they refer to
// copied with new numbers. This is done once per background (see
// BackgroundCache): the objects are serialised into a block numbered
// from 1 that every document of the form version copies as it is.

// preparedBackground is a background's pages as serialised objects.
type preparedBackground struct {
	data    []byte // objects 1..len(offsets), in order
	offsets []int  // offsets[i] is where object i+1 starts in data
	pages   []bgPage
}

// bgPage is a background page: its XObject's number and displayed size
// in points.
type bgPage struct {
	object int
	w, h   float64
}

// maxDirectDepth bounds how deeply dictionaries and arrays may nest
// inside one object; real files nest a few levels.
const maxDirectDepth = 64

// prepareBackground checks data against the form as NormalizeBackground
// does (size limits, decompression bombs, page sizes) and turns its pages
// into Form XObjects.
func prepareBackground(data []byte, form *inkform.Form) (bg *preparedBackground, err error) {
	ctx, err := checkBackground(data, form)
	if err != nil {
		return nil, err
	}
	// pdfcpu's accessors are not free of panics on hostile input.
	defer func() {
		if r := recover(); r != nil {
			bg, err = nil, unreadable(r)
		}
	}()
	im := &importer{ctx: ctx, numbers: map[int]int{}, next: ctx.PageCount + 1}
	for p := 1; p <= ctx.PageCount; p++ {
		if err := im.page(p); err != nil {
			return nil, unreadable(fmt.Sprintf("page %d: %v", p, err))
		}
	}
	// The pages' objects are 1..PageCount; what they refer to follows, in
	// the order first met.
	for len(im.queue) > 0 {
		ref := im.queue[0]
		im.queue = im.queue[1:]
		if err := im.copyObject(ref); err != nil {
			return nil, unreadable(err)
		}
	}
	out := &preparedBackground{pages: im.pages}
	var buf bytes.Buffer
	for n := 1; n < im.next; n++ {
		out.offsets = append(out.offsets, buf.Len())
		buf.WriteString(strconv.Itoa(n))
		buf.WriteString(" 0 obj\n")
		buf.Write(im.bodies[n])
		buf.WriteString("\nendobj\n")
	}
	out.data = buf.Bytes()
	return out, nil
}

// importer copies objects out of a background, renumbering them.
type importer struct {
	ctx     *model.Context
	numbers map[int]int    // old object number → new
	next    int            // the next new number
	queue   []int          // old numbers still to copy
	bodies  map[int][]byte // new number → serialised object
	pages   []bgPage
}

// page makes the Form XObject of page p, object number p.
func (im *importer) page(p int) error {
	d, _, inh, err := im.ctx.PageDict(p, false)
	if err != nil {
		return err
	}
	if inh == nil || inh.MediaBox == nil {
		return errors.New("no media box")
	}
	content, err := im.ctx.PageContent(d, p)
	if err != nil && !errors.Is(err, model.ErrNoContent) {
		return err
	}
	res := types.Dict{}
	if inh.Resources != nil {
		c, err := im.copy(inh.Resources, 0)
		if err != nil {
			return err
		}
		res = c.(types.Dict)
	}
	box := inh.MediaBox
	llx, lly := box.LL.X, box.LL.Y
	w, h := box.UR.X-llx, box.UR.Y-lly
	// The matrix turns the page as a reader displays it (Rotate is
	// clockwise) and moves its corner to the origin.
	var m [6]float64
	dw, dh := w, h
	switch ((inh.Rotate % 360) + 360) % 360 {
	case 90:
		m, dw, dh = [6]float64{0, -1, 1, 0, -lly, w + llx}, h, w
	case 180:
		m = [6]float64{-1, 0, 0, -1, w + llx, h + lly}
	case 270:
		m, dw, dh = [6]float64{0, 1, -1, 0, h + lly, -llx}, h, w
	default:
		m = [6]float64{1, 0, 0, 1, -llx, -lly}
	}
	if !(dw > 0 && dh > 0) {
		return errors.New("empty media box")
	}
	var body bytes.Buffer
	fmt.Fprintf(&body, "<</Type /XObject /Subtype /Form /FormType 1 /BBox [%g %g %g %g] /Matrix [%g %g %g %g %g %g] /Resources %s",
		llx, lly, box.UR.X, box.UR.Y, m[0], m[1], m[2], m[3], m[4], m[5], res.PDFString())
	var z bytes.Buffer
	deflate(&z, content)
	fmt.Fprintf(&body, " /Filter /FlateDecode /Length %d>>\nstream\n", z.Len())
	body.Write(z.Bytes())
	body.WriteString("\nendstream")
	im.setBody(p, body.Bytes())
	im.pages = append(im.pages, bgPage{object: p, w: dw, h: dh})
	return nil
}

func (im *importer) setBody(n int, b []byte) {
	if im.bodies == nil {
		im.bodies = map[int][]byte{}
	}
	im.bodies[n] = b
}

// copy returns o with every reference renumbered, queueing the objects
// referred to. Keys are visited in order so that numbers do not depend on
// map order: the same background always gives the same bytes.
func (im *importer) copy(o types.Object, depth int) (types.Object, error) {
	if depth > maxDirectDepth {
		return nil, fmt.Errorf("objects nested more than %d deep", maxDirectDepth)
	}
	switch o := o.(type) {
	case types.IndirectRef:
		old := o.ObjectNumber.Value()
		n, ok := im.numbers[old]
		if !ok {
			n = im.next
			im.next++
			im.numbers[old] = n
			im.queue = append(im.queue, old)
		}
		return *types.NewIndirectRef(n, 0), nil
	case types.Dict:
		out := types.Dict{}
		for _, k := range slices.Sorted(maps.Keys(o)) {
			c, err := im.copy(o[k], depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case types.Array:
		out := make(types.Array, len(o))
		for i, e := range o {
			c, err := im.copy(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case types.StreamDict:
		return nil, errors.New("a stream inside an object")
	}
	return o, nil
}

// copyObject serialises the object the background numbered old.
func (im *importer) copyObject(old int) error {
	n := im.numbers[old]
	o, err := im.ctx.Dereference(*types.NewIndirectRef(old, 0))
	if err != nil {
		return err
	}
	if o == nil {
		im.setBody(n, []byte("null"))
		return nil
	}
	if sd, ok := o.(types.StreamDict); ok {
		// The raw bytes are copied as they are, still encoded: only a
		// Length held in another object must become direct.
		plain := maps.Clone(sd.Dict)
		delete(plain, "Length")
		c, err := im.copy(plain, 0)
		if err != nil {
			return err
		}
		d := c.(types.Dict)
		d["Length"] = types.Integer(len(sd.Raw))
		var body bytes.Buffer
		body.WriteString(d.PDFString())
		body.WriteString("\nstream\n")
		body.Write(sd.Raw)
		body.WriteString("\nendstream")
		im.setBody(n, body.Bytes())
		return nil
	}
	c, err := im.copy(o, 0)
	if err != nil {
		return err
	}
	im.setBody(n, []byte(c.PDFString()))
	return nil
}
