package fake

import (
	"context"
	"slices"
	"sync"

	"github.com/inkform/inkform"
)

var (
	_ inkform.CaptureService    = (*Capture)(nil)
	_ inkform.QuarantineService = (*Quarantine)(nil)
)

// Capture is a CaptureService that records what it is given and stores
// nothing. Capture proper — resolving page addresses, grouping pages into
// documents, quarantining — needs the whole store and is tested in
// sqlstore; this fake is for the callers of the interface. A new ink
// submission gets one made-up document with page 1; a submission ID the
// org used before gets that answer again, Replayed; a digital submission
// becomes a received document of its form.
type Capture struct {
	Hook Hook

	mu      sync.Mutex
	inks    []*inkform.InkSubmission
	digital []*inkform.DigitalSubmission
	seen    map[string]*inkform.CaptureResult // org + "/" + submission ID
	// seenDocs are the documents of digital submissions, by the same key.
	seenDocs map[string]*inkform.Document
}

// CaptureInk implements inkform.CaptureService.
func (c *Capture) CaptureInk(ctx context.Context, orgID string, sub *inkform.InkSubmission) (*inkform.CaptureResult, error) {
	if err := c.Hook.call("CaptureInk", orgID, sub); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	key := orgID + "/" + sub.SubmissionID
	if res, ok := c.seen[key]; ok && sub.SubmissionID != "" {
		return &inkform.CaptureResult{Documents: slices.Clone(res.Documents), Replayed: true}, nil
	}
	c.inks = append(c.inks, sub)
	res := &inkform.CaptureResult{Documents: []inkform.CapturedDocument{{ID: inkform.NewID(), Form: inkform.NewID(), Pages: []int{1}}}}
	if sub.SubmissionID != "" {
		if c.seen == nil {
			c.seen = map[string]*inkform.CaptureResult{}
		}
		c.seen[key] = res
	}
	return &inkform.CaptureResult{Documents: slices.Clone(res.Documents)}, nil
}

// SubmitDigital implements inkform.CaptureService. A submission ID the org
// used before returns that document again, replayed.
func (c *Capture) SubmitDigital(ctx context.Context, orgID string, sub *inkform.DigitalSubmission) (*inkform.Document, bool, error) {
	if err := c.Hook.call("SubmitDigital", orgID, sub); err != nil {
		return nil, false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	key := orgID + "/" + sub.SubmissionID
	if doc, ok := c.seenDocs[key]; ok && sub.SubmissionID != "" {
		d := *doc
		return &d, true, nil
	}
	c.digital = append(c.digital, sub)
	at := now()
	doc := &inkform.Document{ID: inkform.NewID(), OrgID: orgID, FormID: sub.FormID, Status: inkform.StatusReceived,
		CreatedAt: at, UpdatedAt: at}
	if sub.SubmissionID != "" {
		if c.seenDocs == nil {
			c.seenDocs = map[string]*inkform.Document{}
		}
		d := *doc
		c.seenDocs[key] = &d
	}
	return doc, false, nil
}

// Inks returns the ink submissions captured (not replayed), oldest first.
func (c *Capture) Inks() []*inkform.InkSubmission {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.inks)
}

// Digital returns the digital submissions, oldest first.
func (c *Capture) Digital() []*inkform.DigitalSubmission {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.digital)
}

// Quarantine is an in-memory QuarantineService over entries a test puts
// in. ReprocessQuarantined hands the submission to Capture, which it
// needs, and drops the entry only when that succeeds: the store does both
// in one transaction.
type Quarantine struct {
	Hook    Hook
	Capture inkform.CaptureService

	mu      sync.Mutex
	entries map[string]*quarantined
}

// quarantined is an entry with its raw body.
type quarantined struct {
	q    inkform.QuarantinedSubmission
	body []byte
}

// Put stores a copy of an entry with its raw body.
func (f *Quarantine) Put(q *inkform.QuarantinedSubmission, body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.entries == nil {
		f.entries = map[string]*quarantined{}
	}
	c := *q
	c.Addresses = slices.Clone(q.Addresses)
	f.entries[q.ID] = &quarantined{q: c, body: slices.Clone(body)}
}

// ListQuarantine implements inkform.QuarantineService, oldest first.
func (f *Quarantine) ListQuarantine(ctx context.Context, orgID string) ([]*inkform.QuarantinedSubmission, error) {
	if err := f.Hook.call("ListQuarantine", orgID); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []*inkform.QuarantinedSubmission{}
	for _, e := range f.entries {
		if e.q.OrgID == orgID {
			c := e.q
			out = append(out, &c)
		}
	}
	slices.SortFunc(out, func(a, b *inkform.QuarantinedSubmission) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
	return out, nil
}

// FindQuarantined implements inkform.QuarantineService.
func (f *Quarantine) FindQuarantined(ctx context.Context, orgID, id string) (*inkform.QuarantinedSubmission, []byte, error) {
	if err := f.Hook.call("FindQuarantined", orgID, id); err != nil {
		return nil, nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	e, err := f.find(orgID, id)
	if err != nil {
		return nil, nil, err
	}
	c := e.q
	return &c, slices.Clone(e.body), nil
}

// find returns the org's entry. Callers hold f.mu.
func (f *Quarantine) find(orgID, id string) (*quarantined, error) {
	e := f.entries[id]
	if e == nil || e.q.OrgID != orgID {
		return nil, notFound("quarantined submission")
	}
	return e, nil
}

// ReprocessQuarantined implements inkform.QuarantineService.
func (f *Quarantine) ReprocessQuarantined(ctx context.Context, orgID, id string, sub *inkform.InkSubmission) (*inkform.CaptureResult, error) {
	if err := f.Hook.call("ReprocessQuarantined", orgID, id, sub); err != nil {
		return nil, err
	}
	f.mu.Lock()
	_, err := f.find(orgID, id)
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	res, err := f.Capture.CaptureInk(ctx, orgID, sub)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.entries, id)
	return res, nil
}

// DeleteQuarantined implements inkform.QuarantineService.
func (f *Quarantine) DeleteQuarantined(ctx context.Context, orgID, id string) error {
	if err := f.Hook.call("DeleteQuarantined", orgID, id); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.find(orgID, id); err != nil {
		return err
	}
	delete(f.entries, id)
	return nil
}
