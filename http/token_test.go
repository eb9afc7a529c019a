package http

import (
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

func TestTokenCreateAndUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.do(t, inkform.RoleAdmin, "POST", "/api/v1/tokens", "application/json", `{"role": "gateway", "name": " pen gateway 1 "}`)
	var res struct {
		Token  inkform.Token `json:"token"`
		Secret string        `json:"secret"`
	}
	decodeJSONBody(t, w, &res)
	if w.Code != 201 || res.Token.Role != inkform.RoleGateway || res.Token.Name != "pen gateway 1" ||
		!strings.HasPrefix(res.Secret, inkform.TokenPrefix) || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("%d %+v", w.Code, res)
	}
	e.secrets["new"] = res.Secret
	if w := e.do(t, "new", "POST", "/api/v1/ink", "application/inkml+xml", testInkML); w.Code != 202 {
		t.Errorf("new token submitting ink: %d", w.Code)
	}

	var list struct{ Tokens []inkform.Token }
	w = e.do(t, inkform.RoleAdmin, "GET", "/api/v1/tokens", "", "")
	decodeJSONBody(t, w, &list)
	if len(list.Tokens) != len(inkform.Roles())+1 {
		t.Errorf("%d tokens listed", len(list.Tokens))
	}
	for _, s := range e.secrets {
		if strings.Contains(w.Body.String(), s) {
			t.Errorf("token list shows a secret")
		}
	}
}

func TestTokenCreateProblems(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		body   string
		status int
		paths  []string
	}{
		{`{"role": "superuser", "name": "x"}`, 422, []string{"role"}},
		{`{"role": "admin", "name": ""}`, 422, []string{"name"}},
		{`{"role": "", "name": "` + strings.Repeat("n", 201) + `"}`, 422, []string{"role", "name"}},
		{`{"role": "admin", "name": "x", "scopes": []}`, 400, []string{"scopes"}},
	}
	for _, tt := range tests {
		w := e.do(t, inkform.RoleAdmin, "POST", "/api/v1/tokens", "application/json", tt.body)
		p := decodeProblem(t, w)
		if w.Code != tt.status || len(p.Problems) != len(tt.paths) {
			t.Errorf("%s: %d %+v", tt.body, w.Code, p)
			continue
		}
		for i, path := range tt.paths {
			if p.Problems[i].Path != path {
				t.Errorf("%s: problem %d is %q, want %q", tt.body, i, p.Problems[i].Path, path)
			}
		}
	}
	if w := e.do(t, inkform.RoleAdmin, "DELETE", "/api/v1/tokens/"+inkform.NewID(), "", ""); w.Code != 404 {
		t.Errorf("deleting an unknown token: %d", w.Code)
	}
}
