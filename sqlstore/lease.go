package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/inkform/inkform"
)

var _ inkform.LeaseStore = (*DB)(nil)

// leaseBatch is how many waiting documents a lease reads at a time: a few
// more than it wants, since some are held or typed by the user already.
const leaseBatch = 32

// A lease is one row per document in document_leases. Every take is a
// conditional write on that row (an UPDATE of a lease that expired or is
// the user's own, else an INSERT that skips an existing row), then a read
// of the row: both writes wait for a concurrent writer of the row to
// finish, so whoever's write committed first holds it, on every engine
// and across nodes, and a lost race moves on to the next document. The
// read takes no lock: upgrading the shared lock InnoDB's skipped insert
// holds to an exclusive one deadlocks two takers. Documents are taken in
// ID order, so takers of several never wait on each other in a circle;
// InnoDB may still pick a victim now and then, which retryConflicts runs
// again. Rows of documents that no longer wait are ignored and purged
// with their document.

// take tries to lease one document to userID and reports whether it did.
func (db *DB) take(ctx context.Context, tx querier, orgID, formID, docID, userID string, expiresAt, now time.Time) (bool, error) {
	if _, err := tx.exec(ctx, `UPDATE document_leases SET user_id = ?, expires_at = ?
		WHERE document_id = ? AND org_id = ? AND (expires_at <= ? OR user_id = ?)`,
		userID, micros(expiresAt), docID, orgID, micros(now), userID); err != nil {
		return false, fmt.Errorf("update lease: %w", err)
	}
	if _, err := tx.exec(ctx, db.d.insertIgnore(`INSERT INTO document_leases
		(document_id, org_id, form_id, user_id, expires_at) VALUES (?, ?, ?, ?, ?)`),
		docID, orgID, formID, userID, micros(expiresAt)); err != nil {
		return false, fmt.Errorf("insert lease: %w", err)
	}
	var holder string
	var until int64
	if err := tx.queryRow(ctx, `SELECT user_id, expires_at FROM document_leases WHERE document_id = ?`,
		docID).Scan(&holder, &until); err != nil {
		return false, fmt.Errorf("read lease: %w", err)
	}
	return holder == userID && until == micros(expiresAt), nil
}

// takeWaiting leases up to limit of the form's waiting documents to userID,
// oldest first, renewing the user's own live leases among them and passing
// over documents whose double entry the user typed and that wait for
// someone else.
func (db *DB) takeWaiting(ctx context.Context, tx querier, orgID, formID, userID string, limit int, expiresAt time.Time) ([]inkform.Lease, error) {
	now := db.now()
	out := []inkform.Lease{}
	after := ""
	for len(out) < limit {
		ids, err := db.freeWaiting(ctx, tx, orgID, formID, userID, after, now)
		if err != nil || len(ids) == 0 {
			return out, err
		}
		after = ids[len(ids)-1]
		typed, err := db.typedPending(ctx, tx, orgID, userID, ids)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if len(out) == limit {
				break
			}
			if typed[id] {
				continue
			}
			ok, err := db.take(ctx, tx, orgID, formID, id, userID, expiresAt, now)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, inkform.Lease{DocumentID: id, UserID: userID, ExpiresAt: fromMicros(micros(expiresAt))})
			}
		}
	}
	return out, nil
}

// waitingStatus is the condition on the status of documents that wait
// for verification, written as migration 00020's partial index
// documents_waiting names it: a database uses a partial index only where
// the query states the index's condition, and a bound parameter would not.
// Queries put their table's alias before it.
const waitingStatus = "status = '" + string(inkform.StatusNeedsVerification) + "'"

// freeWaitingQuery lists a batch of a form's waiting documents after a
// cursor whose lease, if any, has expired or is the user's.
const freeWaitingQuery = `SELECT d.id FROM documents d
	LEFT JOIN document_leases l ON l.document_id = d.id
	WHERE d.org_id = ? AND d.form_id = ? AND d.` + waitingStatus + ` AND d.id > ?
	AND (l.document_id IS NULL OR l.expires_at <= ? OR l.user_id = ?)
	ORDER BY d.id LIMIT ?`

// freeWaiting returns the IDs of a batch of the form's waiting documents
// after the cursor that nobody but userID holds a live lease on, oldest
// first.
func (db *DB) freeWaiting(ctx context.Context, tx querier, orgID, formID, userID, after string, now time.Time) ([]string, error) {
	rows, err := tx.query(ctx, freeWaitingQuery, orgID, formID, after, micros(now), userID, leaseBatch)
	if err != nil {
		return nil, fmt.Errorf("list waiting documents: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list waiting documents: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// typedPending returns which of the documents have a double entry userID
// typed that waits for another person (a second entry or a decision).
func (db *DB) typedPending(ctx context.Context, q querier, orgID, userID string, ids []string) (map[string]bool, error) {
	args := []any{orgID, orgID, userID}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := q.query(ctx, entryColumns+`WHERE org_id = ? AND document_id IN (SELECT document_id FROM double_entries WHERE org_id = ? AND user_id = ?
		AND document_id IN (`+placeholders(len(ids))+`)) ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list entries: %w", err)
	}
	defer rows.Close()
	byDoc := map[string][]inkform.Entry{}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		byDoc[e.DocumentID] = append(byDoc[e.DocumentID], e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list entries: %w", err)
	}
	typed := map[string]bool{}
	for id, entries := range byDoc {
		states := inkform.EntryStates(entries)
		for _, e := range entries {
			if e.UserID == userID && !states[e.Field].State.Settled() {
				typed[id] = true
			}
		}
	}
	return typed, nil
}

// LeaseNext implements inkform.LeaseStore.
func (db *DB) LeaseNext(ctx context.Context, orgID, formID, userID string, expiresAt time.Time) (*inkform.Lease, error) {
	var out *inkform.Lease
	err := db.retryConflicts(ctx, func() error {
		return db.inWrite(ctx, func(tx querier) error {
			var own string
			err := tx.queryRow(ctx, `SELECT l.document_id FROM document_leases l JOIN documents d ON d.id = l.document_id
			WHERE l.org_id = ? AND l.form_id = ? AND l.user_id = ? AND l.expires_at > ? AND d.status = ?
			ORDER BY l.document_id LIMIT 1`,
				orgID, formID, userID, micros(db.now()), string(inkform.StatusNeedsVerification)).Scan(&own)
			switch {
			case err == nil:
				if _, err := tx.exec(ctx, `UPDATE document_leases SET expires_at = ? WHERE document_id = ? AND user_id = ?`,
					micros(expiresAt), own, userID); err != nil {
					return fmt.Errorf("renew lease: %w", err)
				}
				out = &inkform.Lease{DocumentID: own, UserID: userID, ExpiresAt: fromMicros(micros(expiresAt))}
				return nil
			case !errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("find own lease: %w", err)
			}
			got, err := db.takeWaiting(ctx, tx, orgID, formID, userID, 1, expiresAt)
			if err != nil {
				return err
			}
			if len(got) == 0 {
				return inkform.Errorf(inkform.ENOTFOUND, "no document to verify")
			}
			out = &got[0]
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("lease next: %w", err)
	}
	return out, nil
}

// LeaseGroup implements inkform.LeaseStore.
func (db *DB) LeaseGroup(ctx context.Context, orgID, formID, userID string, limit int, expiresAt time.Time) ([]inkform.Lease, error) {
	if limit < 1 || limit > inkform.MaxGroupSize {
		return nil, inkform.Errorf(inkform.EINVALID, "a group has 1 to %d documents, not %d", inkform.MaxGroupSize, limit)
	}
	var out []inkform.Lease
	err := db.retryConflicts(ctx, func() error {
		return db.inWrite(ctx, func(tx querier) error {
			var err error
			out, err = db.takeWaiting(ctx, tx, orgID, formID, userID, limit, expiresAt)
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("lease group: %w", err)
	}
	return out, nil
}

// LeaseDocument implements inkform.LeaseStore.
func (db *DB) LeaseDocument(ctx context.Context, orgID, docID, userID string, expiresAt time.Time) (*inkform.Lease, error) {
	err := db.retryConflicts(ctx, func() error {
		return db.inWrite(ctx, func(tx querier) error {
			var formID, status string
			if err := tx.queryRow(ctx, `SELECT form_id, status FROM documents WHERE org_id = ? AND id = ?`,
				orgID, docID).Scan(&formID, &status); err != nil {
				return notFound(err, "document")
			}
			if status != string(inkform.StatusNeedsVerification) {
				return inkform.Errorf(inkform.EUNPROCESSABLE, "the document does not need verification (it is %s)", status)
			}
			ok, err := db.take(ctx, tx, orgID, formID, docID, userID, expiresAt, db.now())
			if err == nil && !ok {
				err = inkform.Errorf(inkform.ECONFLICT, "someone else is verifying this document")
			}
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("lease document: %w", err)
	}
	return &inkform.Lease{DocumentID: docID, UserID: userID, ExpiresAt: fromMicros(micros(expiresAt))}, nil
}

// RenewLease implements inkform.LeaseStore.
func (db *DB) RenewLease(ctx context.Context, orgID, docID, userID string, expiresAt time.Time) error {
	err := db.inWrite(ctx, func(tx querier) error {
		var until int64
		err := tx.queryRow(ctx, `SELECT expires_at FROM document_leases
			WHERE org_id = ? AND document_id = ? AND user_id = ?`+db.d.forUpdate(), orgID, docID, userID).Scan(&until)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && until <= micros(db.now())) {
			return inkform.Errorf(inkform.ECONFLICT, "the lease is gone")
		}
		if err != nil {
			return fmt.Errorf("find lease: %w", err)
		}
		_, err = tx.exec(ctx, `UPDATE document_leases SET expires_at = ? WHERE document_id = ? AND user_id = ?`,
			micros(expiresAt), docID, userID)
		return err
	})
	if err != nil {
		return fmt.Errorf("renew lease: %w", err)
	}
	return nil
}

// ReleaseLease implements inkform.LeaseStore.
func (db *DB) ReleaseLease(ctx context.Context, orgID, docID, userID string) error {
	if _, err := db.writer().exec(ctx, `DELETE FROM document_leases WHERE org_id = ? AND document_id = ? AND user_id = ?`,
		orgID, docID, userID); err != nil {
		return fmt.Errorf("release lease: %w", err)
	}
	return nil
}

// FlagDocument implements inkform.LeaseStore.
func (db *DB) FlagDocument(ctx context.Context, orgID, docID, userID, reason string) error {
	err := db.inWrite(ctx, func(tx querier) error {
		d, err := db.lockDocument(ctx, tx, orgID, docID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO status_changes
			(document_id, org_id, from_status, to_status, cause, changed_at) VALUES (?, ?, ?, ?, ?, ?)`,
			docID, orgID, string(d.Status), string(d.Status), "flagged by "+userID+": "+reason, micros(db.now())); err != nil {
			return fmt.Errorf("insert status change: %w", err)
		}
		_, err = tx.exec(ctx, `DELETE FROM document_leases WHERE org_id = ? AND document_id = ? AND user_id = ?`, orgID, docID, userID)
		return err
	})
	if err != nil {
		return fmt.Errorf("flag document: %w", err)
	}
	return nil
}
