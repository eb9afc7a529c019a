package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// insertDocument inserts a new document in status received together with
// its first status change. A document for a printed copy is inserted only
// if the copy has none (false then, and nothing is written): on PostgreSQL
// and MySQL that waits for a concurrent insert for the same copy.
func (db *DB) insertDocument(ctx context.Context, tx querier, orgID, docID, formID string, formVersion int,
	copyID, penID, pages, fields string, now time.Time, cause string) (bool, error) {
	insert := `INSERT INTO documents
		(id, org_id, form_id, form_version, copy_id, status, pen_id, pages, fields, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	var copyArg any
	if copyID != "" {
		copyArg = copyID
		insert = db.d.insertIgnore(insert)
	}
	res, err := tx.exec(ctx, insert,
		docID, orgID, formID, formVersion, copyArg, string(inkform.StatusReceived), penID, pages, fields, micros(now), micros(now))
	if err != nil {
		return false, fmt.Errorf("insert document: %w", err)
	}
	if copyID != "" {
		if n, err := res.RowsAffected(); err != nil {
			return false, fmt.Errorf("insert document: %w", err)
		} else if n == 0 {
			return false, nil
		}
	}
	_, err = tx.exec(ctx, `INSERT INTO status_changes (document_id, org_id, from_status, to_status, cause, changed_at)
		VALUES (?, ?, '', ?, ?, ?)`, docID, orgID, string(inkform.StatusReceived), cause, micros(now))
	if err != nil {
		return false, fmt.Errorf("insert status change: %w", err)
	}
	return true, nil
}

// insertInk stores the pages of one submission for one document as one ink
// row in the ink package's compact encoding; encoded is that encoding when
// the caller has it already, else nil.
func (db *DB) insertInk(ctx context.Context, tx querier, orgID, docID, submissionID string, received time.Time,
	pages []inkform.PageInk, encoded []byte) error {
	if encoded == nil {
		encoded = ink.Encode(pages)
	}
	points := 0
	for i := range pages {
		points += pages[i].Points()
	}
	_, err := tx.exec(ctx, `INSERT INTO ink (id, org_id, document_id, submission_id, received_at, points, data)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, inkform.NewID(), orgID, docID, submissionID, micros(received), points, encoded)
	if err != nil {
		return fmt.Errorf("insert ink: %w", err)
	}
	return nil
}

// replay returns the result stored for a submission ID, marked as
// replayed, when fingerprint matches the one stored with it (a row stored
// before fingerprints has none and matches any); ECONFLICT naming the ID
// when it was used for a different submission; sql.ErrNoRows when the ID
// is new.
func (db *DB) replay(ctx context.Context, q querier, orgID, submissionID, fingerprint string) (*inkform.CaptureResult, error) {
	var raw string
	var stored sql.NullString
	var created int64
	err := q.queryRow(ctx, "SELECT result, fingerprint, created_at FROM submissions WHERE org_id = ? AND submission_id = ?",
		orgID, submissionID).Scan(&raw, &stored, &created)
	if err != nil {
		return nil, err
	}
	if stored.Valid && stored.String != fingerprint {
		return nil, inkform.Errorf(inkform.ECONFLICT,
			"the Idempotency-Key/submissionId %q was used for a different submission at %s; use a new key for new content",
			submissionID, fromMicros(created).Format(time.RFC3339))
	}
	var res inkform.CaptureResult
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		return nil, fmt.Errorf("decode stored result of submission %q: %w", submissionID, err)
	}
	res.Replayed = true
	return &res, nil
}

// claimSubmission records a submission ID with the fingerprint of its
// content (fingerprint.go) and its result (nil: stored later by
// storeResult); false when the ID is taken. On PostgreSQL and MySQL it
// waits for a concurrent claim of the same ID to commit or roll back.
func (db *DB) claimSubmission(ctx context.Context, tx querier, orgID, submissionID, fingerprint string, res *inkform.CaptureResult, now time.Time) (bool, error) {
	var raw []byte
	if res != nil {
		var err error
		if raw, err = json.Marshal(res); err != nil {
			return false, fmt.Errorf("encode result: %w", err)
		}
	}
	r, err := tx.exec(ctx, db.d.insertIgnore(
		"INSERT INTO submissions (org_id, submission_id, result, fingerprint, created_at) VALUES (?, ?, ?, ?, ?)"),
		orgID, submissionID, string(raw), fingerprint, micros(now))
	if err != nil {
		return false, fmt.Errorf("claim submission: %w", err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim submission: %w", err)
	}
	return n == 1, nil
}

// storeResult sets the result of a claimed submission ID.
func (db *DB) storeResult(ctx context.Context, tx querier, orgID, submissionID string, res *inkform.CaptureResult) error {
	raw, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	_, err = tx.exec(ctx, "UPDATE submissions SET result = ? WHERE org_id = ? AND submission_id = ?",
		string(raw), orgID, submissionID)
	if err != nil {
		return fmt.Errorf("store result: %w", err)
	}
	return nil
}

// maxContentTypeLength is the size of quarantine.content_type.
const maxContentTypeLength = 200

// insertQuarantine keeps a submission whose addresses no form has, with its
// raw body, and returns the entry's ID.
func (db *DB) insertQuarantine(ctx context.Context, tx querier, orgID string, sub *inkform.InkSubmission, qe *quarantineError) (string, error) {
	id := inkform.NewID()
	addrs, _ := json.Marshal(qe.addrs)
	received := sub.ReceivedAt.UTC()
	if received.IsZero() {
		received = db.now()
	}
	body := sub.Raw
	if body == nil {
		// No raw body (a caller that parsed it elsewhere): keep the ink in
		// the storage encoding so nothing is lost.
		body = ink.Encode(sub.Pages)
	}
	contentType := sub.ContentType
	if len(contentType) > maxContentTypeLength {
		// The column is bounded (MySQL); the body is what matters.
		contentType = contentType[:maxContentTypeLength]
	}
	_, err := tx.exec(ctx, `INSERT INTO quarantine
		(id, org_id, pen_id, submission_id, addresses, reason, content_type, body, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, orgID, sub.PenID, sub.SubmissionID, string(addrs), qe.reason, contentType, body, micros(received))
	if err != nil {
		return "", fmt.Errorf("quarantine submission: %w", err)
	}
	return id, nil
}
