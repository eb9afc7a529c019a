package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/ink"
)

// CaptureInk stores one ink submission durably: it returns after the
// transaction holding the documents, the ink and the interpret jobs has
// committed. Submissions are group-committed (see batch.go).
func (db *DB) CaptureInk(ctx context.Context, orgID string, sub *inkform.InkSubmission) (*inkform.CaptureResult, error) {
	if err := checkSubmission(sub); err != nil {
		return nil, err
	}
	return db.batcher.submit(ctx, newCaptureReq(ctx, orgID, sub, ""))
}

// newCaptureReq makes the request for a submission (and the quarantine
// entry it reprocesses, "" for none). Encoding costs about a fifth of a
// capture's CPU, and the fingerprint hashes the encoding; doing both here,
// on the caller's goroutine, keeps them off the single SQLite writer.
func newCaptureReq(ctx context.Context, orgID string, sub *inkform.InkSubmission, reprocess string) *captureReq {
	r := &captureReq{ctx: ctx, orgID: orgID, sub: sub, reprocess: reprocess, encoded: ink.Encode(sub.Pages)}
	if sub.SubmissionID != "" {
		r.fingerprint = inkFingerprint(sub.PenID, r.encoded)
	}
	return r
}

func checkSubmission(sub *inkform.InkSubmission) error {
	switch {
	case sub == nil || len(sub.Pages) == 0:
		return inkform.Errorf(inkform.EINVALID, "the submission holds no ink")
	case len(sub.Pages) > inkform.DefaultMaxPagesPerSubmit:
		return inkform.Errorf(inkform.ETOOLARGE, "the submission has %d pages; at most %d are allowed", len(sub.Pages), inkform.DefaultMaxPagesPerSubmit)
	case len(sub.PenID) > inkform.MaxPenIDLength:
		return inkform.Errorf(inkform.EINVALID, "the pen ID is longer than %d bytes", inkform.MaxPenIDLength)
	}
	return checkSubmissionID(sub.SubmissionID)
}

// checkSubmissionID applies the rules of a client's identifiers to a
// submission ID ("" is none). The parsers and the HTTP layer check it
// already; the store checks again because a byte PostgreSQL cannot store
// as text would otherwise be a 500.
func checkSubmissionID(id string) error {
	if id == "" {
		return nil
	}
	if msg := inkform.ClientIDProblem("submission ID", id, inkform.MaxSubmissionIDLength); msg != "" {
		return inkform.Errorf(inkform.EINVALID, "%s", msg)
	}
	return nil
}

// quarantineError says the submission names addresses no form has; the
// batch runner keeps it in quarantine instead of failing it.
type quarantineError struct {
	addrs  []string
	reason string
}

func (e *quarantineError) Error() string { return e.reason }

// errDuplicateSubmission says that a submission ID was claimed by a
// transaction that committed first (SubmitDigital rolls back and replays).
var errDuplicateSubmission = errors.New("duplicate submission")

// captureTx stores one submission inside tx, or replays the result stored
// for its submission ID. Every expected failure (an unknown address, an
// unknown quarantine entry) is found before the first write and comes back as an *inkform.Error or a
// quarantineError with the transaction untouched. Any other error may
// leave part of the submission written, and the batch runner then rolls
// the whole batch back (see batch.go).
func (db *DB) captureTx(ctx context.Context, tx querier, r *captureReq, p *pending) (*inkform.CaptureResult, error) {
	sub, orgID := r.sub, r.orgID
	if r.reprocess != "" {
		var id string
		err := tx.queryRow(ctx, "SELECT id FROM quarantine WHERE org_id = ? AND id = ?"+db.d.forUpdate(),
			orgID, r.reprocess).Scan(&id)
		if err != nil {
			return nil, notFound(err, "quarantined submission")
		}
	}
	refs, err := db.resolvePages(ctx, tx, orgID, sub.Pages)
	var qe *quarantineError
	if errors.As(err, &qe) && sub.SubmissionID != "" {
		// A resubmission is answered as before even when its address has
		// since been freed; the same ID with other content is a conflict.
		res, rerr := db.replay(ctx, tx, orgID, sub.SubmissionID, r.fingerprint)
		if rerr == nil {
			return res, db.deleteQuarantined(ctx, tx, orgID, r.reprocess)
		} else if inkform.ErrorCode(rerr) == inkform.ECONFLICT {
			return nil, rerr
		}
	}
	if err != nil {
		return nil, err
	}
	now := db.now()
	received := sub.ReceivedAt.UTC()
	if received.IsZero() {
		received = now
	}
	groups := groupPages(sub.Pages, refs)
	// Find each group's document before writing anything: the claim below
	// stores the result, and a replay must leave the transaction untouched.
	for _, g := range groups {
		if g.copyID == "" {
			g.docID, g.isNew = inkform.NewID(), true
			continue
		}
		found, err := db.findCopyDocument(ctx, tx, orgID, g)
		if err != nil {
			return nil, err
		} else if !found {
			g.docID, g.isNew = inkform.NewID(), true
		}
	}
	if len(groups) == 1 {
		// The usual case: all pages go to one document, so the encoding
		// the caller made off the writer's path fits.
		groups[0].encoded = r.encoded
	}
	result := resultOf(groups)
	if sub.SubmissionID != "" {
		// A concurrent transaction holding the same ID makes the claim
		// wait for its outcome; when it committed (or an earlier
		// submission of this batch has the ID), nothing is inserted and
		// its result is replayed, or ECONFLICT returned when its content
		// differs (nothing is written either way).
		claimed, err := db.claimSubmission(ctx, tx, orgID, sub.SubmissionID, r.fingerprint, result, now)
		if err != nil {
			return nil, err
		} else if !claimed {
			res, err := db.replay(ctx, tx, orgID, sub.SubmissionID, r.fingerprint)
			if inkform.ErrorCode(err) == inkform.ECONFLICT {
				return nil, err
			} else if err != nil {
				return nil, fmt.Errorf("replay submission: %w", err)
			}
			return res, db.deleteQuarantined(ctx, tx, orgID, r.reprocess)
		}
	}
	if err := db.deleteQuarantined(ctx, tx, orgID, r.reprocess); err != nil {
		return nil, err
	}
	moved := false
	for _, g := range groups {
		id := g.docID
		if err := db.writeGroup(ctx, tx, orgID, sub, g, received, now, p); err != nil {
			return nil, err
		}
		moved = moved || g.docID != id
	}
	if moved {
		// Another node created a copy's document first; this ink joined it.
		result = resultOf(groups)
		if sub.SubmissionID != "" {
			if err := db.storeResult(ctx, tx, orgID, sub.SubmissionID, result); err != nil {
				return nil, err
			}
		}
	}
	return result, nil
}

func resultOf(groups []*pageGroup) *inkform.CaptureResult {
	res := &inkform.CaptureResult{Documents: make([]inkform.CapturedDocument, len(groups))}
	for i, g := range groups {
		res.Documents[i] = inkform.CapturedDocument{ID: g.docID, Form: g.formID, Pages: numbersOf(g.docPages)}
	}
	return res
}

// deleteQuarantined drops the entry being reprocessed ("" for none).
func (db *DB) deleteQuarantined(ctx context.Context, tx querier, orgID, id string) error {
	if id == "" {
		return nil
	}
	if _, err := tx.exec(ctx, "DELETE FROM quarantine WHERE org_id = ? AND id = ?", orgID, id); err != nil {
		return fmt.Errorf("reprocess: %w", err)
	}
	return nil
}

// resolvePages resolves every page's address, or returns a
// quarantineError naming the ones no form of the org has.
func (db *DB) resolvePages(ctx context.Context, tx querier, orgID string, pages []inkform.PageInk) (map[string]*inkform.PageRef, error) {
	var addrs, bad []string
	seen := map[string]bool{}
	for _, p := range pages {
		if p.Address == "" {
			if !seen[""] {
				bad = append(bad, "")
			}
		} else if !seen[p.Address] {
			addrs = append(addrs, p.Address)
		}
		seen[p.Address] = true
	}
	refs, err := db.resolveAddresses(ctx, tx, orgID, addrs)
	if err != nil {
		return nil, err
	}
	for _, a := range addrs {
		if refs[a] == nil {
			bad = append(bad, a)
		}
	}
	if len(bad) == 0 {
		return refs, nil
	}
	var names []string
	for _, a := range bad {
		if a == "" {
			names = append(names, "(a page without address)")
		} else {
			names = append(names, a)
		}
	}
	return nil, &quarantineError{addrs: bad,
		reason: "no form of the org has the page address(es) " + strings.Join(names, ", ")}
}

// pageGroup is the part of a submission that goes to one document: the
// pages of one form (copied pattern) or of one printed copy (unique).
type pageGroup struct {
	formID      string
	formVersion int
	copyID      string
	pages       []inkform.PageInk
	docPages    []inkform.DocumentPage
	encoded     []byte // ink.Encode(pages) when already known

	docID    string
	isNew    bool                   // docID is to be created
	existing []inkform.DocumentPage // pages of the copy's existing document
}

// groupPages groups pages by (form, copy) in the order they first appear.
func groupPages(pages []inkform.PageInk, refs map[string]*inkform.PageRef) []*pageGroup {
	var groups []*pageGroup
	byKey := map[string]*pageGroup{}
	for _, p := range pages {
		ref := refs[p.Address]
		key := ref.FormID + "/" + ref.CopyID
		g := byKey[key]
		if g == nil {
			g = &pageGroup{formID: ref.FormID, formVersion: ref.FormVersion, copyID: ref.CopyID}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.pages = append(g.pages, p)
		g.docPages = mergePages(g.docPages, []inkform.DocumentPage{{Number: ref.Page, Address: p.Address, Strokes: len(p.Strokes)}})
	}
	return groups
}

// mergePages adds the stroke counts of add to pages, keeping one entry per
// page number, sorted by number.
func mergePages(pages, add []inkform.DocumentPage) []inkform.DocumentPage {
	for _, a := range add {
		i := sort.Search(len(pages), func(i int) bool { return pages[i].Number >= a.Number })
		if i < len(pages) && pages[i].Number == a.Number {
			pages[i].Strokes += a.Strokes
			continue
		}
		pages = append(pages, inkform.DocumentPage{})
		copy(pages[i+1:], pages[i:])
		pages[i] = a
	}
	return pages
}

// findCopyDocument locks the document of g's printed copy, if it has one,
// and notes its ID and pages in g.
func (db *DB) findCopyDocument(ctx context.Context, tx querier, orgID string, g *pageGroup) (bool, error) {
	var pagesJSON string
	err := tx.queryRow(ctx, "SELECT id, pages FROM documents WHERE org_id = ? AND copy_id = ?"+db.d.forUpdate(),
		orgID, g.copyID).Scan(&g.docID, &pagesJSON)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("find copy's document: %w", err)
	}
	if err := json.Unmarshal([]byte(pagesJSON), &g.existing); err != nil {
		return false, fmt.Errorf("decode pages of document %s: %w", g.docID, err)
	}
	return true, nil
}

// writeGroup stores one group: a new document or more ink on the copy's
// document, the ink row and the interpret job. New documents of copied
// pattern, status changes, ink and jobs go to p, which the batch inserts
// at its end with a few multi-row statements. A copy's first document is
// inserted at once, so that later ink on the copy in the same batch (or on
// another node) finds it.
func (db *DB) writeGroup(ctx context.Context, tx querier, orgID string, sub *inkform.InkSubmission, g *pageGroup, received, now time.Time, p *pending) error {
	switch {
	case g.copyID == "":
		pages, _ := json.Marshal(g.docPages)
		p.document(orgID, g.docID, g.formID, g.formVersion, sub.PenID, string(pages), now)
	case g.isNew:
		// Another node may be storing the first ink of the same copy right
		// now: the insert then waits for it, skips, and this ink joins
		// that document.
		pages, _ := json.Marshal(g.docPages)
		inserted, err := db.insertDocument(ctx, tx, orgID, g.docID, g.formID, g.formVersion, g.copyID, sub.PenID, string(pages), "{}", now, "capture")
		if err != nil {
			return err
		}
		if !inserted {
			if found, err := db.findCopyDocument(ctx, tx, orgID, g); err != nil {
				return err
			} else if !found {
				return fmt.Errorf("document of copy %s neither inserted nor found", g.copyID)
			}
			g.isNew = false
		}
	}
	if g.copyID != "" && !g.isNew {
		merged, _ := json.Marshal(mergePages(g.existing, g.docPages))
		_, err := tx.exec(ctx, "UPDATE documents SET pages = ?, updated_at = ? WHERE org_id = ? AND id = ?",
			string(merged), micros(now), orgID, g.docID)
		if err != nil {
			return fmt.Errorf("update document: %w", err)
		}
	}
	encoded := g.encoded
	if encoded == nil {
		encoded = ink.Encode(g.pages)
	}
	p.ink(orgID, g.docID, sub.SubmissionID, received, g.pages, encoded)
	if g.isNew {
		// A document created just now has no job yet: no unique check.
		if err := p.job(orgID, g.docID, now); err != nil {
			return err
		}
		return db.received(ctx, tx, p, orgID, g.docID, g.formID, now)
	}
	if p.jobs[g.docID] {
		return nil // created earlier in this batch, its job is pending
	}
	return db.enqueueTx(ctx, tx, orgID, inkform.InterpretArgs{DocumentID: g.docID})
}
