package fake

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/inkform/inkform"
)

var _ inkform.FormService = (*Forms)(nil)

// pagesPerBook is how many pages of an org's pool one "book" holds, as in
// sqlstore: allocation number i is address pool.(i/1000).(i%1000).
const pagesPerBook = 1000

// Forms is an in-memory FormService. It needs Orgs, whose pattern pools it
// allocates page addresses from (and whose orgs alone may create forms);
// Put stores a form without either, for tests that only read it.
type Forms struct {
	Hook Hook
	Orgs inkform.OrgService

	mu    sync.Mutex
	forms map[string]*formRec               // by form ID
	addrs map[string]map[string]pageAddress // org → address → page
	next  map[string]int                    // org → next allocation number of its pool
}

// formRec is a stored form: its versions and copy counter.
type formRec struct {
	versions map[int]*inkform.Form
	latest   int
	copies   int // copies made so far
}

// pageAddress is what an address of an org names.
type pageAddress struct {
	formID, copyID string
	page           int // 1-based
}

// init makes the maps; callers hold f.mu.
func (f *Forms) init() {
	if f.forms == nil {
		f.forms, f.addrs, f.next = map[string]*formRec{}, map[string]map[string]pageAddress{}, map[string]int{}
	}
}

// Put stores form (a copy) as the latest version of its form, as it is:
// unvalidated, with the page addresses it names. Tests use it to make a
// form that CreateForm would refuse or to skip the org.
func (f *Forms) Put(form *inkform.Form) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.init()
	rec := f.forms[form.ID]
	if rec == nil {
		rec = &formRec{versions: map[int]*inkform.Form{}}
		f.forms[form.ID] = rec
	}
	c := cloneForm(form)
	rec.versions[c.Version], rec.latest = c, max(rec.latest, c.Version)
	if c.Pattern == inkform.PatternCopied || c.Pattern == "" {
		for i, p := range c.Pages {
			if p.Address != "" {
				f.orgAddrs(c.OrgID)[p.Address] = pageAddress{formID: c.ID, page: i + 1}
			}
		}
	}
}

// orgAddrs returns the address map of an org; callers hold f.mu.
func (f *Forms) orgAddrs(orgID string) map[string]pageAddress {
	m := f.addrs[orgID]
	if m == nil {
		m = map[string]pageAddress{}
		f.addrs[orgID] = m
	}
	return m
}

// cloneForm copies a form deeply enough that neither side's changes to
// pages and fields reach the other.
func cloneForm(form *inkform.Form) *inkform.Form {
	c := *form
	c.Pages = slices.Clone(form.Pages)
	c.Fields = slices.Clone(form.Fields)
	return &c
}

// prepare copies, normalizes and validates a template for the org and
// returns it with the org's pattern pool (ENOTFOUND for an unknown org).
func (f *Forms) prepare(ctx context.Context, orgID string, t *inkform.FormTemplate) (inkform.FormTemplate, string, error) {
	if t == nil {
		return inkform.FormTemplate{}, "", inkform.Errorf(inkform.EINVALID, "no form template")
	}
	c := *t
	c.Pages, c.Fields = slices.Clone(t.Pages), slices.Clone(t.Fields)
	c.Normalize()
	if err := c.Validate(); err != nil {
		return c, "", err
	}
	pool, err := f.pool(ctx, orgID)
	return c, pool, err
}

// pool returns the org's pattern pool, or ENOTFOUND for an unknown org.
func (f *Forms) pool(ctx context.Context, orgID string) (string, error) {
	if f.Orgs == nil {
		return "", fmt.Errorf("fake.Forms needs Orgs to allocate page addresses")
	}
	org, err := f.Orgs.FindOrgByID(ctx, orgID)
	if err != nil {
		return "", err
	}
	return org.PatternPool, nil
}

// CreateForm implements inkform.FormService.
func (f *Forms) CreateForm(ctx context.Context, orgID string, t *inkform.FormTemplate) (*inkform.Form, error) {
	if err := f.Hook.call("CreateForm", orgID, t); err != nil {
		return nil, err
	}
	tpl, pool, err := f.prepare(ctx, orgID, t)
	if err != nil {
		return nil, err
	}
	at := now()
	form := &inkform.Form{ID: inkform.NewID(), OrgID: orgID, Version: 1, FormTemplate: tpl, CreatedAt: at, UpdatedAt: at}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.init()
	if err := f.assignAddresses(form, nil, pool); err != nil {
		return nil, err
	}
	f.forms[form.ID] = &formRec{versions: map[int]*inkform.Form{1: form}, latest: 1}
	return cloneForm(form), nil
}

// UpdateForm implements inkform.FormService. Like sqlstore, pages that
// keep their place keep their addresses when the template leaves them
// empty, and the pattern cannot change.
func (f *Forms) UpdateForm(ctx context.Context, orgID, formID string, t *inkform.FormTemplate) (*inkform.Form, error) {
	if err := f.Hook.call("UpdateForm", orgID, formID, t); err != nil {
		return nil, err
	}
	tpl, pool, err := f.prepare(ctx, orgID, t)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.init()
	old, err := f.find(orgID, formID, 0)
	if err != nil {
		return nil, err
	}
	if old.Pattern != tpl.Pattern {
		return nil, inkform.Errorf(inkform.EUNPROCESSABLE, "a form's pattern cannot change from %s to %s; create a new form", old.Pattern, tpl.Pattern)
	}
	form := &inkform.Form{ID: formID, OrgID: orgID, Version: old.Version + 1, FormTemplate: tpl,
		CreatedAt: old.CreatedAt, UpdatedAt: now()}
	if err := f.assignAddresses(form, &old.FormTemplate, pool); err != nil {
		return nil, err
	}
	if tpl.Pattern == inkform.PatternUnique {
		addrs := f.orgAddrs(orgID)
		for a, p := range addrs {
			if p.formID == formID && p.page > len(tpl.Pages) {
				delete(addrs, a)
			}
		}
	}
	rec := f.forms[formID]
	rec.versions[form.Version], rec.latest = form, form.Version
	return cloneForm(form), nil
}

// assignAddresses fills in and records the page addresses of a
// copied-pattern form (old is its previous version, or nil), checking all
// before changing anything. Callers hold f.mu.
func (f *Forms) assignAddresses(form *inkform.Form, old *inkform.FormTemplate, pool string) error {
	if form.Pattern != inkform.PatternCopied {
		return nil
	}
	owned := map[string]bool{}
	if old != nil {
		for i := range form.Pages {
			if form.Pages[i].Address == "" && i < len(old.Pages) {
				form.Pages[i].Address = old.Pages[i].Address
			}
		}
		for _, p := range old.Pages {
			owned[p.Address] = true
		}
	}
	addrs := f.orgAddrs(form.OrgID)
	var empty []int
	for i, p := range form.Pages {
		if p.Address == "" {
			empty = append(empty, i)
			continue
		}
		if other, ok := addrs[p.Address]; ok && other.formID != form.ID {
			return inkform.Errorf(inkform.ECONFLICT, "page address %s is used by form %s", p.Address, other.formID)
		}
		if !owned[p.Address] && !f.allocated(form.OrgID, pool, p.Address) {
			return inkform.Errorf(inkform.EUNPROCESSABLE,
				"page address %s lies in the org's pattern pool %s but was not allocated; leave the address empty to get one", p.Address, pool)
		}
	}
	for _, a := range f.allocate(form.OrgID, pool, len(empty)) {
		form.Pages[empty[0]].Address, empty = a, empty[1:]
	}
	for a, p := range addrs {
		if p.formID == form.ID && p.copyID == "" {
			delete(addrs, a)
		}
	}
	for i, p := range form.Pages {
		addrs[p.Address] = pageAddress{formID: form.ID, page: i + 1}
	}
	return nil
}

// allocated reports whether an address outside the pool, or one the pool
// has handed out already. Callers hold f.mu.
func (f *Forms) allocated(orgID, pool, addr string) bool {
	rest, ok := strings.CutPrefix(addr, pool+".")
	if !ok {
		return true
	}
	var book, page int
	if _, err := fmt.Sscanf(rest, "%d.%d", &book, &page); err != nil {
		return true // not an address the pool makes
	}
	return page < pagesPerBook && book*pagesPerBook+page < f.next[orgID]
}

// allocate takes n addresses from the org's pool. Callers hold f.mu.
func (f *Forms) allocate(orgID, pool string, n int) []string {
	out := make([]string, n)
	for i := range out {
		k := f.next[orgID]
		f.next[orgID]++
		out[i] = fmt.Sprintf("%s.%d.%d", pool, k/pagesPerBook, k%pagesPerBook)
	}
	return out
}
