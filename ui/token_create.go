package ui

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/inkform/inkform"
)

// maxTokenName bounds a token's name, a label for people (as the API).
const maxTokenName = 200

// handleTokenCreate serves POST /tokens: a new API token for the org. The
// answer (201) is the one page that shows its secret; it is not stored,
// logged or shown again, and no cache keeps the page (withHeaders).
func (s *Server) handleTokenCreate(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := tokenForm{Name: strings.TrimSpace(r.PostFormValue("name")), Role: inkform.Role(r.PostFormValue("role")),
		Expires: strings.TrimSpace(r.PostFormValue("expires"))}
	var wrong []string
	if f.Name == "" || utf8.RuneCountInString(f.Name) > maxTokenName {
		wrong = append(wrong, fmt.Sprintf("Give the token a name of 1 to %d characters, say where it is used.", maxTokenName))
	}
	if !f.Role.Valid() {
		wrong = append(wrong, "Choose one of the roles listed.")
	}
	expires, ok := readExpiry(f.Expires, s.now())
	if !ok {
		wrong = append(wrong, "The expiry must be a date after today, or empty for a token that does not expire.")
	}
	if len(wrong) > 0 {
		page, err := s.tokensPage(r, v, f)
		if err != nil {
			return err
		}
		page.Error = strings.Join(wrong, " ")
		s.render(w, r, http.StatusUnprocessableEntity, "tokens", page)
		return nil
	}
	tok, secret, err := s.Tokens.CreateTokenUntil(r.Context(), v.Org.ID, f.Role, f.Name, expires)
	if err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	s.auditCommitted(r, v, inkform.AuditTokenCreate, inkform.AuditObject{Kind: "token", ID: tok.ID}, "role "+string(tok.Role))
	s.render(w, r, http.StatusCreated, "token_new", &view{Title: "New API token", Visit: v, CSRF: v.CSRF,
		Accounts: &accountsView{Token: tok, Secret: secret}})
	return nil
}
