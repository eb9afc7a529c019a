package fake

import (
	"context"
	"slices"
	"strings"

	"github.com/inkform/inkform"
)

// maxCopies bounds one CreateCopies call, as in sqlstore.
const maxCopies = 10000

// find returns version (0 = latest) of an org's form. Callers hold f.mu.
func (f *Forms) find(orgID, formID string, version int) (*inkform.Form, error) {
	rec := f.forms[formID]
	if rec == nil || rec.versions[rec.latest].OrgID != orgID {
		return nil, notFound("form")
	}
	if version == 0 {
		version = rec.latest
	}
	form := rec.versions[version]
	if form == nil {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "form version %d not found", version)
	}
	return form, nil
}

// FindForm implements inkform.FormService.
func (f *Forms) FindForm(ctx context.Context, orgID, formID string) (*inkform.Form, error) {
	if err := f.Hook.call("FindForm", orgID, formID); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	form, err := f.find(orgID, formID, 0)
	if err != nil {
		return nil, err
	}
	return cloneForm(form), nil
}

// FindFormVersion implements inkform.FormService.
func (f *Forms) FindFormVersion(ctx context.Context, orgID, formID string, version int) (*inkform.Form, error) {
	if err := f.Hook.call("FindFormVersion", orgID, formID, version); err != nil {
		return nil, err
	}
	if version < 1 {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "form version %d not found", version)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	form, err := f.find(orgID, formID, version)
	if err != nil {
		return nil, err
	}
	return cloneForm(form), nil
}

// ListForms implements inkform.FormService: latest versions by ID, which is
// creation order.
func (f *Forms) ListForms(ctx context.Context, orgID string, filter inkform.FormFilter) ([]*inkform.FormSummary, error) {
	if err := f.Hook.call("ListForms", orgID, filter); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []*inkform.FormSummary{}
	for id, rec := range f.forms {
		if latest := rec.versions[rec.latest]; latest.OrgID == orgID && id > filter.After {
			out = append(out, latest.Summary())
		}
	}
	slices.SortFunc(out, func(a, b *inkform.FormSummary) int { return strings.Compare(a.ID, b.ID) })
	if limit := inkform.ListLimit(filter.Limit); len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// CreateCopies implements inkform.FormService.
func (f *Forms) CreateCopies(ctx context.Context, orgID, formID string, n int) ([]*inkform.Copy, error) {
	if err := f.Hook.call("CreateCopies", orgID, formID, n); err != nil {
		return nil, err
	}
	if n < 1 || n > maxCopies {
		return nil, inkform.Errorf(inkform.EUNPROCESSABLE, "the number of copies must be between 1 and %d, not %d", maxCopies, n)
	}
	pool, err := f.pool(ctx, orgID)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.init()
	form, err := f.find(orgID, formID, 0)
	if err != nil {
		return nil, err
	}
	if form.Pattern != inkform.PatternUnique {
		return nil, inkform.Errorf(inkform.EUNPROCESSABLE, "form %s uses copied pattern: every printed copy carries the same addresses, so it has no copies", formID)
	}
	rec, pages, at := f.forms[formID], len(form.Pages), now()
	addrs, orgAddrs := f.allocate(orgID, pool, n*pages), f.orgAddrs(orgID)
	out := make([]*inkform.Copy, n)
	for i := range out {
		rec.copies++
		c := &inkform.Copy{ID: inkform.NewID(), FormID: formID, Number: rec.copies,
			Addresses: addrs[i*pages : (i+1)*pages : (i+1)*pages], CreatedAt: at}
		for p, a := range c.Addresses {
			orgAddrs[a] = pageAddress{formID: formID, copyID: c.ID, page: p + 1}
		}
		out[i] = c
	}
	return out, nil
}

// ResolveAddress implements inkform.FormService.
func (f *Forms) ResolveAddress(ctx context.Context, orgID, address string) (*inkform.PageRef, error) {
	if err := f.Hook.call("ResolveAddress", orgID, address); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.addrs[orgID][address]
	if !ok {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "no form of the org has the page address %s", address)
	}
	return &inkform.PageRef{Address: address, FormID: p.formID, FormVersion: f.forms[p.formID].latest,
		Page: p.page, CopyID: p.copyID}, nil
}
