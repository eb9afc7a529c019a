package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

func TestCreateForm(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		tpl := template(inkform.PatternCopied, 2)
		f, err := db.CreateForm(ctx, org.ID, tpl)
		if err != nil {
			t.Fatal(err)
		}
		if tpl.Pages[0].Address != "" {
			t.Errorf("CreateForm changed the caller's template")
		}
		want := []string{org.PatternPool + ".0.0", org.PatternPool + ".0.1"}
		for i, p := range f.Pages {
			if p.Address != want[i] {
				t.Errorf("page %d address %q, want %q", i+1, p.Address, want[i])
			}
		}
		if f.Version != 1 || f.ConfidenceThreshold != inkform.DefaultConfidenceThreshold {
			t.Errorf("form = version %d threshold %g", f.Version, f.ConfidenceThreshold)
		}
		got, err := db.FindForm(ctx, org.ID, f.ID)
		if err != nil || got.Name != "Visit report" || got.Pages[1].Address != want[1] || len(got.Fields) != 5 ||
			got.Fields[1].Charset != inkform.CharsetDigits || !got.CreatedAt.Equal(f.CreatedAt) {
			t.Fatalf("FindForm = %+v, %v", got, err)
		}
		// The next form gets the next pages of the pool.
		g := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		if g.Pages[0].Address != org.PatternPool+".0.2" {
			t.Errorf("second form's address %q", g.Pages[0].Address)
		}
	})
}

func TestCreateFormRejects(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		taken := f.Pages[0].Address
		tests := []struct {
			name     string
			edit     func(*inkform.FormTemplate)
			org      string
			code     string
			contains string
		}{
			{"address of another form", func(t *inkform.FormTemplate) { t.Pages[0].Address = taken }, org.ID, inkform.ECONFLICT, f.ID},
			{"unallocated pool address", func(t *inkform.FormTemplate) { t.Pages[0].Address = org.PatternPool + ".7.1" }, org.ID, inkform.EUNPROCESSABLE, "pool"},
			{"invalid template", func(t *inkform.FormTemplate) { t.Name = "" }, org.ID, inkform.EUNPROCESSABLE, "name"},
			{"unknown org", func(*inkform.FormTemplate) {}, inkform.NewID(), inkform.ENOTFOUND, "org"},
			{"unknown org unique", func(t *inkform.FormTemplate) { t.Pattern = inkform.PatternUnique }, inkform.NewID(), inkform.ENOTFOUND, "org"},
		}
		for _, tt := range tests {
			tpl := template(inkform.PatternCopied, 1)
			tt.edit(tpl)
			_, err := db.CreateForm(ctx, tt.org, tpl)
			wantCode(t, err, tt.code)
			if !strings.Contains(inkform.ErrorMessage(err), tt.contains) {
				t.Errorf("%s: message %q does not name %q", tt.name, inkform.ErrorMessage(err), tt.contains)
			}
		}
		// An address outside the pool is fine, and then taken.
		tpl := template(inkform.PatternCopied, 1)
		tpl.Pages[0].Address = "70.3.12.5"
		if _, err := db.CreateForm(ctx, org.ID, tpl); err != nil {
			t.Fatalf("explicit address: %v", err)
		}
		_, err := db.CreateForm(ctx, org.ID, tpl)
		wantCode(t, err, inkform.ECONFLICT)
		// Another org may use the same address: addresses are per org.
		if _, err := db.CreateForm(ctx, newOrg(t, db).ID, tpl); err != nil {
			t.Errorf("same address in another org: %v", err)
		}
		if n := db.Count(t, "forms", "org_id = ?", org.ID); n != 2 {
			t.Errorf("%d forms stored, want 2 (nothing half-stored)", n)
		}
	})
}

func TestUpdateForm(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 3)
		other := newForm(t, db, org.ID, inkform.PatternCopied, 1)

		// Version 2 drops page 3 and leaves addresses empty: pages 1–2 keep theirs.
		tpl := template(inkform.PatternCopied, 2)
		tpl.Name = "Visit report v2"
		g, err := db.UpdateForm(ctx, org.ID, f.ID, tpl)
		if err != nil {
			t.Fatal(err)
		}
		if g.Version != 2 || g.Pages[0].Address != f.Pages[0].Address || g.Pages[1].Address != f.Pages[1].Address {
			t.Fatalf("v2 = version %d pages %+v", g.Version, g.Pages)
		}
		_, err = db.ResolveAddress(ctx, org.ID, f.Pages[2].Address)
		wantCode(t, err, inkform.ENOTFOUND) // freed
		ref, err := db.ResolveAddress(ctx, org.ID, f.Pages[1].Address)
		if err != nil || ref.FormID != f.ID || ref.FormVersion != 2 || ref.Page != 2 || ref.CopyID != "" {
			t.Errorf("ResolveAddress = %+v, %v", ref, err)
		}
		// The freed address may now go to another form.
		tpl3 := template(inkform.PatternCopied, 1)
		tpl3.Pages[0].Address = f.Pages[2].Address
		if _, err := db.UpdateForm(ctx, org.ID, other.ID, tpl3); err != nil {
			t.Errorf("reuse freed address: %v", err)
		}
		// Taking another form's address is a conflict naming it.
		tpl4 := template(inkform.PatternCopied, 2)
		tpl4.Pages[1].Address = f.Pages[2].Address
		_, err = db.UpdateForm(ctx, org.ID, f.ID, tpl4)
		wantCode(t, err, inkform.ECONFLICT)
		if !strings.Contains(inkform.ErrorMessage(err), other.ID) {
			t.Errorf("conflict %q does not name form %s", inkform.ErrorMessage(err), other.ID)
		}
		_, err = db.UpdateForm(ctx, org.ID, f.ID, template(inkform.PatternUnique, 2))
		wantCode(t, err, inkform.EUNPROCESSABLE)

		v1, err := db.FindFormVersion(ctx, org.ID, f.ID, 1)
		if err != nil || v1.Version != 1 || v1.Name != "Visit report" || len(v1.Pages) != 3 {
			t.Errorf("FindFormVersion(1) = %+v, %v", v1, err)
		}
		latest, err := db.FindForm(ctx, org.ID, f.ID)
		if err != nil || latest.Version != 2 || latest.Name != "Visit report v2" {
			t.Errorf("FindForm = %+v, %v", latest, err)
		}
		for _, v := range []int{0, 3} {
			_, err = db.FindFormVersion(ctx, org.ID, f.ID, v)
			wantCode(t, err, inkform.ENOTFOUND)
		}
		_, err = db.UpdateForm(ctx, org.ID, inkform.NewID(), template(inkform.PatternCopied, 1))
		wantCode(t, err, inkform.ENOTFOUND)
	})
}

func TestListForms(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		newForm(t, db, newOrg(t, db).ID, inkform.PatternCopied, 1) // another org's
		var ids []string
		for range 5 {
			ids = append(ids, newForm(t, db, org.ID, inkform.PatternCopied, 1).ID)
		}
		var got []string
		after := ""
		for {
			page, err := db.ListForms(ctx, org.ID, inkform.FormFilter{After: after, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, f := range page {
				got = append(got, f.ID)
			}
			after = page[len(page)-1].ID
		}
		// IDs order by creation only to the millisecond, so compare with
		// the IDs sorted: every form once, in ID order.
		slices.Sort(ids)
		if strings.Join(got, ",") != strings.Join(ids, ",") {
			t.Errorf("listed %v, want %v", got, ids)
		}
	})
}

func TestCopies(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternUnique, 2)
		if f.Pages[0].Address != "" {
			t.Errorf("unique form page has address %q", f.Pages[0].Address)
		}
		copies, err := db.CreateCopies(ctx, org.ID, f.ID, 600)
		if err != nil {
			t.Fatal(err)
		}
		more, err := db.CreateCopies(ctx, org.ID, f.ID, 2)
		if err != nil {
			t.Fatal(err)
		}
		copies = append(copies, more...)
		seen := map[string]bool{}
		for i, c := range copies {
			if c.Number != i+1 || len(c.Addresses) != 2 || c.FormID != f.ID {
				t.Fatalf("copy %d = %+v", i, c)
			}
			for _, a := range c.Addresses {
				if seen[a] {
					t.Fatalf("address %s given twice", a)
				}
				seen[a] = true
			}
		}
		// 1,204 pages cross a book boundary: book 1 starts at allocation 1000.
		if last := copies[601].Addresses[1]; last != org.PatternPool+".1.203" {
			t.Errorf("last address %s", last)
		}
		ref, err := db.ResolveAddress(ctx, org.ID, copies[5].Addresses[1])
		if err != nil || ref.FormID != f.ID || ref.Page != 2 || ref.CopyID != copies[5].ID {
			t.Errorf("ResolveAddress = %+v, %v", ref, err)
		}
		for _, n := range []int{0, -1, sqlstore.MaxCopies + 1} {
			_, err = db.CreateCopies(ctx, org.ID, f.ID, n)
			wantCode(t, err, inkform.EUNPROCESSABLE)
		}
		// Dropping page 2 frees every copy's page-2 address and keeps page 1's.
		if _, err := db.UpdateForm(ctx, org.ID, f.ID, template(inkform.PatternUnique, 1)); err != nil {
			t.Fatal(err)
		}
		_, err = db.ResolveAddress(ctx, org.ID, copies[5].Addresses[1])
		wantCode(t, err, inkform.ENOTFOUND)
		if ref, err := db.ResolveAddress(ctx, org.ID, copies[5].Addresses[0]); err != nil || ref.FormVersion != 2 || ref.CopyID != copies[5].ID {
			t.Errorf("page 1 after update = %+v, %v", ref, err)
		}
		copied := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		_, err = db.CreateCopies(ctx, org.ID, copied.ID, 1)
		wantCode(t, err, inkform.EUNPROCESSABLE)
		_, err = db.CreateCopies(ctx, newOrg(t, db).ID, f.ID, 1)
		wantCode(t, err, inkform.ENOTFOUND)
	})
}

// TestFormRaces creates forms and orgs concurrently: an address goes to
// exactly one form (the unique index catches what the check cannot see),
// and every org gets its own pattern shelf.
func TestFormRaces(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		const n = 8
		errs := make(chan error, n)
		pools := make(chan string, n)
		for i := range n {
			go func() {
				tpl := template(inkform.PatternCopied, 1)
				tpl.Pages[0].Address = "70.1.1.1"
				_, err := db.CreateForm(ctx, org.ID, tpl)
				errs <- err
				o, err := db.CreateOrg(ctx, fmt.Sprintf("race %s %d", org.ID, i))
				if err != nil {
					t.Errorf("create org: %v", err)
					pools <- ""
					return
				}
				pools <- o.PatternPool
			}()
		}
		ok := 0
		seen := map[string]bool{}
		for range n {
			err := <-errs
			switch inkform.ErrorCode(err) {
			case "":
				ok++
			case inkform.ECONFLICT:
			default:
				t.Errorf("concurrent create form: %v", err)
			}
			p := <-pools
			if seen[p] {
				t.Errorf("pattern pool %q given twice", p)
			}
			seen[p] = true
		}
		if ok != 1 {
			t.Errorf("%d forms got the address, want 1", ok)
		}
		if n := db.Count(t, "page_addresses", "org_id = ? AND address = ?", org.ID, "70.1.1.1"); n != 1 {
			t.Errorf("address stored %d times", n)
		}
	})
}
