package ink

import "github.com/inkform/inkform"

// The rules that give strokes to a form's boxes. Interpretation and cutouts
// both assign with Assign, so a cutout shows exactly the ink a value was
// read from.
const (
	// DefaultEdgeTolerance (mm) grows every box before strokes are measured
	// against it, because a hand strays over a printed edge: a tick whose
	// tail leaves the box by 2 mm still belongs to it.
	DefaultEdgeTolerance = 2.0
	// DefaultMinShare is the smallest share of a stroke's length that must
	// lie in a (grown) box for the stroke to be assigned to it.
	DefaultMinShare = 0.3
)

// Target is one box that strokes can be assigned to: the box of a field,
// one option box of a choice field, or the group box of a choice (Option
// -1), which keeps ink written beside the options with the field for its
// cutout without ticking anything.
type Target struct {
	Field  int // index in Form.Fields
	Option int // index in Field.Options; -1 for the field's own box
	Box    inkform.Box
	grown  inkform.Box // Box grown by the edge tolerance
	area   float64
}

// newTarget returns the target of box b grown by tolerance.
func newTarget(field, option int, b inkform.Box, tolerance float64) Target {
	return Target{Field: field, Option: option, Box: b, grown: Expand(b, tolerance), area: Area(b)}
}

// Assignment is where every stroke of a document went.
type Assignment struct {
	// Targets are the form's boxes in template order.
	Targets []Target
	// ByTarget holds the strokes of each target, FieldInk those of each
	// field (all its targets together, indexed like Form.Fields), both in
	// the order written. They share their points with the DocumentInk.
	ByTarget [][]inkform.Stroke
	FieldInk [][]inkform.Stroke
	// Unassigned is the ink that lies in no box, per page address in the
	// order written.
	Unassigned []inkform.PageInk
}

// formTargets returns the form's targets grouped by 1-based page number.
// Fields without a usable box (a template that failed validation) get no
// target: their ink stays unassigned rather than landing in a guessed place.
func formTargets(form *inkform.Form, tolerance float64) ([]Target, map[int][]int) {
	var targets []Target
	byPage := map[int][]int{}
	add := func(field, option int, b *inkform.Box) {
		if b == nil || !(b.W > 0 && b.H > 0) {
			return
		}
		page := form.Fields[field].Page
		byPage[page] = append(byPage[page], len(targets))
		targets = append(targets, newTarget(field, option, *b, tolerance))
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

// Assign maps the document's ink pages to form pages (Form.PageOf) and gives
// each stroke to the target whose box, grown by tolerance mm, holds the
// largest share of its length. Ties go to the smaller box, because the
// smaller box is the more specific one (an option inside its group, a comb
// inside a panel), and between boxes of one size to the first in template
// order. A stroke with less than minShare in every box, and all ink on a
// page address that neither the document nor the form knows, is kept as
// unassigned ink of its page. di may be nil (a digital document, or ink not
// yet stored).
func Assign(form *inkform.Form, doc *inkform.Document, di *inkform.DocumentInk, tolerance, minShare float64) *Assignment {
	targets, byPage := formTargets(form, tolerance)
	a := &Assignment{
		Targets:  targets,
		ByTarget: make([][]inkform.Stroke, len(targets)),
		FieldInk: make([][]inkform.Stroke, len(form.Fields)),
	}
	if di == nil {
		return a
	}
	unassigned := map[string]int{} // address → index in a.Unassigned
	for pi := range di.Pages {
		page := &di.Pages[pi]
		var cands []int // none for an address of no page: all its ink stays unassigned
		if n, ok := form.PageOf(doc, page.Address); ok {
			cands = byPage[n]
		}
		for si := range page.Strokes {
			s := page.Strokes[si]
			if t := bestTarget(&s, targets, cands, minShare); t >= 0 {
				a.ByTarget[t] = append(a.ByTarget[t], s)
				f := targets[t].Field
				a.FieldInk[f] = append(a.FieldInk[f], s)
				continue
			}
			ui, ok := unassigned[page.Address]
			if !ok {
				ui = len(a.Unassigned)
				unassigned[page.Address] = ui
				a.Unassigned = append(a.Unassigned, inkform.PageInk{Address: page.Address})
			}
			a.Unassigned[ui].Strokes = append(a.Unassigned[ui].Strokes, s)
		}
	}
	return a
}

// ShareTie is the difference below which two shares (or two lengths in mm)
// count as equal, so that float rounding in clipping does not decide
// between two boxes.
const ShareTie = 1e-9

// bestTarget returns the index of the candidate target holding the largest
// share of the stroke, or -1 when no share reaches minShare.
func bestTarget(s *inkform.Stroke, targets []Target, cands []int, minShare float64) int {
	// Bounds rather than Stroke.Bounds: it leaves out a corrupt (NaN)
	// sample instead of making the whole stroke land nowhere.
	bounds, ok := Bounds([]inkform.Stroke{*s})
	if !ok {
		return -1
	}
	best, bestShare := -1, 0.0
	for _, t := range cands {
		tg := &targets[t]
		if !Intersects(bounds, tg.grown) {
			continue
		}
		share := ShareInside(s, tg.grown)
		switch {
		case share <= 0:
		case best < 0 || share > bestShare+ShareTie:
			best, bestShare = t, share
		case share > bestShare-ShareTie && tg.area < targets[best].area:
			best, bestShare = t, max(share, bestShare)
		}
	}
	if best < 0 || bestShare < minShare-ShareTie {
		return -1
	}
	return best
}
