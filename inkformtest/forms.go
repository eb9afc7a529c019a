package inkformtest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// ExerciseFormService runs the FormService contract against Forms, with
// orgs made through Orgs. Page addresses a template leaves empty come from
// the org's PatternPool, as the Org type promises.
func ExerciseFormService(t *testing.T, newStores NewStores) {
	run(t, newStores, []suiteCase{
		{"Create", testFormCreate},
		{"CreateRefuses", testFormCreateRefuses},
		{"AddressConflict", testFormAddressConflict},
		{"Update", testFormUpdate},
		{"Isolation", testFormIsolation},
		{"List", testFormList},
		{"Copies", testFormCopies},
	})
}

func formStores(t *testing.T, s Stores) *inkform.Org {
	t.Helper()
	need(t, "Orgs", s.Orgs != nil)
	need(t, "Forms", s.Forms != nil)
	return newOrg(t, s.Orgs)
}

// wantResolves fails unless address resolves in the org to page of the
// form's version (and copy).
func wantResolves(t *testing.T, forms inkform.FormService, orgID, address string, want inkform.PageRef) {
	t.Helper()
	got, err := forms.ResolveAddress(context.Background(), orgID, address)
	want.Address = address
	if err != nil || *got != want {
		t.Errorf("ResolveAddress(%s) = %+v, %v; want %+v", address, got, err, want)
	}
}

func testFormCreate(t *testing.T, s Stores) {
	org := formStores(t, s)
	tpl := template(" Visit report ", "", 2)
	tpl.ConfidenceThreshold = 0
	f, err := s.Forms.CreateForm(context.Background(), org.ID, tpl)
	if err != nil {
		t.Fatal(err)
	}
	if !inkform.ValidID(f.ID) || f.OrgID != org.ID || f.Version != 1 || f.CreatedAt.IsZero() || !f.UpdatedAt.Equal(f.CreatedAt) {
		t.Errorf("created %+v; want version 1 of the org with its times", f)
	}
	// Stored normalized, as Normalize describes.
	if f.Name != "Visit report" || f.Pattern != inkform.PatternCopied || f.ConfidenceThreshold != inkform.DefaultConfidenceThreshold ||
		len(f.Fields) != 2 || f.Field("urgent") == nil {
		t.Errorf("created template %+v; want it normalized", f.FormTemplate)
	}
	a, b := f.Pages[0].Address, f.Pages[1].Address
	if a == b || !strings.HasPrefix(a, org.PatternPool+".") || !strings.HasPrefix(b, org.PatternPool+".") {
		t.Errorf("allocated addresses %q and %q; want two from the pool %s", a, b, org.PatternPool)
	}
	for i, p := range f.Pages {
		wantResolves(t, s.Forms, org.ID, p.Address, inkform.PageRef{FormID: f.ID, FormVersion: 1, Page: i + 1})
	}
	g := newForm(t, s.Forms, org.ID, "Second", inkform.PatternCopied, 1)
	if p := g.Pages[0].Address; p == a || p == b {
		t.Errorf("the second form got address %s of the first", p)
	}
	got, err := s.Forms.FindForm(context.Background(), org.ID, f.ID)
	if err != nil || got.ID != f.ID || got.Version != 1 || got.Name != f.Name || !slices.Equal(got.Pages, f.Pages) ||
		!got.CreatedAt.Equal(f.CreatedAt) {
		t.Errorf("FindForm = %+v, %v; want %+v", got, err, f)
	}
}

func testFormCreateRefuses(t *testing.T, s Stores) {
	org := formStores(t, s)
	ctx := context.Background()
	bad := template("", inkform.PatternCopied, 1)
	_, err := s.Forms.CreateForm(ctx, org.ID, bad)
	wantCode(t, "a template without a name", err, inkform.EUNPROCESSABLE)
	if list, _ := s.Forms.ListForms(ctx, org.ID, inkform.FormFilter{}); len(list) != 0 {
		t.Errorf("a refused template was stored: %+v", list)
	}
}

func testFormAddressConflict(t *testing.T, s Stores) {
	org := formStores(t, s)
	other := newOrg(t, s.Orgs)
	ctx := context.Background()
	addr := "7.1.2.3" // outside every pool; the orgs are the case's own
	tpl := template("Named address", inkform.PatternCopied, 1)
	tpl.Pages[0].Address = addr
	first, err := s.Forms.CreateForm(ctx, org.ID, tpl)
	if err != nil {
		t.Fatal(err)
	}
	if first.Pages[0].Address != addr {
		t.Fatalf("the named address became %q", first.Pages[0].Address)
	}
	_, err = s.Forms.CreateForm(ctx, org.ID, tpl)
	wantCode(t, "an address another form of the org has", err, inkform.ECONFLICT)
	if list, _ := s.Forms.ListForms(ctx, org.ID, inkform.FormFilter{}); len(list) != 1 {
		t.Errorf("the org has %d forms after the conflict, want 1", len(list))
	}
	wantResolves(t, s.Forms, org.ID, addr, inkform.PageRef{FormID: first.ID, FormVersion: 1, Page: 1})
	// Another org may use the address: addresses are the org's own.
	theirs, err := s.Forms.CreateForm(ctx, other.ID, tpl)
	if err != nil {
		t.Fatalf("another org with the same address: %v", err)
	}
	wantResolves(t, s.Forms, other.ID, addr, inkform.PageRef{FormID: theirs.ID, FormVersion: 1, Page: 1})
}

func testFormUpdate(t *testing.T, s Stores) {
	org := formStores(t, s)
	ctx := context.Background()
	f := newForm(t, s.Forms, org.ID, "Version one", inkform.PatternCopied, 2)
	nextMillisecond()
	tpl := template("Version two", inkform.PatternCopied, 2)
	v2, err := s.Forms.UpdateForm(ctx, org.ID, f.ID, tpl)
	if err != nil {
		t.Fatal(err)
	}
	if v2.ID != f.ID || v2.Version != 2 || v2.Name != "Version two" || !v2.CreatedAt.Equal(f.CreatedAt) || v2.UpdatedAt.Before(f.UpdatedAt) {
		t.Errorf("updated %+v; want version 2 with the form's creation time", v2)
	}
	// Printed pages keep working: empty addresses keep their page's.
	if !slices.Equal(v2.Pages, f.Pages) {
		t.Errorf("pages became %+v, were %+v", v2.Pages, f.Pages)
	}
	wantResolves(t, s.Forms, org.ID, f.Pages[1].Address, inkform.PageRef{FormID: f.ID, FormVersion: 2, Page: 2})
	if latest, err := s.Forms.FindForm(ctx, org.ID, f.ID); err != nil || latest.Version != 2 || latest.Name != "Version two" {
		t.Errorf("FindForm = %+v, %v; want version 2", latest, err)
	}
	for v, name := range map[int]string{1: "Version one", 2: "Version two"} {
		got, err := s.Forms.FindFormVersion(ctx, org.ID, f.ID, v)
		if err != nil || got.Version != v || got.Name != name || got.ID != f.ID {
			t.Errorf("FindFormVersion(%d) = %+v, %v; want %q", v, got, err, name)
		}
	}
	for _, v := range []int{0, 3, -1} {
		_, err := s.Forms.FindFormVersion(ctx, org.ID, f.ID, v)
		wantCode(t, "a version that does not exist", err, inkform.ENOTFOUND)
	}
	_, err = s.Forms.UpdateForm(ctx, org.ID, inkform.NewID(), tpl)
	wantCode(t, "update of an unknown form", err, inkform.ENOTFOUND)
	_, err = s.Forms.UpdateForm(ctx, org.ID, f.ID, template("", inkform.PatternCopied, 1))
	wantCode(t, "update with a bad template", err, inkform.EUNPROCESSABLE)
	if latest, _ := s.Forms.FindForm(ctx, org.ID, f.ID); latest == nil || latest.Version != 2 {
		t.Errorf("a refused update changed the form: %+v", latest)
	}
}

func testFormIsolation(t *testing.T, s Stores) {
	org := formStores(t, s)
	other := newOrg(t, s.Orgs)
	ctx := context.Background()
	f := newForm(t, s.Forms, org.ID, "Ours", inkform.PatternCopied, 1)
	_, err := s.Forms.FindForm(ctx, other.ID, f.ID)
	wantCode(t, "FindForm by another org", err, inkform.ENOTFOUND)
	_, err = s.Forms.FindFormVersion(ctx, other.ID, f.ID, 1)
	wantCode(t, "FindFormVersion by another org", err, inkform.ENOTFOUND)
	_, err = s.Forms.UpdateForm(ctx, other.ID, f.ID, template("Theirs", inkform.PatternCopied, 1))
	wantCode(t, "UpdateForm by another org", err, inkform.ENOTFOUND)
	_, err = s.Forms.CreateCopies(ctx, other.ID, f.ID, 1)
	wantCode(t, "CreateCopies by another org", err, inkform.ENOTFOUND)
	_, err = s.Forms.ResolveAddress(ctx, other.ID, f.Pages[0].Address)
	wantCode(t, "ResolveAddress by another org", err, inkform.ENOTFOUND)
	_, err = s.Forms.ResolveAddress(ctx, org.ID, "1.2.3.4")
	wantCode(t, "ResolveAddress of an unused address", err, inkform.ENOTFOUND)
	_, err = s.Forms.FindForm(ctx, org.ID, inkform.NewID())
	wantCode(t, "FindForm of an unknown form", err, inkform.ENOTFOUND)
	if list, err := s.Forms.ListForms(ctx, other.ID, inkform.FormFilter{}); err != nil || len(list) != 0 {
		t.Errorf("another org lists %+v (%v)", list, err)
	}
}

func testFormList(t *testing.T, s Stores) {
	org := formStores(t, s)
	ctx := context.Background()
	var want []string
	for i := range 5 {
		want = append(want, newForm(t, s.Forms, org.ID, "Form "+string(rune('A'+i)), inkform.PatternCopied, 1).ID)
		nextMillisecond()
	}
	newForm(t, s.Forms, newOrg(t, s.Orgs).ID, "Elsewhere", inkform.PatternCopied, 1)
	if _, err := s.Forms.UpdateForm(ctx, org.ID, want[1], template("Form B v2", inkform.PatternCopied, 1)); err != nil {
		t.Fatal(err)
	}
	all, err := s.Forms.ListForms(ctx, org.ID, inkform.FormFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range all {
		got = append(got, f.ID)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("listed %v, want the org's forms oldest first %v", got, want)
	}
	if all[1].Version != 2 || all[1].Name != "Form B v2" || all[0].Version != 1 {
		t.Errorf("listed %+v and %+v; want each form's latest version", all[0], all[1])
	}
	if tmpl := template("", inkform.PatternCopied, 1); all[0].Pages != 1 || all[0].Fields != len(tmpl.Fields) || all[0].Pattern != inkform.PatternCopied {
		t.Errorf("summary %+v; want 1 page and %d fields, copied pattern", all[0], len(tmpl.Fields))
	}
	var paged []string
	for after, pages := "", 0; pages < 5; pages++ {
		list, err := s.Forms.ListForms(ctx, org.ID, inkform.FormFilter{After: after, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) > 2 {
			t.Fatalf("a page of limit 2 has %d forms", len(list))
		}
		if len(list) == 0 {
			break
		}
		for _, f := range list {
			paged = append(paged, f.ID)
		}
		after = list[len(list)-1].ID
	}
	if !slices.Equal(paged, want) {
		t.Errorf("paged through %v, want %v", paged, want)
	}
}

func testFormCopies(t *testing.T, s Stores) {
	org := formStores(t, s)
	ctx := context.Background()
	f := newForm(t, s.Forms, org.ID, "Unique", inkform.PatternUnique, 2)
	if f.Pages[0].Address != "" {
		t.Errorf("a unique-pattern form got page address %q; its copies carry the addresses", f.Pages[0].Address)
	}
	first, err := s.Forms.CreateCopies(ctx, org.ID, f.ID, 3)
	if err != nil {
		t.Fatal(err)
	}
	more, err := s.Forms.CreateCopies(ctx, org.ID, f.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, c := range append(first, more...) {
		if !inkform.ValidID(c.ID) || c.FormID != f.ID || c.Number != i+1 || len(c.Addresses) != 2 {
			t.Errorf("copy %d: %+v; want number %d with an address per page", i, c, i+1)
			continue
		}
		for p, a := range c.Addresses {
			if seen[a] || !strings.HasPrefix(a, org.PatternPool+".") {
				t.Errorf("copy %d page %d: address %q is taken or outside the pool %s", c.Number, p+1, a, org.PatternPool)
			}
			seen[a] = true
			wantResolves(t, s.Forms, org.ID, a, inkform.PageRef{FormID: f.ID, FormVersion: 1, Page: p + 1, CopyID: c.ID})
		}
	}
	copied := newForm(t, s.Forms, org.ID, "Copied", inkform.PatternCopied, 1)
	_, err = s.Forms.CreateCopies(ctx, org.ID, copied.ID, 1)
	wantCode(t, "copies of a copied-pattern form", err, inkform.EUNPROCESSABLE)
	_, err = s.Forms.CreateCopies(ctx, org.ID, f.ID, 0)
	wantCode(t, "no copies", err, inkform.EUNPROCESSABLE)
	_, err = s.Forms.CreateCopies(ctx, org.ID, inkform.NewID(), 1)
	wantCode(t, "copies of an unknown form", err, inkform.ENOTFOUND)
}
