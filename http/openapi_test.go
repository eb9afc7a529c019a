package http

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// specOperation is the part of an OpenAPI operation the tests check.
type specOperation struct {
	OperationID string                `json:"operationId"`
	Permission  string                `json:"x-permission"`
	Security    []map[string][]string `json:"security"`
	Parameters  []struct {
		Ref  string `json:"$ref"`
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
	Responses map[string]struct {
		Ref string `json:"$ref"`
	} `json:"responses"`
}

func loadSpec(t *testing.T) (paths map[string]map[string]specOperation, raw map[string]any) {
	t.Helper()
	var spec struct {
		OpenAPI string                              `json:"openapi"`
		Paths   map[string]map[string]specOperation `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPI(), &spec); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(spec.OpenAPI, "3.1") {
		t.Errorf("openapi version %q", spec.OpenAPI)
	}
	if err := json.Unmarshal(OpenAPI(), &raw); err != nil {
		t.Fatal(err)
	}
	return spec.Paths, raw
}

// TestOpenAPICoversRoutes fails when a registered route is missing from the
// spec or the spec describes a route the server does not register, and
// checks each operation's permission, security and path parameters against
// the route table.
func TestOpenAPICoversRoutes(t *testing.T) {
	t.Parallel()
	paths, _ := loadSpec(t)
	srv := &Server{}
	registered := map[string]bool{}
	pathParam := regexp.MustCompile(`\{([a-z]+)\}`)
	for _, rt := range srv.routes() {
		registered[rt.pattern()] = true
		op, ok := paths[rt.path][strings.ToLower(rt.method)]
		if !ok {
			t.Errorf("%s is not in openapi.json", rt.pattern())
			continue
		}
		if op.Permission != string(rt.perm) {
			t.Errorf("%s: x-permission %q, route needs %q", rt.pattern(), op.Permission, rt.perm)
		}
		public := len(op.Security) == 0
		if public != (rt.perm == "") {
			t.Errorf("%s: security %v, permission %q", rt.pattern(), op.Security, rt.perm)
		}
		if rt.perm != "" && (op.Responses["401"].Ref == "" || op.Responses["403"].Ref == "") {
			t.Errorf("%s: 401 and 403 responses are not described", rt.pattern())
		}
		for _, m := range pathParam.FindAllStringSubmatch(rt.path, -1) {
			found := slices.ContainsFunc(op.Parameters, func(p struct {
				Ref  string `json:"$ref"`
				Name string `json:"name"`
				In   string `json:"in"`
			}) bool {
				return (p.Name == m[1] && p.In == "path") || p.Ref == "#/components/parameters/"+m[1]
			})
			if !found {
				t.Errorf("%s: path parameter %s is not declared", rt.pattern(), m[1])
			}
		}
	}
	for path, ops := range paths {
		for method := range ops {
			if p := strings.ToUpper(method) + " " + path; !registered[p] {
				t.Errorf("openapi.json describes %s, which the server does not register", p)
			}
		}
	}
}

// TestOpenAPIRefsResolve checks that every $ref points into the document.
func TestOpenAPIRefsResolve(t *testing.T) {
	t.Parallel()
	_, raw := loadSpec(t)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				var node any = raw
				for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
					m, _ := node.(map[string]any)
					node = m[part]
				}
				if node == nil {
					t.Errorf("unresolved $ref %s", ref)
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(raw)
}

func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.do(t, "", "GET", "/api/v1/openapi.json", "", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" || w.Body.String() != string(OpenAPI()) {
		t.Errorf("%d %s", w.Code, w.Header().Get("Content-Type"))
	}
	// The permissions named in the spec are real ones.
	paths, _ := loadSpec(t)
	for path, ops := range paths {
		for method, op := range ops {
			if op.Permission != "" && !inkform.RoleAdmin.Can(inkform.Permission(op.Permission)) {
				t.Errorf("%s %s: unknown permission %q", method, path, op.Permission)
			}
		}
	}
}
