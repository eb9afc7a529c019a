package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserForms designs a form in chromium as a designer would: the
// editor refuses a template with a missing comma and names its line, the
// margin marks it and the problem's link selects it; the fixed template
// is created and its page shown; a background PDF is uploaded from a
// file. Every page passes axe, the policy blocks nothing (the editor's
// script runs), and it takes the forms screenshots of docs/ui.md.
func TestBrowserForms(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	st := newStudio(t)
	violations := tb.policyViolations()
	tb.signIn(st.ts.URL, "dee@example.org")

	tb.do(chromedp.Navigate(st.ts.URL + "/forms"))
	tb.checkAccessible("the empty forms list")
	if status := tb.submit("new form", chromedp.Click(chromedp.CSS(`a[href="/forms/new"]`))); status != 200 || tb.path() != "/forms/new" {
		t.Fatalf("New form led to %s (%d)", tb.path(), status)
	}
	tb.checkAccessible("the editor")
	broken := strings.Replace(oneField, `"page": 1,`, `"page": 1`, 1)
	status := tb.submit("a template with a missing comma",
		chromedp.SetValue(chromedp.ID("template"), broken),
		chromedp.Click(chromedp.CSS(`.editor-form button[type="submit"]`)))
	if status != 422 {
		t.Fatalf("a broken template answered %d", status)
	}
	if text := tb.text(); !strings.Contains(text, "line 6, column 6: invalid character") {
		t.Fatalf("the problem does not name its line: %s", text)
	}
	if got := eval[string](tb, `[...document.querySelectorAll(".gutter .bad")].map((el) => el.textContent).join()`); got != "6" {
		t.Errorf("the margin marks lines %q, want 6", got)
	}
	tb.checkAccessible("the editor with a problem")
	tb.screenshot("form-problem.png")
	// The problem's link selects line 6 in the editor.
	tb.do(chromedp.Click(chromedp.CSS(`.template-problems a[data-line="6"]`)))
	sel := eval[string](tb, `(() => { const a = document.getElementById("template"); return document.activeElement === a ? a.value.slice(a.selectionStart, a.selectionEnd) : "not focused"; })()`)
	if want := strings.Split(broken, "\n")[5]; sel != want {
		t.Errorf("the link selected %q, want line 6 %q", sel, want)
	}
	if where := eval[string](tb, `document.getElementById("template-where").textContent`); where != "Line 6, column 1" {
		t.Errorf("the cursor is said to be at %q", where)
	}

	status = tb.submit("the fixed template",
		chromedp.SetValue(chromedp.ID("template"), oneField),
		chromedp.Click(chromedp.CSS(`.editor-form button[type="submit"]`)))
	if status != 200 || !strings.HasPrefix(tb.path(), "/forms/") || !strings.Contains(tb.text(), "The form is created as version 1.") {
		t.Fatalf("the fixed template ended on %s (%d): %s", tb.path(), status, tb.text())
	}
	formPath := strings.TrimSuffix(tb.path(), "?done=created")
	tb.checkAccessible("the new form's page")

	pdf := filepath.Join(t.TempDir(), "wound-check.pdf")
	if err := os.WriteFile(pdf, markedPDF(210, 297, backgroundMark), 0o644); err != nil {
		t.Fatal(err)
	}
	status = tb.submit("the background",
		chromedp.SetUploadFiles(chromedp.ID("background-file"), []string{pdf}),
		chromedp.Click(chromedp.CSS(`form[action$="/background"] button[type="submit"]`)))
	if status != 200 || !strings.Contains(tb.text(), "Version 1 has an uploaded background") {
		t.Fatalf("the upload ended on %s (%d): %s", tb.path(), status, tb.text())
	}
	tb.checkAccessible("the form's page with a background")
	tb.screenshot("form.png")

	tb.do(chromedp.Navigate(st.ts.URL + "/forms"))
	if !strings.Contains(tb.text(), "Wound check") {
		t.Errorf("the list lacks the form: %s", tb.text())
	}
	tb.checkAccessible("the forms list")
	tb.screenshot("forms.png")
	tb.do(chromedp.Navigate(st.ts.URL + formPath + "/edit"))
	tb.checkAccessible("the editor of a form")
	tb.do(chromedp.Navigate(st.ts.URL + formPath + "/versions/1"))
	tb.checkAccessible("a version's page")
	if v := violations(); len(v) > 0 {
		t.Errorf("the Content-Security-Policy blocked: %q", v)
	}
}
