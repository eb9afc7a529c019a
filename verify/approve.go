package verify

import (
	"context"
	"fmt"

	"github.com/inkform/inkform"
)

// Approve implements inkform.VerificationService. Approving a validated
// document again changes nothing.
func (s *Service) Approve(ctx context.Context, orgID, docID, actor string) (*inkform.Document, error) {
	doc, form, err := s.load(ctx, orgID, docID, actor)
	if err != nil {
		return nil, err
	}
	problems, err := s.approvalProblems(ctx, doc, form)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		e := inkform.Errorf(inkform.EUNPROCESSABLE, "cannot approve: %s %s", problems[0].Path, problems[0].Message)
		if len(problems) > 1 {
			e.Message += fmt.Sprintf(" (and %d more)", len(problems)-1)
		}
		e.Problems = problems
		return nil, e
	}
	return s.approve(ctx, doc, actor)
}

// approve validates a document that passed the rules and ends the actor's
// lease on it.
func (s *Service) approve(ctx context.Context, doc *inkform.Document, actor string) (*inkform.Document, error) {
	doc, err := s.Updater.SetStatus(ctx, doc.OrgID, doc.ID, inkform.StatusValidated, "approved by verifier "+actor)
	if err != nil {
		return nil, fmt.Errorf("approve: %w", err)
	}
	if err := s.Leases.ReleaseLease(ctx, doc.OrgID, doc.ID, actor); err != nil {
		return nil, fmt.Errorf("release lease: %w", err)
	}
	return doc, nil
}

// approvalProblems returns, field by field in the form's order, why a
// document cannot be approved: a value breaks a rule (a required one is
// empty), a signature or drawing is true without ink in its box (a
// document stored before that rule), or a double-entry field of a document
// not yet validated waits for a second entry or a decision.
func (s *Service) approvalProblems(ctx context.Context, doc *inkform.Document, form *inkform.Form) ([]inkform.Problem, error) {
	values := make(map[string]any, len(form.Fields))
	for _, f := range form.Fields {
		values[f.Name] = doc.Fields[f.Name].Value
	}
	unfound, err := s.unfoundInk(ctx, doc.OrgID, doc, form, values)
	if err != nil {
		return nil, err
	}
	entries, err := s.entryStates(ctx, doc, form)
	if err != nil {
		return nil, err
	}
	var problems []inkform.Problem
	for i := range form.Fields {
		f := &form.Fields[i]
		for _, p := range f.Check(values[f.Name]) {
			problems = append(problems, inkform.Problem{Path: "fields." + f.Name, Message: p})
		}
		if p, ok := unfound[f.Name]; ok {
			problems = append(problems, inkform.Problem{Path: "fields." + f.Name, Message: p})
		}
		if entries == nil || !f.DoubleEntry {
			continue
		}
		st, typed := entries[f.Name]
		switch {
		case !typed:
			problems = append(problems, inkform.Problem{Path: "fields." + f.Name, Message: "needs two people's blind entries (double entry); none yet"})
		case st.State == inkform.EntriesPending:
			problems = append(problems, inkform.Problem{Path: "fields." + f.Name, Message: "waits for a second person's blind entry (double entry)"})
		case st.State == inkform.EntriesConflict:
			problems = append(problems, inkform.Problem{Path: "fields." + f.Name, Message: "two blind entries disagree: a third person decides"})
		case doc.Fields[f.Name].Source != inkform.SourceVerifier:
			// Entries are stored before the value, in two steps: a
			// failure between them leaves the agreed value unset, and
			// the engine's reading must not be approved in its place.
			problems = append(problems, inkform.Problem{Path: "fields." + f.Name, Message: "the blind entries agree, but the value was not stored: type it once more"})
		}
	}
	return problems, nil
}

// entryStates returns where a document's double entries stand, or nil when
// they do not matter: the form has none, or the document is validated.
func (s *Service) entryStates(ctx context.Context, doc *inkform.Document, form *inkform.Form) (map[string]inkform.FieldEntries, error) {
	if doc.Status == inkform.StatusValidated {
		return nil, nil
	}
	for _, f := range form.Fields {
		if f.DoubleEntry {
			entries, err := s.Entries.ListEntries(ctx, doc.OrgID, doc.ID)
			if err != nil {
				return nil, fmt.Errorf("list entries: %w", err)
			}
			return inkform.EntryStates(entries), nil
		}
	}
	return nil, nil
}
