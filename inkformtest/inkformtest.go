// Package inkformtest holds conformance suites for implementations of the
// root package's service interfaces, the way River runs one driver suite
// against every database driver. Each Exercise function states the
// promises of an interface's doc comments as cases that can fail.
// sqlstore runs them on SQLite, PostgreSQL and MySQL/MariaDB, and package
// fake on its in-memory fakes, so the store and the fakes other packages
// test against keep one contract.
//
// A suite asks newStores for the services of each case. Every case works
// in orgs, forms and job queues of its own, so newStores may return the
// same services each time (sqlstore shares one database per engine); the
// one exception is noted on ExerciseJobQueue.
package inkformtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// Stores are the services a suite works through. Each suite names the
// fields it needs; the others may be nil.
type Stores struct {
	Orgs          inkform.OrgService
	Tokens        inkform.TokenService
	Users         inkform.UserService
	Sessions      inkform.SessionStore
	Forms         inkform.FormService
	Documents     inkform.DocumentService
	Subscriptions inkform.SubscriptionStore
	Audit         inkform.AuditLog
	Queue         inkform.JobQueue
	Jobs          inkform.JobService
	Updater       inkform.DocumentUpdater
	Leases        inkform.LeaseStore
	Entries       inkform.EntryStore

	// NewDocument stores a document of form (a copied-pattern form of
	// one page, made through Forms) with ink on that page, and moves it
	// to status; it returns the document as FindDocument does. Making
	// documents is capture's work, which no interface of the suites
	// covers, so the caller provides it.
	NewDocument func(t *testing.T, form *inkform.Form, status inkform.DocumentStatus) *inkform.Document
}

// NewStores returns the services for one case; see the package doc.
type NewStores func(t *testing.T) Stores

// ExerciseAll runs every suite of the package, each as a parallel subtest
// named after its interface, for an implementation of them all.
func ExerciseAll(t *testing.T, newStores NewStores) {
	for _, s := range []struct {
		name     string
		exercise func(*testing.T, NewStores)
	}{
		{"OrgService", ExerciseOrgService},
		{"TokenService", ExerciseTokenService},
		{"UserService", ExerciseUserService},
		{"TokenExpiry", ExerciseTokenExpiry},
		{"UserAdmin", ExerciseUserAdmin},
		{"SessionStore", ExerciseSessionStore},
		{"FormService", ExerciseFormService},
		{"DocumentService", ExerciseDocumentService},
		{"SubscriptionStore", ExerciseSubscriptionStore},
		{"AuditLog", ExerciseAuditLog},
		{"JobQueue", ExerciseJobQueue},
		{"LeaseStore", ExerciseLeaseStore},
		{"EntryStore", ExerciseEntryStore},
	} {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			s.exercise(t, newStores)
		})
	}
}

// suiteCase is one named case of a suite.
type suiteCase struct {
	name string
	run  func(t *testing.T, s Stores)
}

// run runs each case as a parallel subtest with services of its own.
func run(t *testing.T, newStores NewStores, cases []suiteCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t, newStores(t))
		})
	}
}

// need fails the case unless the services it uses are set.
func need(t *testing.T, what string, ok bool) {
	t.Helper()
	if !ok {
		t.Fatalf("Stores.%s is needed by this suite", what)
	}
}

// wantCode fails unless err carries the domain error code.
func wantCode(t testing.TB, what string, err error, code string) {
	t.Helper()
	if got := inkform.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

// unique returns prefix followed by random hex, for names no other case
// (or earlier run on a shared database) uses.
func unique(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// newOrg creates an org of its own for a case.
func newOrg(t testing.TB, orgs inkform.OrgService) *inkform.Org {
	t.Helper()
	o, err := orgs.CreateOrg(context.Background(), unique("org "))
	if err != nil {
		t.Fatalf("create org: %v", err)
	}
	return o
}

// template returns a valid template of the pattern with pages pages (no
// addresses) and a text and a checkbox field on page 1.
func template(name string, pattern inkform.PatternMode, pages int) *inkform.FormTemplate {
	t := &inkform.FormTemplate{Name: name, Pattern: pattern}
	for range pages {
		t.Pages = append(t.Pages, inkform.PageSpec{Size: inkform.Size{W: 210, H: 297}})
	}
	t.Fields = []inkform.Field{
		{Name: "patient", Type: inkform.FieldText, Page: 1, Box: &inkform.Box{X: 20, Y: 20, W: 100, H: 10}},
		{Name: "urgent", Type: inkform.FieldCheckbox, Page: 1, Box: &inkform.Box{X: 150, Y: 20, W: 5, H: 5}},
	}
	return t
}

// newForm creates a form of the org from template(name, pattern, pages).
func newForm(t testing.TB, forms inkform.FormService, orgID, name string, pattern inkform.PatternMode, pages int) *inkform.Form {
	t.Helper()
	f, err := forms.CreateForm(context.Background(), orgID, template(name, pattern, pages))
	if err != nil {
		t.Fatalf("create form: %v", err)
	}
	return f
}

// nextMillisecond waits until the clock has moved to another millisecond,
// so that IDs made before and after sort in that order: IDs order by
// creation time only to the millisecond.
func nextMillisecond() { time.Sleep(2 * time.Millisecond) }

// dbTime is t as stores keep it: UTC, to the microsecond.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
