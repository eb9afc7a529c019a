package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

var _ inkform.DocumentFeed = (*DB)(nil)

// The validated-documents feed of a form must be exact: a client that keeps
// its cursor must never miss a document validated later. Positions from an
// auto-increment column or a sequence are not enough on PostgreSQL and
// MySQL, which hand numbers out before commit: a transaction holding 7 may
// commit after one holding 8 was read, and the reader, now past 8, would
// never see 7.
//
// So every form has a counter row in form_feeds, and the transaction that
// validates a document increments it (UPDATE … SET seq = seq + 1) and gives
// the document the new value. The UPDATE locks the row until that
// transaction ends, so the next validation of the same form waits at its
// own UPDATE and then counts on from the committed value: positions of a
// form are handed out in commit order, one transaction at a time.
//
//   - PostgreSQL: a transaction leaves the set of running transactions
//     (which decides what snapshots see) before it releases its row locks,
//     so any snapshot that sees position n+1 also sees n. One SELECT is one
//     snapshot (READ COMMITTED), hence the feed is read with one statement.
//   - MySQL/MariaDB (InnoDB): likewise a transaction is committed in memory
//     (and so part of every later read view) before its locks are released.
//   - SQLite: one writer at a time; the counter is exact without the lock.
//
// A replica replays commits in commit order, so reading the feed there is
// exact too, only later. The price is that validations of one form commit
// one after the other: the counter is per form so that forms do not queue
// behind each other, and writeDocumentAt takes it in the transaction's last
// statements (the counter, then the document's row, then the commit), so
// that the next validation waits for as few round trips as can be. Taken
// earlier, before the status change, the deliveries and the render were
// written, it kept validations of one form waiting 3.6 ms each on
// PostgreSQL under load (pg_stat_statements, issue 13).

// createFeed makes the counter row of a new form.
func (db *DB) createFeed(ctx context.Context, tx querier, formID string) error {
	if _, err := tx.exec(ctx, db.d.insertIgnore(`INSERT INTO form_feeds (form_id, seq) VALUES (?, 0)`), formID); err != nil {
		return fmt.Errorf("create feed: %w", err)
	}
	return nil
}

// nextFeedSeq takes the next position of a form's feed, locking its counter
// until tx ends.
func (db *DB) nextFeedSeq(ctx context.Context, tx querier, formID string) (int64, error) {
	for try := 0; ; try++ {
		var seq int64
		var err error
		if db.d.updateReturning() {
			err = tx.queryRow(ctx, `UPDATE form_feeds SET seq = seq + 1 WHERE form_id = ? RETURNING seq`, formID).Scan(&seq)
		} else {
			var res sql.Result
			if res, err = tx.exec(ctx, `UPDATE form_feeds SET seq = seq + 1 WHERE form_id = ?`, formID); err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					err = sql.ErrNoRows
				} else {
					// Our own uncommitted row, which we hold locked.
					err = tx.queryRow(ctx, `SELECT seq FROM form_feeds WHERE form_id = ?`, formID).Scan(&seq)
				}
			}
		}
		switch {
		case err == nil:
			return seq, nil
		case err != sql.ErrNoRows || try > 0:
			return 0, fmt.Errorf("next feed position: %w", err)
		}
		// Forms made before the migration have their row from it, and
		// CreateForm makes one; this is for a form that somehow has none.
		if err := db.createFeed(ctx, tx, formID); err != nil {
			return 0, err
		}
	}
}

// feedQuery reads a form's feed after a position. The documents_feed
// index holds only documents in the feed (feed_seq set, migration 00019);
// "feed_seq > ?" tells SQLite it may use it.
func feedQuery() string {
	return "SELECT feed_seq, " + strings.TrimPrefix(documentColumns, "SELECT ") +
		"WHERE org_id = ? AND form_id = ? AND feed_seq > ? ORDER BY feed_seq LIMIT ?"
}

// ValidatedFeed implements inkform.DocumentFeed. The cursor is the feed
// position of the last document a client received, in decimal; clients are
// told it is opaque so that it can change.
func (db *DB) ValidatedFeed(ctx context.Context, orgID, formID, after string, limit int) (*inkform.FeedPage, error) {
	pos, err := parseFeedCursor(after)
	if err != nil {
		return nil, err
	}
	var one int
	if err := db.reader(ctx).queryRow(ctx, `SELECT 1 FROM forms WHERE org_id = ? AND id = ?`, orgID, formID).Scan(&one); err != nil {
		return nil, notFound(err, "form")
	}
	rows, err := db.reader(ctx).query(ctx, feedQuery(), orgID, formID, pos, inkform.ListLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("read feed: %w", err)
	}
	defer rows.Close()
	page := &inkform.FeedPage{Documents: []*inkform.Document{}, Next: after}
	for rows.Next() {
		var seq int64
		d, err := scanDocument(seqScanner{rows, &seq})
		if err != nil {
			return nil, fmt.Errorf("read feed: %w", err)
		}
		page.Documents = append(page.Documents, d)
		page.Next = strconv.FormatInt(seq, 10)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read feed: %w", err)
	}
	return page, nil
}

// parseFeedCursor reads a cursor ValidatedFeed handed out; "" is the start.
func parseFeedCursor(after string) (int64, error) {
	if after == "" {
		return 0, nil
	}
	bad := len(after) > 19
	for _, c := range after {
		bad = bad || c < '0' || c > '9'
	}
	n, err := strconv.ParseInt(after, 10, 64)
	if bad || err != nil {
		return 0, inkform.Errorf(inkform.EINVALID, "the feed cursor %q is not one the feed handed out", feedCursorShown(after))
	}
	return n, nil
}

// feedCursorShown keeps an echoed cursor readable in a message.
func feedCursorShown(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// seqScanner scans a feed row: the position first, then the columns
// scanDocument reads.
type seqScanner struct {
	rows *sql.Rows
	seq  *int64
}

func (s seqScanner) Scan(dest ...any) error {
	return s.rows.Scan(append([]any{s.seq}, dest...)...)
}
