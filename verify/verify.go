// Package verify is the verification workflow (inkform.VerificationService)
// that the JSON API and the web station share: corrections checked against
// the form's rules, blind double entry, approval, group confirmation and
// flags, with leases keeping two people off one document.
package verify

import (
	"context"
	"fmt"
	"time"

	"github.com/inkform/inkform"
)

var _ inkform.VerificationService = (*Service)(nil)

// Service implements inkform.VerificationService over the stores. Every
// field but LeaseTTL and Now is required.
type Service struct {
	Forms     inkform.FormService
	Documents inkform.DocumentService
	Updater   inkform.DocumentUpdater
	Leases    inkform.LeaseStore
	Entries   inkform.EntryStore

	// LeaseTTL is how long the lease taken by an action lasts;
	// inkform.DefaultLeaseTTL when zero.
	LeaseTTL time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// expiry is when a lease taken now ends.
func (s *Service) expiry() time.Time {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ttl := s.LeaseTTL
	if ttl == 0 {
		ttl = inkform.DefaultLeaseTTL
	}
	return now().Add(ttl)
}

// hold takes or renews the actor's lease on a document before they change
// it: ECONFLICT when another person holds a live one. A document that does
// not wait for verification is not leased (the API may correct a received
// or validated document), so that refusal lets the action go on.
func (s *Service) hold(ctx context.Context, orgID, docID, actor string) error {
	_, err := s.Leases.LeaseDocument(ctx, orgID, docID, actor, s.expiry())
	if inkform.ErrorCode(err) == inkform.EUNPROCESSABLE {
		return nil
	}
	if err != nil {
		return fmt.Errorf("lease document: %w", err)
	}
	return nil
}

// load returns a document with the form version it was written on, and
// holds the actor's lease on it.
func (s *Service) load(ctx context.Context, orgID, docID, actor string) (*inkform.Document, *inkform.Form, error) {
	doc, err := s.Documents.FindDocument(ctx, orgID, docID)
	if err != nil {
		return nil, nil, err
	}
	form, err := s.Forms.FindFormVersion(ctx, orgID, doc.FormID, doc.FormVersion)
	if err != nil {
		return nil, nil, err
	}
	if err := s.hold(ctx, orgID, docID, actor); err != nil {
		return nil, nil, err
	}
	return doc, form, nil
}

// Flag implements inkform.VerificationService.
func (s *Service) Flag(ctx context.Context, orgID, docID, actor, reason string) error {
	if reason == "" {
		return inkform.Errorf(inkform.EINVALID, "a flag needs a reason")
	}
	if _, err := s.Documents.FindDocument(ctx, orgID, docID); err != nil {
		return err
	}
	if err := s.hold(ctx, orgID, docID, actor); err != nil {
		return err
	}
	if err := s.Leases.FlagDocument(ctx, orgID, docID, actor, reason); err != nil {
		return fmt.Errorf("flag document: %w", err)
	}
	return nil
}
