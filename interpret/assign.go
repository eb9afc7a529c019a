package interpret

import (
	"fmt"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// target is one box that strokes can be assigned to: the box of a field, one
// option box of a choice field, or the group box of a choice (option -1),
// which keeps ink written beside the options with the field for its cutout
// without ticking anything.
type target struct {
	field  int // index in Form.Fields
	option int // index in Field.Options; -1 for the field's own box
	box    inkform.Box
	grown  inkform.Box // box grown by the edge tolerance
	area   float64
}

// assignment is where every stroke of a document went.
type assignment struct {
	targets []target
	// byTarget holds the strokes of each target, fieldInk those of each
	// field (all its targets together), both in the order written.
	byTarget   [][]inkform.Stroke
	fieldInk   [][]inkform.Stroke
	unassigned []inkform.PageInk
}

// pageTargets returns the form's targets grouped by 1-based page number.
// Fields without a usable box (a template that failed validation) get no
// target: their ink stays unassigned rather than landing in a guessed place.
func pageTargets(form *inkform.Form, tolerance float64) ([]target, map[int][]int) {
	var targets []target
	byPage := map[int][]int{}
	add := func(field, option int, b *inkform.Box) {
		if b == nil || !(b.W > 0 && b.H > 0) {
			return
		}
		page := form.Fields[field].Page
		byPage[page] = append(byPage[page], len(targets))
		targets = append(targets, target{
			field: field, option: option, box: *b,
			grown: ink.Expand(*b, tolerance), area: ink.Area(*b),
		})
	}
	for i := range form.Fields {
		f := &form.Fields[i]
		add(i, -1, f.Box)
		if f.Type == inkform.FieldChoice {
			for j := range f.Options {
				add(i, j, &f.Options[j].Box)
			}
		}
	}
	return targets, byPage
}

// assign maps the document's ink pages to form pages (Form.PageOf) and gives
// each stroke to the target whose grown box holds the largest share of its
// length. Ties go to the smaller box, because the smaller box is the more
// specific one (an option inside its group, a comb inside a panel), and
// between boxes of one size to the first in template order. A stroke with
// less than MinShare in every box, and all ink on a page address that
// neither the document nor the form knows, is kept as unassigned ink of its
// page.
func assign(form *inkform.Form, doc *inkform.Document, di *inkform.DocumentInk, o Options) (*assignment, error) {
	targets, byPage := pageTargets(form, o.EdgeTolerance)
	a := &assignment{
		targets:  targets,
		byTarget: make([][]inkform.Stroke, len(targets)),
		fieldInk: make([][]inkform.Stroke, len(form.Fields)),
	}
	if di == nil {
		return a, nil // a digital document, or ink not yet stored
	}
	// An address that the document gives two pages leaves no way to tell
	// where its ink belongs: refuse to guess.
	seen := make(map[string]int, len(doc.Pages))
	for _, p := range doc.Pages {
		if prev, ok := seen[p.Address]; ok && prev != p.Number {
			return nil, fmt.Errorf("document %s: address %s is both page %d and page %d", doc.ID, p.Address, prev, p.Number)
		}
		seen[p.Address] = p.Number
	}
	unassigned := map[string]int{} // address → index in a.unassigned
	for pi := range di.Pages {
		page := &di.Pages[pi]
		var cands []int // none for an address of no page: all its ink stays unassigned
		if n, ok := form.PageOf(doc, page.Address); ok {
			cands = byPage[n]
		}
		for si := range page.Strokes {
			s := page.Strokes[si]
			if t := bestTarget(&s, targets, cands, o.MinShare); t >= 0 {
				a.byTarget[t] = append(a.byTarget[t], s)
				f := targets[t].field
				a.fieldInk[f] = append(a.fieldInk[f], s)
				continue
			}
			ui, ok := unassigned[page.Address]
			if !ok {
				ui = len(a.unassigned)
				unassigned[page.Address] = ui
				a.unassigned = append(a.unassigned, inkform.PageInk{Address: page.Address})
			}
			a.unassigned[ui].Strokes = append(a.unassigned[ui].Strokes, s)
		}
	}
	return a, nil
}

// shareTie is the difference below which two shares count as equal, so that
// float rounding in clipping does not decide between two boxes.
const shareTie = 1e-9

// bestTarget returns the index of the candidate target holding the largest
// share of the stroke, or -1 when no share reaches minShare.
func bestTarget(s *inkform.Stroke, targets []target, cands []int, minShare float64) int {
	// ink.Bounds rather than Stroke.Bounds: it leaves out a corrupt (NaN)
	// sample instead of making the whole stroke land nowhere.
	bounds, ok := ink.Bounds([]inkform.Stroke{*s})
	if !ok {
		return -1
	}
	best, bestShare := -1, 0.0
	for _, t := range cands {
		tg := &targets[t]
		if !ink.Intersects(bounds, tg.grown) {
			continue
		}
		share := ink.ShareInside(s, tg.grown)
		switch {
		case share <= 0:
		case best < 0 || share > bestShare+shareTie:
			best, bestShare = t, share
		case share > bestShare-shareTie && tg.area < targets[best].area:
			best, bestShare = t, max(share, bestShare)
		}
	}
	if best < 0 || bestShare < minShare-shareTie {
		return -1
	}
	return best
}
