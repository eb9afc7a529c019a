package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/inkform/inkform/passwd"
)

// TestDemoUser checks that the first demo start makes a console user and
// shows its password once, which signs it in, and that later starts say
// so without making another.
func TestDemoUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, org, _ := openSampleStore(t, "sqlite:"+filepath.Join(t.TempDir(), "inkform.db"), nil)
	first, err := demoUser(ctx, db, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`the password (\S+) \(shown only now\)`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("first start says %q; want a password", first)
	}
	u, err := db.FindUserByEmail(ctx, org.ID, demoEmail)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := passwd.Verify(m[1], u.PasswordHash); !ok || err != nil {
		t.Errorf("the shown password does not sign in: %v %v", ok, err)
	}
	again, err := demoUser(ctx, db, org.ID)
	if err != nil || strings.Contains(again, m[1]) || !strings.Contains(again, "first demo start") {
		t.Errorf("second start says %q (%v)", again, err)
	}
}
