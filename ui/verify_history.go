package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/inkform/inkform"
)

// historyRow is one line of a document's history: a field's value or the
// document's status changed.
type historyRow struct {
	At       time.Time
	Who      string
	What     string // the field's name, or "status"
	From, To string
	Cause    string
}

// maxNeighbourScan bounds the waiting documents read to find the one
// before this one, so the link costs little on a long queue.
const maxNeighbourScan = 500

// history merges a document's field changes and status changes, oldest
// first, naming people by their e-mail address.
func (s *Server) history(ctx context.Context, v *visit, docID string) ([]historyRow, error) {
	changes, err := s.Entries.ListFieldChanges(ctx, v.Org.ID, docID)
	if err != nil {
		return nil, fmt.Errorf("list field changes: %w", err)
	}
	statuses, err := s.Documents.ListStatusChanges(ctx, v.Org.ID, docID)
	if err != nil {
		return nil, fmt.Errorf("list status changes: %w", err)
	}
	names := map[string]string{}
	var rows []historyRow
	for _, c := range changes {
		rows = append(rows, historyRow{At: c.At, Who: s.who(ctx, v, c.By, c.Source, names), What: c.Field,
			From: inkform.ValueText(c.From), To: inkform.ValueText(c.To), Cause: c.Cause})
	}
	for _, c := range statuses {
		rows = append(rows, historyRow{At: c.At, Who: "inkform", What: "status",
			From: statusText(c.From), To: statusText(c.To), Cause: c.Cause})
	}
	slices.SortStableFunc(rows, func(a, b historyRow) int { return a.At.Compare(b.At) })
	return rows, nil
}

// who names the author of a change: the engine, or a person by e-mail
// address when the org knows the ID (else the ID, e.g. an API token's).
func (s *Server) who(ctx context.Context, v *visit, by string, src inkform.ValueSource, names map[string]string) string {
	if by == "" {
		switch src {
		case inkform.SourceICR, inkform.SourcePen:
			return "the engine"
		case inkform.SourceDigital:
			return "the device"
		}
		return "inkform"
	}
	if n, ok := names[by]; ok {
		return n
	}
	n := by
	if u, err := s.Users.FindUserByID(ctx, v.Org.ID, strings.TrimPrefix(by, "user ")); err == nil {
		n = u.Email
	}
	names[by] = n
	return n
}

// statusText writes a status for people.
func statusText(st inkform.DocumentStatus) string {
	switch st {
	case "":
		return "—"
	case inkform.StatusNeedsVerification:
		return "needs verification"
	}
	return string(st)
}

// neighbours returns the station URLs of the waiting documents of the
// same form just before and just after doc ("" where there is none).
func (s *Server) neighbours(ctx context.Context, orgID string, doc *inkform.Document) (prev, next string, err error) {
	filter := inkform.DocumentFilter{FormID: doc.FormID, Status: inkform.StatusNeedsVerification, After: doc.ID, Limit: 1}
	after, _, err := s.Documents.ListDocuments(ctx, orgID, filter)
	if err != nil {
		return "", "", fmt.Errorf("list documents: %w", err)
	}
	if len(after) > 0 {
		next = stationURL(after[0].ID)
	}
	filter = inkform.DocumentFilter{FormID: doc.FormID, Status: inkform.StatusNeedsVerification, Limit: 50}
	for seen := 0; seen < maxNeighbourScan; {
		docs, cursor, err := s.Documents.ListDocuments(ctx, orgID, filter)
		if err != nil {
			return "", "", fmt.Errorf("list documents: %w", err)
		}
		for _, d := range docs {
			if d.ID >= doc.ID {
				return prev, next, nil
			}
			prev = stationURL(d.ID)
		}
		seen += len(docs)
		if cursor == "" {
			break
		}
		filter.After = cursor
	}
	return prev, next, nil
}

// stationURL is the station's page of a document.
func stationURL(docID string) string { return "/verify/documents/" + docID }
