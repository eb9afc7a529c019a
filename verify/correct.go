package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/inkform/inkform"
)

// Correct implements inkform.VerificationService. A double-entry field
// whose entries already agree or were decided is corrected as any other
// field: blindness protects the first two readings, not later fixes.
func (s *Service) Correct(ctx context.Context, orgID, docID, actor string, raw map[string]json.RawMessage) (*inkform.Document, error) {
	if len(raw) == 0 {
		return nil, inkform.Errorf(inkform.EINVALID, "no field values to set")
	}
	doc, form, err := s.load(ctx, orgID, docID, actor)
	if err != nil {
		return nil, err
	}
	values, problems := verifierValues(&form.FormTemplate, raw)
	if problems, err = s.checkCorrections(ctx, orgID, doc, form, values, problems); err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, inkform.ValuesError(problems)
	}
	set, err := s.enter(ctx, doc, form, actor, values)
	if err != nil {
		return nil, err
	}
	if len(set) == 0 {
		return doc, nil // only blind entries, which wait for another person
	}
	doc, err = s.Updater.UpdateFields(ctx, orgID, docID, set, actor, "verifier "+actor+" set "+strings.Join(slices.Sorted(maps.Keys(set)), ", "))
	if err != nil {
		return nil, fmt.Errorf("update fields: %w", err)
	}
	return doc, nil
}

// enter stores the actor's values of double-entry fields that are not
// settled as blind entries, and returns the values to set: the others, and
// those whose entries now agree or were decided.
func (s *Service) enter(ctx context.Context, doc *inkform.Document, form *inkform.Form, actor string, values map[string]inkform.FieldValue) (map[string]inkform.FieldValue, error) {
	set := maps.Clone(values)
	if !hasDoubleEntry(form, values) {
		return set, nil
	}
	entries, err := s.Entries.ListEntries(ctx, doc.OrgID, doc.ID)
	if err != nil {
		return nil, fmt.Errorf("list entries: %w", err)
	}
	before := inkform.EntryStates(entries)
	blind := map[string]any{}
	for name, fv := range values {
		if f := form.Field(name); f.DoubleEntry {
			if st, ok := before[name]; !ok || !st.State.Settled() {
				blind[name] = fv.Value
				delete(set, name)
			}
		}
	}
	if len(blind) == 0 {
		return set, nil
	}
	if err := s.Entries.AddEntries(ctx, doc.OrgID, doc.ID, actor, blind); err != nil {
		if inkform.ErrorCode(err) == inkform.ECONFLICT {
			return nil, inkform.Errorf(inkform.ECONFLICT, "you already typed %s on this document: another person must", strings.Join(slices.Sorted(maps.Keys(blind)), ", "))
		}
		return nil, fmt.Errorf("add entries: %w", err)
	}
	if entries, err = s.Entries.ListEntries(ctx, doc.OrgID, doc.ID); err != nil {
		return nil, fmt.Errorf("list entries: %w", err)
	}
	for name, st := range inkform.EntryStates(entries) {
		if _, typed := blind[name]; typed && st.State.Settled() {
			// The value that stands may be the other person's typing
			// (equal as JSON) or the decider's: checked as typed.
			fv, _ := personValue(form.Field(name), st.Value)
			set[name] = fv
		}
	}
	return set, nil
}

// hasDoubleEntry reports whether any of the values is of a double-entry
// field, so entries are read only when they matter.
func hasDoubleEntry(form *inkform.Form, values map[string]inkform.FieldValue) bool {
	for name := range values {
		if f := form.Field(name); f != nil && f.DoubleEntry {
			return true
		}
	}
	return false
}
