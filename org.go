package inkform

import (
	"context"
	"time"
)

// Org is an organization (tenant). Everything else belongs to exactly one org,
// and every query is scoped by it.
type Org struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
	// PatternPool is the prefix "segment.shelf" from which page addresses
	// are allocated for forms that do not name their own.
	PatternPool string `json:"patternPool"`
}

// OrgService manages organizations. It is used by the CLI and by admins;
// OrgService methods are not scoped by org because they define the scope.
type OrgService interface {
	// CreateOrg creates an org. A blank name → EINVALID; a name already
	// taken → ECONFLICT.
	CreateOrg(ctx context.Context, name string) (*Org, error)
	// FindOrgByID returns ENOTFOUND when no org has the ID.
	FindOrgByID(ctx context.Context, id string) (*Org, error)
	// FindOrgByName returns ENOTFOUND when no org has the name.
	FindOrgByName(ctx context.Context, name string) (*Org, error)
}
