package http

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/inkform/inkform"
)

// fakeTokens is an in-memory TokenService that counts Authenticate calls,
// so tests can see the cache working.
type fakeTokens struct {
	mu       sync.Mutex
	bySecret map[string]*inkform.Token
	authN    int
}

func (f *fakeTokens) CreateToken(ctx context.Context, orgID string, role inkform.Role, name string) (*inkform.Token, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	secret := inkform.NewTokenSecret()
	t := &inkform.Token{ID: inkform.NewID(), OrgID: orgID, Name: name, Role: role, Hint: inkform.TokenHint(secret), CreatedAt: time.Now()}
	f.bySecret[secret] = t
	return t, secret, nil
}

func (f *fakeTokens) Authenticate(ctx context.Context, secret string) (*inkform.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.authN++
	t, ok := f.bySecret[secret]
	if !ok {
		return nil, inkform.Errorf(inkform.EUNAUTHORIZED, "unknown token")
	}
	c := *t
	return &c, nil
}

func (f *fakeTokens) ListTokens(ctx context.Context, orgID string) ([]*inkform.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*inkform.Token
	for _, t := range f.bySecret {
		if t.OrgID == orgID {
			out = append(out, t)
		}
	}
	return out, nil
}

func (f *fakeTokens) DeleteToken(ctx context.Context, orgID, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for s, t := range f.bySecret {
		if t.ID == id && t.OrgID == orgID {
			delete(f.bySecret, s)
			return nil
		}
	}
	return inkform.Errorf(inkform.ENOTFOUND, "no such token")
}

func (f *fakeTokens) authCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.authN
}

// fakeForms is an in-memory FormService holding forms in creation order.
type fakeForms struct {
	mu     sync.Mutex
	forms  []*inkform.Form
	calls  int // any call; malformed-ID tests check it stays 0
	filter inkform.FormFilter
}

func (f *fakeForms) CreateForm(ctx context.Context, orgID string, t *inkform.FormTemplate) (*inkform.Form, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	t.Normalize()
	if err := t.Validate(); err != nil {
		return nil, err
	}
	for i := range t.Pages {
		if t.Pages[i].Address == "" {
			t.Pages[i].Address = "70.3.1." + string(rune('1'+i))
		}
	}
	now := time.Now().UTC()
	form := &inkform.Form{ID: inkform.NewID(), OrgID: orgID, Version: 1, FormTemplate: *t, CreatedAt: now, UpdatedAt: now}
	f.forms = append(f.forms, form)
	return form, nil
}

func (f *fakeForms) UpdateForm(ctx context.Context, orgID, formID string, t *inkform.FormTemplate) (*inkform.Form, error) {
	old, err := f.FindForm(ctx, orgID, formID)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	next := *old
	next.Version++
	next.FormTemplate = *t
	f.forms = append(f.forms, &next)
	return &next, nil
}

func (f *fakeForms) FindForm(ctx context.Context, orgID, formID string) (*inkform.Form, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	for i := len(f.forms) - 1; i >= 0; i-- {
		if fm := f.forms[i]; fm.ID == formID && fm.OrgID == orgID {
			return fm, nil
		}
	}
	return nil, inkform.Errorf(inkform.ENOTFOUND, "form not found")
}

func (f *fakeForms) FindFormVersion(ctx context.Context, orgID, formID string, version int) (*inkform.Form, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	for _, fm := range f.forms {
		if fm.ID == formID && fm.OrgID == orgID && fm.Version == version {
			return fm, nil
		}
	}
	return nil, inkform.Errorf(inkform.ENOTFOUND, "form version not found")
}

func (f *fakeForms) ListForms(ctx context.Context, orgID string, filter inkform.FormFilter) ([]*inkform.Form, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.filter = filter
	latest := map[string]*inkform.Form{}
	for _, fm := range f.forms {
		latest[fm.ID] = fm
	}
	var out []*inkform.Form
	for _, fm := range slices.SortedFunc(maps.Values(latest), func(a, b *inkform.Form) int { return strings.Compare(a.ID, b.ID) }) {
		if fm.OrgID == orgID && fm.ID > filter.After && len(out) < filter.Limit {
			out = append(out, fm)
		}
	}
	return out, nil
}

func (f *fakeForms) CreateCopies(ctx context.Context, orgID, formID string, n int) ([]*inkform.Copy, error) {
	fm, err := f.FindForm(ctx, orgID, formID)
	if err != nil {
		return nil, err
	}
	out := make([]*inkform.Copy, n)
	for i := range out {
		out[i] = &inkform.Copy{ID: inkform.NewID(), FormID: fm.ID, Number: i + 1, Addresses: []string{"70.4.1.1"}}
	}
	return out, nil
}

func (f *fakeForms) ResolveAddress(ctx context.Context, orgID, address string) (*inkform.PageRef, error) {
	return nil, inkform.Errorf(inkform.ENOTFOUND, "not used by the http package")
}

func (f *fakeForms) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// fakeCapture records what it was given and replays known submission IDs.
type fakeCapture struct {
	mu      sync.Mutex
	inks    []*inkform.InkSubmission
	digital []*inkform.DigitalSubmission
	seen    map[string]*inkform.CaptureResult
	err     error // returned by CaptureInk and SubmitDigital when set
}

func (f *fakeCapture) CaptureInk(ctx context.Context, orgID string, sub *inkform.InkSubmission) (*inkform.CaptureResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	if res, ok := f.seen[sub.SubmissionID]; ok && sub.SubmissionID != "" {
		return &inkform.CaptureResult{Documents: res.Documents, Replayed: true}, nil
	}
	f.inks = append(f.inks, sub)
	res := &inkform.CaptureResult{Documents: []inkform.CapturedDocument{{ID: inkform.NewID(), Form: inkform.NewID(), Pages: []int{1}}}}
	if f.seen == nil {
		f.seen = map[string]*inkform.CaptureResult{}
	}
	f.seen[sub.SubmissionID] = res
	return res, nil
}

func (f *fakeCapture) SubmitDigital(ctx context.Context, orgID string, sub *inkform.DigitalSubmission) (*inkform.Document, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, false, f.err
	}
	if res, ok := f.seen[sub.SubmissionID]; ok && sub.SubmissionID != "" {
		return &inkform.Document{ID: res.Documents[0].ID, OrgID: orgID, FormID: sub.FormID, Status: inkform.StatusReceived}, true, nil
	}
	f.digital = append(f.digital, sub)
	doc := &inkform.Document{ID: inkform.NewID(), OrgID: orgID, FormID: sub.FormID, Status: inkform.StatusReceived}
	if f.seen == nil {
		f.seen = map[string]*inkform.CaptureResult{}
	}
	f.seen[sub.SubmissionID] = &inkform.CaptureResult{Documents: []inkform.CapturedDocument{{ID: doc.ID, Form: sub.FormID}}}
	return doc, false, nil
}

func (f *fakeCapture) lastInk() *inkform.InkSubmission {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.inks) == 0 {
		return nil
	}
	return f.inks[len(f.inks)-1]
}

// fakeDocuments serves one document and records the last list filter.
type fakeDocuments struct {
	mu     sync.Mutex
	doc    *inkform.Document
	ink    *inkform.DocumentInk
	filter inkform.DocumentFilter
}

func (f *fakeDocuments) FindDocument(ctx context.Context, orgID, id string) (*inkform.Document, error) {
	if f.doc == nil || f.doc.ID != id || f.doc.OrgID != orgID {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "document not found")
	}
	return f.doc, nil
}

func (f *fakeDocuments) ListDocuments(ctx context.Context, orgID string, filter inkform.DocumentFilter) ([]*inkform.Document, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.filter = filter
	if f.doc == nil {
		return nil, "", nil
	}
	return []*inkform.Document{f.doc}, f.doc.ID, nil
}

func (f *fakeDocuments) FindDocumentInk(ctx context.Context, orgID, id string) (*inkform.DocumentInk, error) {
	if _, err := f.FindDocument(ctx, orgID, id); err != nil {
		return nil, err
	}
	return f.ink, nil
}

func (f *fakeDocuments) ListStatusChanges(ctx context.Context, orgID, id string) ([]inkform.StatusChange, error) {
	if _, err := f.FindDocument(ctx, orgID, id); err != nil {
		return nil, err
	}
	return []inkform.StatusChange{{To: inkform.StatusReceived, Cause: "captured", At: time.Unix(0, 0).UTC()}}, nil
}

// fakeQuarantine holds quarantined entries with their bodies.
type fakeQuarantine struct {
	mu          sync.Mutex
	entries     map[string]*inkform.QuarantinedSubmission
	bodies      map[string][]byte
	reprocessed *inkform.InkSubmission
}

func (f *fakeQuarantine) ListQuarantine(ctx context.Context, orgID string) ([]*inkform.QuarantinedSubmission, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*inkform.QuarantinedSubmission
	for _, e := range f.entries {
		if e.OrgID == orgID {
			out = append(out, e)
		}
	}
	return out, nil
}

func (f *fakeQuarantine) FindQuarantined(ctx context.Context, orgID, id string) (*inkform.QuarantinedSubmission, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.entries[id]
	if !ok || e.OrgID != orgID {
		return nil, nil, inkform.Errorf(inkform.ENOTFOUND, "not quarantined")
	}
	return e, f.bodies[id], nil
}

func (f *fakeQuarantine) ReprocessQuarantined(ctx context.Context, orgID, id string, sub *inkform.InkSubmission) (*inkform.CaptureResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reprocessed = sub
	delete(f.entries, id)
	return &inkform.CaptureResult{Documents: []inkform.CapturedDocument{{ID: inkform.NewID(), Form: inkform.NewID(), Pages: []int{1}}}}, nil
}

func (f *fakeQuarantine) DeleteQuarantined(ctx context.Context, orgID, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e, ok := f.entries[id]; !ok || e.OrgID != orgID {
		return inkform.Errorf(inkform.ENOTFOUND, "not quarantined")
	}
	delete(f.entries, id)
	return nil
}

// fakeJobs records the last filter and retried ID.
type fakeJobs struct {
	mu      sync.Mutex
	jobs    []*inkform.Job
	filter  inkform.JobFilter
	retried int64
}

func (f *fakeJobs) ListJobs(ctx context.Context, orgID string, filter inkform.JobFilter) ([]*inkform.Job, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.filter = filter
	var out []*inkform.Job
	for _, j := range f.jobs {
		if j.ID > filter.After && len(out) < filter.Limit {
			out = append(out, j)
		}
	}
	return out, nil
}

func (f *fakeJobs) RetryJob(ctx context.Context, orgID string, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, j := range f.jobs {
		if j.ID == id {
			f.retried = id
			return nil
		}
	}
	return inkform.Errorf(inkform.ENOTFOUND, "no such job")
}
