package fake

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/inkform/inkform"
)

var _ inkform.OrgService = (*Orgs)(nil)

// Orgs is an in-memory OrgService. Like sqlstore, it gives each org a
// pattern pool of its own ("900.N").
type Orgs struct {
	Hook Hook

	mu   sync.Mutex
	orgs []*inkform.Org // in creation order
}

// CreateOrg implements inkform.OrgService.
func (o *Orgs) CreateOrg(ctx context.Context, name string) (*inkform.Org, error) {
	if err := o.Hook.call("CreateOrg", name); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, inkform.Errorf(inkform.EINVALID, "an org needs a name")
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, org := range o.orgs {
		if org.Name == name {
			return nil, inkform.Errorf(inkform.ECONFLICT, "an org named %q exists", name)
		}
	}
	org := &inkform.Org{ID: inkform.NewID(), Name: name, CreatedAt: now(),
		PatternPool: fmt.Sprintf("900.%d", len(o.orgs)+1)}
	o.orgs = append(o.orgs, org)
	c := *org
	return &c, nil
}

// FindOrgByID implements inkform.OrgService.
func (o *Orgs) FindOrgByID(ctx context.Context, id string) (*inkform.Org, error) {
	if err := o.Hook.call("FindOrgByID", id); err != nil {
		return nil, err
	}
	return o.find(func(org *inkform.Org) bool { return org.ID == id })
}

// FindOrgByName implements inkform.OrgService.
func (o *Orgs) FindOrgByName(ctx context.Context, name string) (*inkform.Org, error) {
	if err := o.Hook.call("FindOrgByName", name); err != nil {
		return nil, err
	}
	return o.find(func(org *inkform.Org) bool { return org.Name == name })
}

// find returns a copy of the first org match accepts.
func (o *Orgs) find(match func(*inkform.Org) bool) (*inkform.Org, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, org := range o.orgs {
		if match(org) {
			c := *org
			return &c, nil
		}
	}
	return nil, notFound("org")
}
