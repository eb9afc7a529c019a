package inkform_test

import (
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

func TestNewID(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	prev := ""
	for i := 0; i < 1000; i++ {
		id := inkform.NewID()
		if !inkform.ValidID(id) {
			t.Fatalf("NewID() = %q is not ValidID", id)
		}
		if id[14] != '7' {
			t.Fatalf("NewID() = %q is not version 7", id)
		}
		if seen[id] {
			t.Fatalf("duplicate ID %q", id)
		}
		seen[id] = true
		// The first 48 bits are the millisecond time, so IDs never sort
		// before an earlier one by more than the random tail.
		if prev != "" && id[:13] < prev[:13] {
			t.Fatalf("ID %q sorts before earlier %q", id, prev)
		}
		prev = id
	}
	for _, bad := range []string{"", "x", strings.Repeat("a", 36), "0190a0c0-0000-7000-8000-00000000000G", "0190A0C0-0000-7000-8000-000000000000"} {
		if inkform.ValidID(bad) {
			t.Errorf("ValidID(%q) = true", bad)
		}
	}
}

func TestRolePermissions(t *testing.T) {
	t.Parallel()
	for _, p := range []inkform.Permission{inkform.PermFormsRead, inkform.PermDocumentsRead, inkform.PermDigitalSubmit, inkform.PermTokensManage} {
		if inkform.RoleGateway.Can(p) {
			t.Errorf("gateway can %s; it may only submit ink", p)
		}
	}
	if !inkform.RoleGateway.Can(inkform.PermInkSubmit) {
		t.Error("gateway cannot submit ink")
	}
	if inkform.RoleVerifier.Can(inkform.PermFormsWrite) || inkform.RoleDesigner.Can(inkform.PermDocumentsVerify) {
		t.Error("verifier/designer permissions overlap")
	}
	if inkform.Role("root").Valid() || inkform.Role("root").Can(inkform.PermFormsRead) {
		t.Error("an unknown role is valid or has permissions")
	}
}

// TestRolesIsFresh checks that Roles lists only valid roles, most powerful
// first, and that a caller changing the list cannot change it for others.
func TestRolesIsFresh(t *testing.T) {
	t.Parallel()
	roles := inkform.Roles()
	if len(roles) != 5 || roles[0] != inkform.RoleAdmin {
		t.Fatalf("Roles() = %v, want five with admin first", roles)
	}
	for _, r := range roles {
		if !r.Valid() {
			t.Errorf("Roles() lists %q, which is not valid", r)
		}
	}
	roles[0] = "root"
	if got := inkform.Roles()[0]; got != inkform.RoleAdmin {
		t.Fatalf("after a caller changed its copy, Roles()[0] = %q", got)
	}
}

func TestTokenSecret(t *testing.T) {
	t.Parallel()
	a, b := inkform.NewTokenSecret(), inkform.NewTokenSecret()
	if a == b || !strings.HasPrefix(a, inkform.TokenPrefix) || len(a) < 36 {
		t.Fatalf("secrets %q, %q", a, b)
	}
	if inkform.HashTokenSecret(a) == inkform.HashTokenSecret(b) || len(inkform.HashTokenSecret(a)) != 64 {
		t.Error("hashes of different secrets are equal or not hex SHA-256")
	}
	if h := inkform.TokenHint(a); !strings.HasPrefix(a, h) || len(h) >= len(a)/2 {
		t.Errorf("hint %q reveals too much of the secret", h)
	}
}

func TestListLimit(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want int }{
		{-1, inkform.DefaultListLimit}, {0, inkform.DefaultListLimit}, {1, 1}, {500, 500}, {501, inkform.MaxListLimit},
	} {
		if got := inkform.ListLimit(tt.in); got != tt.want {
			t.Errorf("ListLimit(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
