package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/inkform/inkform"
)

// pending holds the rows a capture batch inserts at its end. A submission
// of copied pattern writes a document, its status change, an ink row and a
// job: inserting those one statement at a time costs four round trips per
// submission on PostgreSQL and MySQL, while a batch of 64 needs four
// multi-row statements in all. Only rows that later statements of the batch
// never look up are deferred: a copy's first document is inserted at once.
type pending struct {
	docs    [][]any
	changes [][]any
	inks    [][]any
	jobRows [][]any
	jobs    map[string]bool // documents whose interpret job is pending
	// subscriptions caches each form's subscriptions for the batch (key org/form),
	// so many new documents of one form cost one query.
	handlers map[string][]*inkform.Subscription
	// deliveries counts the deliver jobs among jobRows.
	deliveries int
}

func newPending() *pending {
	return &pending{jobs: map[string]bool{}, handlers: map[string][]*inkform.Subscription{}}
}

// document adds a new document of copied pattern and its first status change.
func (p *pending) document(orgID, docID, formID string, formVersion int, penID, pages string, now time.Time) {
	p.docs = append(p.docs, []any{docID, orgID, formID, formVersion, nil, string(inkform.StatusReceived),
		penID, pages, "{}", micros(now), micros(now)})
	p.changes = append(p.changes, []any{docID, orgID, "", string(inkform.StatusReceived), "capture", micros(now)})
}

// ink adds an ink row holding pages in the ink package's encoding.
func (p *pending) ink(orgID, docID, submissionID string, received time.Time, pages []inkform.PageInk, encoded []byte) {
	points := 0
	for i := range pages {
		points += pages[i].Points()
	}
	p.inks = append(p.inks, []any{inkform.NewID(), orgID, docID, submissionID, micros(received), points, encoded})
}

// job adds the interpret job of a document created in this batch. No job
// can name the document yet, so there is no unique check to make.
func (p *pending) job(orgID, docID string, now time.Time) error {
	if err := p.addJob(orgID, inkform.InterpretArgs{DocumentID: docID}, now); err != nil {
		return err
	}
	p.jobs[docID] = true
	return nil
}

// addJob adds a job of args with the options they carry.
func (p *pending) addJob(orgID string, args inkform.JobArgs, now time.Time) error {
	row, err := jobRow(orgID, args, jobOptions(args, inkform.EnqueueOpts{}, now), now)
	if err != nil {
		return err
	}
	p.jobRows = append(p.jobRows, row)
	return nil
}

// received adds, for a document created in this batch, a delivery of
// document.received to each subscription of its form that takes it. A new
// document has no values yet, so a subscription's conditions see none.
func (db *DB) received(ctx context.Context, q querier, p *pending, orgID, docID, formID string, now time.Time) error {
	key := orgID + "/" + formID
	hs, ok := p.handlers[key]
	if !ok {
		var err error
		if hs, err = db.formSubscriptions(ctx, q, orgID, formID); err != nil {
			return err
		}
		p.handlers[key] = hs
	}
	for _, d := range inkform.Deliveries(hs, inkform.EventDocumentReceived, docID, nil, now, nil) {
		if err := p.addJob(orgID, d, now); err != nil {
			return err
		}
		p.deliveries++
	}
	return nil
}

// flush inserts the pending rows.
func (db *DB) flush(ctx context.Context, q querier, p *pending) error {
	for _, t := range []struct {
		prefix string
		rows   [][]any
	}{
		{`INSERT INTO documents (id, org_id, form_id, form_version, copy_id, status, pen_id, pages, fields, created_at, updated_at) VALUES `, p.docs},
		{`INSERT INTO status_changes (document_id, org_id, from_status, to_status, cause, changed_at) VALUES `, p.changes},
		{`INSERT INTO ink (id, org_id, document_id, submission_id, received_at, points, data) VALUES `, p.inks},
		{`INSERT INTO jobs (` + jobInsertColumns + `) VALUES `, p.jobRows},
	} {
		if err := db.insertRows(ctx, q, t.prefix, t.rows); err != nil {
			return fmt.Errorf("insert captured rows: %w", err)
		}
	}
	notified := map[string]bool{}
	for _, row := range p.jobRows {
		// The org and the queue are the first two of jobInsertColumns, the
		// limit key (nil for none) the last.
		queue := row[1].(string)
		db.orgLists.enqueued(queue, row[0].(string))
		key, _ := row[len(row)-1].(string)
		db.keyLists.enqueued(queue, key)
		if !notified[queue] {
			notified[queue] = true
			if err := db.notifyTx(ctx, q, queue); err != nil {
				return err
			}
		}
	}
	return nil
}
