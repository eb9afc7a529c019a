package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/inkform/inkform"
)

const quarantineColumns = `SELECT id, org_id, pen_id, submission_id, addresses, reason, content_type, received_at`

// ListQuarantine lists an org's quarantined submissions, oldest first,
// without their bodies.
func (db *DB) ListQuarantine(ctx context.Context, orgID string) ([]*inkform.QuarantinedSubmission, error) {
	rows, err := db.reader(ctx).query(ctx, quarantineColumns+`, LENGTH(body) FROM quarantine WHERE org_id = ? ORDER BY id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("list quarantine: %w", err)
	}
	defer rows.Close()
	out := []*inkform.QuarantinedSubmission{}
	for rows.Next() {
		q, err := scanQuarantined(rows, nil)
		if err != nil {
			return nil, fmt.Errorf("list quarantine: %w", err)
		}
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list quarantine: %w", err)
	}
	return out, nil
}

func scanQuarantined(s scanner, body *[]byte) (*inkform.QuarantinedSubmission, error) {
	var q inkform.QuarantinedSubmission
	var addrs string
	var received int64
	dest := []any{&q.ID, &q.OrgID, &q.PenID, &q.SubmissionID, &addrs, &q.Reason, &q.ContentType, &received}
	if body != nil {
		dest = append(dest, body)
	} else {
		dest = append(dest, &q.Size)
	}
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(addrs), &q.Addresses); err != nil {
		return nil, fmt.Errorf("decode addresses of quarantined %s: %w", q.ID, err)
	}
	if body != nil {
		q.Size = len(*body)
	}
	q.ReceivedAt = fromMicros(received)
	return &q, nil
}

// FindQuarantined returns an entry and its raw body.
func (db *DB) FindQuarantined(ctx context.Context, orgID, id string) (*inkform.QuarantinedSubmission, []byte, error) {
	var body []byte
	q, err := scanQuarantined(db.reader(ctx).queryRow(ctx, quarantineColumns+`, body FROM quarantine
		WHERE org_id = ? AND id = ?`, orgID, id), &body)
	if err != nil {
		return nil, nil, notFound(err, "quarantined submission")
	}
	return q, body, nil
}

// ReprocessQuarantined captures sub (the entry's body parsed again) and
// deletes the entry in the same transaction. It goes through the capture
// batcher like any submission; an address still unknown leaves the entry
// in place and returns EUNPROCESSABLE.
func (db *DB) ReprocessQuarantined(ctx context.Context, orgID, id string, sub *inkform.InkSubmission) (*inkform.CaptureResult, error) {
	if err := checkSubmission(sub); err != nil {
		return nil, err
	}
	return db.batcher.submit(ctx, newCaptureReq(ctx, orgID, sub, id))
}

// DeleteQuarantined drops an entry without processing it.
func (db *DB) DeleteQuarantined(ctx context.Context, orgID, id string) error {
	res, err := db.writer().exec(ctx, "DELETE FROM quarantine WHERE org_id = ? AND id = ?", orgID, id)
	if err != nil {
		return fmt.Errorf("delete quarantined: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete quarantined: %w", err)
	} else if n == 0 {
		return inkform.Errorf(inkform.ENOTFOUND, "quarantined submission not found")
	}
	return nil
}
