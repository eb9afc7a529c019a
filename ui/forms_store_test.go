package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/blob"
	"github.com/inkform/inkform/passwd"
	"github.com/inkform/inkform/pdf"
)

// TestFormsOnSQLite runs the forms pages on the real store, blobs on disk
// and the real printer: a form created from the editor, a page address
// another form has refused on its line (409), version 2 saved and version
// 1 still shown, a background stored for version 2, and copies of a
// unique-pattern form allocated from the store's pool and numbered on.
func TestFormsOnSQLite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, org := newSQLiteOrg(t)
	hash, err := passwd.Hash(password, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, &inkform.User{OrgID: org.ID, Email: "dee@example.org", Role: inkform.RoleDesigner, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	(&Server{Users: db, Orgs: db, Sessions: db, Audit: db, Forms: db, Blobs: blobs, Printer: pdf.Printer{}}).Register(mux)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	b := (&harness{t: t, ts: ts}).browser(t)
	b.mustSignIn("dee@example.org", password)
	token := b.token()
	post := func(path, text string, extra ...string) *page {
		form := url.Values{"csrf": {token}, "template": {text}}
		for i := 0; i+1 < len(extra); i += 2 {
			form.Set(extra[i], extra[i+1])
		}
		return b.do("POST", path, form)
	}

	withAddress := strings.Replace(oneField, `297}}]`, `297}, "address": "70.3.12.5"}]`, 1)
	p := post("/forms", withAddress)
	m := createdAt.FindStringSubmatch(p.Header.Get("Location"))
	if p.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d to %q:\n%s", p.StatusCode, p.Header.Get("Location"), p.body)
	}
	id := m[1]
	taken := post("/forms", withAddress)
	taken.wantStatus(t, "a taken address", http.StatusConflict)
	if !strings.Contains(taken.body, "line 3, column 44</a>: pages[0].address is taken") {
		t.Errorf("the taken address is not shown on its line:\n%s", taken.body)
	}
	post("/forms/"+id, strings.Replace(withAddress, "Wound check", "Wound check (2026)", 1), "base", "1").
		wantRedirect(t, "version 2", "/forms/"+id+"?done=saved")
	if v1 := b.get("/forms/" + id + "/versions/1"); !strings.Contains(v1.body, "<h1>Wound check <span") || !strings.Contains(v1.body, "the form is at version 2") {
		t.Errorf("version 1's page:\n%s", v1.body)
	}
	b.upload("/forms/"+id+"/background", url.Values{"csrf": {token}}, "background", markedPDF(210, 297, backgroundMark)).
		wantRedirect(t, "background", "/forms/"+id+"?done=background#background")
	if _, err := blobs.Stat(ctx, inkform.FormBackgroundKey(org.ID, id, 2)); err != nil {
		t.Errorf("no background for version 2: %v", err)
	}

	p = post("/forms", strings.Replace(oneField, `"name": "Wound check",`, `"name": "Rounds", "pattern": "unique",`, 1))
	unique := createdAt.FindStringSubmatch(p.Header.Get("Location"))
	if unique == nil {
		t.Fatalf("create a unique-pattern form: %d:\n%s", p.StatusCode, p.body)
	}
	for i, want := range []string{"1", "3"} {
		pr := b.do("POST", "/forms/"+unique[1]+"/print", url.Values{"csrf": {token}, "copies": {"2"}})
		pr.wantStatus(t, "print", http.StatusOK)
		if got := pr.Header.Get("Inkform-First-Copy"); got != want || !strings.HasPrefix(pr.body, "%PDF-") {
			t.Errorf("print %d: first copy %q, want %s", i+1, got, want)
		}
	}
	events, _, err := db.ListAudit(ctx, org.ID, inkform.AuditFilter{Action: inkform.AuditFormUpdate})
	if err != nil || len(events) != 4 {
		t.Errorf("form.update events: %d, %v; want version 2, the background and two prints", len(events), err)
	}
}
