package ui

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/inkform/inkform"
)

// tokenRow is one API token of the list. Nothing of its secret is shown
// but the hint its first characters make, which cannot be used.
type tokenRow struct {
	*inkform.Token
	Expired bool
}

// tokenForm is the new-token form: what was typed, kept after an error.
type tokenForm struct {
	Name    string
	Role    inkform.Role
	Expires string // YYYY-MM-DD, UTC; "" never
}

// handleTokenList serves GET /tokens: the org's API tokens, newest first,
// with the form that makes a new one.
func (s *Server) handleTokenList(w http.ResponseWriter, r *http.Request, v *visit) error {
	page, err := s.tokensPage(r, v, tokenForm{Role: inkform.RoleGateway})
	if err != nil {
		return err
	}
	if r.URL.Query().Get("revoked") == "1" {
		page.Notice = "The token is revoked: inkform refuses it from now on."
	}
	s.render(w, r, http.StatusOK, "tokens", page)
	return nil
}

// tokensPage is the tokens list with the new-token form filled in as f.
func (s *Server) tokensPage(r *http.Request, v *visit, f tokenForm) (*view, error) {
	list, err := s.Tokens.ListTokens(r.Context(), v.Org.ID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	now := s.now()
	rows := make([]tokenRow, len(list))
	for i, t := range list {
		rows[i] = tokenRow{Token: t, Expired: !t.Live(now)}
	}
	slices.SortStableFunc(rows, func(a, b tokenRow) int { return cmp.Compare(b.CreatedAt.UnixNano(), a.CreatedAt.UnixNano()) })
	return &view{Title: "API tokens", Visit: v, CSRF: v.CSRF, Accounts: &accountsView{
		Roles: inkform.Roles(), Tokens: rows, NewToken: f, Tomorrow: tomorrow(now),
	}}, nil
}

// readExpiry reads the new-token form's expiry date: "" is never, any
// other value a day after today (UTC), when the token stops working at
// midnight UTC.
func readExpiry(s string, now time.Time) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	day, err := time.Parse(time.DateOnly, s)
	if err != nil || !day.After(now) {
		return time.Time{}, false
	}
	return day, true
}
