package inkform

import "context"

// PrintRun is what one print of a form's blank pages draws: a set of page
// addresses per copy and, for a unique-pattern form, the copies allocated
// for it (FirstCopy is the number of the first; both zero otherwise).
type PrintRun struct {
	Addresses [][]string
	FirstCopy int
	Copies    int
}

// PlanPrint works out a print of n copies of form, for FormPrinter.Blank:
// a copied-pattern form prints its own addresses n times; a unique-pattern
// form allocates n copies first, which only a caller allowed to write
// forms may do (EFORBIDDEN otherwise). A print that would draw more than
// MaxPrintMarks is refused (EINVALID, Problem on "copies") before any copy
// is allocated. n must be from 1 to MaxPrintCopies; the JSON API and the
// console both print through it.
func PlanPrint(ctx context.Context, forms FormService, orgID string, form *Form, n int, mayWrite bool) (*PrintRun, error) {
	if n < 1 || n > MaxPrintCopies {
		return nil, copiesError("must be an integer from 1 to %d", MaxPrintCopies)
	}
	if marks := form.PrintMarks(); n*marks > MaxPrintMarks {
		return nil, copiesError("this form draws %d marks per copy; at most %d copies of it fit in one request (%d marks)",
			marks, max(MaxPrintMarks/marks, 1), MaxPrintMarks)
	}
	run := &PrintRun{Addresses: make([][]string, n)}
	if form.Pattern != PatternUnique {
		own := make([]string, len(form.Pages))
		for i, p := range form.Pages {
			own[i] = p.Address
		}
		for i := range run.Addresses {
			run.Addresses[i] = own
		}
		return run, nil
	}
	if !mayWrite {
		return nil, Errorf(EFORBIDDEN, "printing a unique-pattern form allocates copies and needs the %s permission", PermFormsWrite)
	}
	copies, err := forms.CreateCopies(ctx, orgID, form.ID, n)
	if err != nil {
		return nil, err
	}
	for i, c := range copies {
		run.Addresses[i] = c.Addresses
	}
	run.FirstCopy, run.Copies = copies[0].Number, len(copies)
	return run, nil
}

// copiesError is the EINVALID error of a print's copies parameter.
func copiesError(format string, args ...any) error {
	e := Errorf(EINVALID, "query parameter copies: "+format, args...)
	e.Problems = []Problem{{Path: "copies", Message: Errorf("", format, args...).Message}}
	return e
}
