package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/inkform/inkform"
)

// SubmitDigital stores a form filled on a device as a new document after
// checking every value against the form's rules: an unknown field, a value
// of the wrong type or a broken rule → EUNPROCESSABLE naming each problem.
// Ink for signature and drawing fields (millimetres relative to the field's
// box) is stored as the document's ink in page coordinates. A submission ID
// seen before with the same content (digitalFingerprint) returns the
// document it made, in its current state, with replayed true; with other
// content → ECONFLICT naming the ID. Either way nothing is stored.
func (db *DB) SubmitDigital(ctx context.Context, orgID string, sub *inkform.DigitalSubmission) (*inkform.Document, bool, error) {
	if sub == nil {
		return nil, false, inkform.Errorf(inkform.EINVALID, "no submission")
	}
	if err := checkSubmissionID(sub.SubmissionID); err != nil {
		return nil, false, err
	}
	var fingerprint string
	if sub.SubmissionID != "" {
		var err error
		if fingerprint, err = digitalFingerprint(sub); err != nil {
			return nil, false, err
		}
	}
	var (
		doc       *inkform.Document
		replayed  bool
		delivered bool
	)
	err := db.inWrite(ctx, func(tx querier) error {
		if sub.SubmissionID != "" {
			res, err := db.replay(ctx, tx, orgID, sub.SubmissionID, fingerprint)
			if err == nil {
				replayed = true
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
		fields, err := form.DigitalFields(sub)
		if err != nil {
			return err
		}
		pages := form.DigitalInk(sub)
		now := db.now()
		docID := inkform.NewID()
		fieldsJSON, err := json.Marshal(fields)
		if err != nil {
			return fmt.Errorf("encode fields: %w", err)
		}
		docPages := make([]inkform.DocumentPage, len(pages))
		for i, p := range pages {
			docPages[i] = inkform.DocumentPage{Number: p.Number, Address: p.Ink.Address, Strokes: len(p.Ink.Strokes)}
		}
		pagesJSON, _ := json.Marshal(docPages)
		if _, err := db.insertDocument(ctx, tx, orgID, docID, form.ID, form.Version, "", "", string(pagesJSON), string(fieldsJSON), now, "digital"); err != nil {
			return err
		}
		if len(pages) > 0 {
			inkPages := make([]inkform.PageInk, len(pages))
			for i, p := range pages {
				inkPages[i] = p.Ink
			}
			if err := db.insertInk(ctx, tx, orgID, docID, sub.SubmissionID, now, inkPages, nil); err != nil {
				return err
			}
		}
		if err := db.enqueueTx(ctx, tx, orgID, inkform.InterpretArgs{DocumentID: docID}); err != nil {
			return err
		}
		if sub.SubmissionID != "" {
			res := &inkform.CaptureResult{Documents: []inkform.CapturedDocument{{ID: docID, Form: form.ID, Pages: numbersOf(docPages)}}}
			claimed, err := db.claimSubmission(ctx, tx, orgID, sub.SubmissionID, fingerprint, res, now)
			if err != nil {
				return err
			} else if !claimed {
				return errDuplicateSubmission // rolled back; replayed below
			}
		}
		if doc, err = db.findDocument(ctx, tx, orgID, docID); err != nil {
			return err
		}
		delivered, err = db.enqueueDeliveries(ctx, tx, doc, inkform.EventDocumentReceived, false, nil)
		return err
	})
	if errors.Is(err, errDuplicateSubmission) {
		// A concurrent submission with the same ID committed first.
		res, err := db.replay(ctx, db.writer(), orgID, sub.SubmissionID, fingerprint)
		if err != nil {
			return nil, false, fmt.Errorf("submit digital: %w", err)
		}
		doc, err := db.replayedDocument(ctx, db.writer(), orgID, res)
		return doc, err == nil, err
	} else if err != nil {
		return nil, false, err
	}
	if !replayed {
		db.notifyEnqueued(inkform.QueueInterpret)
		if delivered {
			db.notifyEnqueued(inkform.QueueDeliver)
		}
	}
	return doc, replayed, nil
}

// replayedDocument returns the document a stored result names. Only a
// result stored before fingerprints can name several documents here: an
// ink submission's ID reused for a digital one has a fingerprint of the
// other kind and is refused by replay.
func (db *DB) replayedDocument(ctx context.Context, q querier, orgID string, res *inkform.CaptureResult) (*inkform.Document, error) {
	if len(res.Documents) != 1 {
		return nil, inkform.Errorf(inkform.ECONFLICT, "the submission ID was used for an ink submission")
	}
	return db.findDocument(ctx, q, orgID, res.Documents[0].ID)
}

func numbersOf(pages []inkform.DocumentPage) []int {
	out := make([]int, len(pages))
	for i, p := range pages {
		out[i] = p.Number
	}
	return out
}
