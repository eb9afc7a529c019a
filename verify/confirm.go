package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/inkform/inkform"
)

// groupItem is one document of a group confirmation with the value it
// gets.
type groupItem struct {
	doc   *inkform.Document
	form  *inkform.Form
	value inkform.FieldValue
}

// Confirm implements inkform.VerificationService. Every document is
// checked before any is changed: a corrected value that breaks a rule, a
// document of another form or one another person holds refuses the whole
// screen. A value confirmed as read keeps the problems of the rules it
// breaks, so that document stays waiting. Double-entry fields are never
// confirmed in a group: the second person would see the first's value.
func (s *Service) Confirm(ctx context.Context, orgID, formID, field, actor string, docIDs []string, raw map[string]json.RawMessage) ([]string, error) {
	if len(docIDs) == 0 || len(docIDs) > inkform.MaxGroupSize {
		return nil, inkform.Errorf(inkform.EINVALID, "a group has 1 to %d documents, not %d", inkform.MaxGroupSize, len(docIDs))
	}
	for id := range raw {
		if !slices.Contains(docIDs, id) {
			return nil, inkform.Errorf(inkform.EINVALID, "a corrected value for %s, which is not in the group", id)
		}
	}
	form, err := s.Forms.FindForm(ctx, orgID, formID)
	if err != nil {
		return nil, err
	}
	f := form.Field(field)
	switch {
	case f == nil:
		return nil, inkform.Errorf(inkform.EINVALID, "%s is not a field of form %s", field, formID)
	case f.DoubleEntry:
		return nil, inkform.Errorf(inkform.EUNPROCESSABLE, "%s is typed twice, blind (double entry): verify it one document at a time", field)
	}
	items, problems := make([]groupItem, 0, len(docIDs)), []inkform.Problem{}
	for _, id := range docIDs {
		it, ps, err := s.groupItem(ctx, orgID, formID, field, actor, id, raw[id])
		if err != nil {
			return nil, err
		}
		problems = append(problems, ps...)
		items = append(items, it)
	}
	if len(problems) > 0 {
		return nil, inkform.ValuesError(problems)
	}
	approved := []string{}
	for _, it := range items {
		ok, err := s.confirmOne(ctx, it, field, actor)
		if err != nil {
			return approved, err
		}
		if ok {
			approved = append(approved, it.doc.ID)
		}
	}
	return approved, nil
}

// groupItem loads one document of a group, holds the actor's lease on it
// and works out its value: the correction when there is one (its problems
// named by document), else the value read, confirmed by a person.
func (s *Service) groupItem(ctx context.Context, orgID, formID, field, actor, id string, raw json.RawMessage) (groupItem, []inkform.Problem, error) {
	doc, form, err := s.load(ctx, orgID, id, actor)
	if err != nil {
		return groupItem{}, nil, err
	}
	if doc.FormID != formID {
		return groupItem{}, nil, inkform.Errorf(inkform.EINVALID, "document %s is not of form %s", id, formID)
	}
	if raw == nil {
		fv, _ := personValue(form.Field(field), doc.Fields[field].Value)
		// A value that breaks a rule was seen and kept as written; its
		// problems keep the document waiting.
		fv.Problems = form.Field(field).Check(fv.Value)
		if fv.Problems == nil {
			fv.Problems = []string{}
		}
		fv.Valid = len(fv.Problems) == 0
		return groupItem{doc: doc, form: form, value: fv}, nil, nil
	}
	values, problems := verifierValues(&form.FormTemplate, map[string]json.RawMessage{field: raw})
	if problems, err = s.checkCorrections(ctx, orgID, doc, form, values, problems); err != nil {
		return groupItem{}, nil, err
	}
	for i := range problems {
		problems[i].Path = "documents." + id + "." + problems[i].Path
	}
	return groupItem{doc: doc, form: form, value: values[field]}, problems, nil
}

// confirmOne sets the field of one document, approves it when nothing of it
// is doubtful any more and the approval rules pass, and ends the actor's
// lease; it reports whether the document was approved.
func (s *Service) confirmOne(ctx context.Context, it groupItem, field, actor string) (bool, error) {
	doc, err := s.Updater.UpdateFields(ctx, it.doc.OrgID, it.doc.ID, map[string]inkform.FieldValue{field: it.value},
		actor, "verifier "+actor+" confirmed "+field+" in a group")
	if err != nil {
		return false, fmt.Errorf("update fields: %w", err)
	}
	approve := doc.Status == inkform.StatusNeedsVerification
	for i := range it.form.Fields {
		if it.form.Doubtful(doc.Fields[it.form.Fields[i].Name]) {
			approve = false
		}
	}
	if approve {
		problems, err := s.approvalProblems(ctx, doc, it.form)
		if err != nil {
			return false, err
		}
		if len(problems) == 0 {
			if _, err := s.approve(ctx, doc, actor); err != nil {
				return false, err
			}
			return true, nil
		}
	}
	if err := s.Leases.ReleaseLease(ctx, doc.OrgID, doc.ID, actor); err != nil {
		return false, fmt.Errorf("release lease: %w", err)
	}
	return false, nil
}
