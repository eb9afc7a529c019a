package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/inkform/inkform"
)

// SubmitDigital stores a form filled on a device as a new document after
// checking every value against the form's rules: an unknown field, a value
// of the wrong type or a broken rule → EUNPROCESSABLE naming each problem.
// Ink for signature and drawing fields (millimetres relative to the field's
// box) is stored as the document's ink in page coordinates.
func (db *DB) SubmitDigital(ctx context.Context, orgID string, sub *inkform.DigitalSubmission) (*inkform.Document, error) {
	if sub == nil {
		return nil, inkform.Errorf(inkform.EINVALID, "no submission")
	}
	if len(sub.SubmissionID) > inkform.MaxSubmissionIDLength {
		return nil, inkform.Errorf(inkform.EINVALID, "the submission ID is longer than %d bytes", inkform.MaxSubmissionIDLength)
	}
	var (
		doc       *inkform.Document
		delivered bool
	)
	err := db.inWrite(ctx, func(tx querier) error {
		if sub.SubmissionID != "" {
			res, err := db.storedResult(ctx, tx, orgID, sub.SubmissionID)
			if err == nil {
				doc, err = db.replayedDocument(ctx, tx, orgID, res)
				return err
			} else if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("submit digital: %w", err)
			}
		}
		form, err := db.findForm(ctx, tx, orgID, sub.FormID, 0, false)
		if err != nil {
			return err
		}
		fields, pages, err := digitalFields(form, sub)
		if err != nil {
			return err
		}
		now := db.now()
		docID := inkform.NewID()
		fieldsJSON, err := json.Marshal(fields)
		if err != nil {
			return fmt.Errorf("encode fields: %w", err)
		}
		var docPages []inkform.DocumentPage
		for _, p := range pages {
			docPages = mergePages(docPages, []inkform.DocumentPage{{Number: p.number, Address: p.ink.Address, Strokes: len(p.ink.Strokes)}})
		}
		if docPages == nil {
			docPages = []inkform.DocumentPage{}
		}
		pagesJSON, _ := json.Marshal(docPages)
		if _, err := db.insertDocument(ctx, tx, orgID, docID, form.ID, form.Version, "", "", string(pagesJSON), string(fieldsJSON), now, "digital"); err != nil {
			return err
		}
		if len(pages) > 0 {
			inkPages := make([]inkform.PageInk, len(pages))
			for i, p := range pages {
				inkPages[i] = p.ink
			}
			if err := db.insertInk(ctx, tx, orgID, docID, sub.SubmissionID, now, inkPages, nil); err != nil {
				return err
			}
		}
		if err := db.enqueueTx(ctx, tx, orgID, inkform.InterpretArgs{DocumentID: docID},
			inkform.EnqueueOpts{Queue: inkform.QueueInterpret, UniqueKey: docID}); err != nil {
			return err
		}
		if sub.SubmissionID != "" {
			res := &inkform.CaptureResult{Documents: []inkform.CapturedDocument{{ID: docID, Form: form.ID, Pages: numbersOf(docPages)}}}
			claimed, err := db.claimSubmission(ctx, tx, orgID, sub.SubmissionID, res, now)
			if err != nil {
				return err
			} else if !claimed {
				return errDuplicateSubmission // rolled back; replayed below
			}
		}
		if doc, err = db.findDocument(ctx, tx, orgID, docID); err != nil {
			return err
		}
		delivered, err = db.enqueueDeliveries(ctx, tx, doc, inkform.EventDocumentReceived, nil)
		return err
	})
	if errors.Is(err, errDuplicateSubmission) {
		// A concurrent submission with the same ID committed first.
		res, err := db.storedResult(ctx, db.writer(), orgID, sub.SubmissionID)
		if err != nil {
			return nil, fmt.Errorf("submit digital: %w", err)
		}
		return db.replayedDocument(ctx, db.writer(), orgID, res)
	} else if err != nil {
		return nil, err
	}
	db.notifyEnqueued(inkform.QueueInterpret)
	if delivered {
		db.notifyEnqueued(inkform.QueueDeliver)
	}
	return doc, nil
}

// replayedDocument returns the document a stored result names.
func (db *DB) replayedDocument(ctx context.Context, q querier, orgID string, res *inkform.CaptureResult) (*inkform.Document, error) {
	if len(res.Documents) != 1 {
		return nil, inkform.Errorf(inkform.ECONFLICT, "the submission ID was used for an ink submission")
	}
	return db.findDocument(ctx, q, orgID, res.Documents[0].ID)
}

type digitalPage struct {
	number int
	ink    inkform.PageInk
}

// digitalFields checks a submission against the form and returns the
// field values and the ink per page, translated to page coordinates.
func digitalFields(form *inkform.Form, sub *inkform.DigitalSubmission) (map[string]inkform.FieldValue, []digitalPage, error) {
	var problems []inkform.Problem
	for name := range sub.Values {
		if form.Field(name) == nil {
			problems = append(problems, inkform.Problem{Path: name, Message: "is not a field of the form"})
		}
	}
	byPage := map[int]*digitalPage{}
	for name, strokes := range sub.Ink {
		f := form.Field(name)
		switch {
		case f == nil:
			problems = append(problems, inkform.Problem{Path: name, Message: "is not a field of the form"})
			continue
		case f.Type != inkform.FieldSignature && f.Type != inkform.FieldDrawing:
			problems = append(problems, inkform.Problem{Path: name, Message: "takes a value, not ink (only signature and drawing fields take ink)"})
			continue
		case len(strokes) == 0:
			continue
		}
		p := byPage[f.Page]
		if p == nil {
			p = &digitalPage{number: f.Page, ink: inkform.PageInk{Address: form.Pages[f.Page-1].Address}}
			byPage[f.Page] = p
		}
		for _, s := range strokes {
			pts := make([]inkform.Point, len(s.Points))
			for i, pt := range s.Points {
				pts[i] = inkform.Point{X: pt.X + f.Box.X, Y: pt.Y + f.Box.Y, T: pt.T, F: pt.F}
			}
			p.ink.Strokes = append(p.ink.Strokes, inkform.Stroke{Points: pts})
		}
	}
	fields := make(map[string]inkform.FieldValue, len(form.Fields))
	for i := range form.Fields {
		f := &form.Fields[i]
		v := sub.Values[f.Name]
		if v == nil && len(sub.Ink[f.Name]) > 0 {
			v = true // ink in a signature or drawing field is its value
		}
		for _, msg := range f.Check(v) {
			problems = append(problems, inkform.Problem{Path: f.Name, Message: msg})
		}
		fields[f.Name] = inkform.FieldValue{Value: v, Confidence: 1, Source: inkform.SourceDigital, Valid: true, Problems: []string{}}
	}
	if len(problems) > 0 {
		sort.SliceStable(problems, func(i, j int) bool { return problems[i].Path < problems[j].Path })
		msg := fmt.Sprintf("the submission does not fit the form: %s %s", problems[0].Path, problems[0].Message)
		if len(problems) > 1 {
			msg += fmt.Sprintf(" (and %d more)", len(problems)-1)
		}
		return nil, nil, &inkform.Error{Code: inkform.EUNPROCESSABLE, Message: msg, Problems: problems}
	}
	pages := make([]digitalPage, 0, len(byPage))
	for _, p := range byPage {
		pages = append(pages, *p)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].number < pages[j].number })
	return fields, pages, nil
}

func numbersOf(pages []inkform.DocumentPage) []int {
	out := make([]int, len(pages))
	for i, p := range pages {
		out[i] = p.Number
	}
	return out
}
