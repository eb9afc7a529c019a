package sqlstore_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The log's behaviour is in the AuditLog suite of inkformtest
// (contract_test.go); this file checks what only the source can show.

// TestAuditLogAppendOnly fails when any statement of the store could change
// or remove an audit event: the log's worth is that nobody can edit it.
func TestAuditLogAppendOnly(t *testing.T) {
	t.Parallel()
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	edit := regexp.MustCompile(`(?i)(update|delete\s+from|truncate(\s+table)?|replace\s+into)\s+audit_events`)
	checked := 0
	for _, f := range files {
		name := f.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		if m := edit.Find(src); m != nil {
			t.Errorf("%s changes audit events: %q", name, m)
		}
	}
	if checked == 0 {
		t.Fatal("no source files checked")
	}
}
