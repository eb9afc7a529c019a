package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/inkform/inkform"
)

// signInTab signs the tab in at the console's URL.
func (tb *tab) signIn(base, email string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(base + "/login"))
	status := tb.submit("sign-in",
		chromedp.SetValue(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	if status != 200 || tb.path() != "/" {
		tb.t.Fatalf("sign-in of %s ended on %s (%d)", email, tb.path(), status)
	}
}

// eval evaluates a JavaScript expression in the tab.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// waitFor waits until a JavaScript expression is true, failing the test
// after 20 seconds with what.
func (tb *tab) waitFor(what, expr string) {
	tb.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		// A poll breaks off when the page navigates; it is asked again on
		// the new page.
		ctx, cancel := context.WithDeadline(tb.ctx, deadline)
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr))
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			focus, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id || document.activeElement.tagName : ""`))
			tb.t.Fatalf("%s: %v (the page is %s, the focus on %q: %s)", what, err, tb.path(), focus, tb.text())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// key presses a key with modifiers. Enter (and Shift+Enter) is pressed
// as a keyboard presses it: chromedp's KeyEvent follows the key down with
// a "char" event of its own, which a page's preventDefault on keydown
// cannot stop, so in a text input it would also submit the input's form
// (approving a document mid-way), which a keyboard's Enter does not.
func (tb *tab) key(keys string, mods ...chromedp.Modifier) {
	tb.t.Helper()
	var m chromedp.Modifier
	for _, x := range mods {
		m |= x
	}
	if keys != "\r" || m&^chromedp.ModifierShift != 0 {
		tb.do(chromedp.KeyEvent(keys, chromedp.KeyModifiers(mods...)))
		return
	}
	tb.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, k := range kb.Encode('\r') {
			k.Modifiers = int64(m)
			if k.Type == kb.KeyChar {
				continue
			}
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, *k); err != nil {
				return err
			}
		}
		return nil
	}))
}

// TestBrowserStation verifies with the keyboard alone, in chromium: the
// cursor starts on the doubtful patient number, typing replaces it, a
// value that breaks a rule is shown on its field, Ctrl+Enter approves and
// opens the next document; ? shows the keys and an alternative is taken
// with Alt+1. Nothing is blocked by the Content-Security-Policy.
func TestBrowserStation(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	c := newClinic(t, 3)
	violations := tb.policyViolations()
	tb.signIn(c.ts.URL, "ann@example.org")
	tb.do(chromedp.Navigate(c.ts.URL + "/verify"))
	tb.screenshot("verify-queues.png")
	tb.checkAccessible("the verification queues")
	status := tb.submit("start", chromedp.Click(chromedp.CSS(`form[action="/verify/forms/01form0intake/start"] button`)))
	if status != 200 || tb.path() != "/verify/documents/"+c.docs[0] {
		t.Fatalf("Start ended on %s (%d)", tb.path(), status)
	}
	tb.waitFor("the cursor on the patient number", `document.activeElement && document.activeElement.id === "in-patient_no"`)
	if sel := eval[string](tb, `window.getSelection().toString() || (document.activeElement.selectionEnd - document.activeElement.selectionStart) + ""`); sel != "6" && sel != "128456" {
		t.Errorf("the value is not selected for typing over: %q", sel)
	}
	tb.screenshot("station.png")
	tb.checkAccessible("the verification station")

	// Too many digits: refused, shown on the field, nothing saved.
	tb.key("1234567")
	tb.key("\r", chromedp.ModifierCtrl)
	tb.waitFor("the problem on the field", `document.querySelector("#problems-patient_no li") !== null`)
	if got := eval[string](tb, `document.querySelector("#problems-patient_no").textContent`); !strings.Contains(got, "longer than 6") {
		t.Errorf("the field's problem: %q", got)
	}
	if d, _ := c.harness.docs.FindDocument(context.Background(), c.org.ID, c.docs[0]); d.Status != inkform.StatusNeedsVerification {
		t.Fatalf("a refused approval changed the document: %s", d.Status)
	}
	// The cursor is on the refused field; Shift+Enter goes back to the
	// name, Enter forward to the number, whose value is selected again, so
	// typing replaces it.
	tb.waitFor("the cursor on the refused field", `document.activeElement.id === "in-patient_no"`)
	tb.key("\r", chromedp.ModifierShift)
	tb.waitFor("Shift+Enter to the name", `document.activeElement.id === "in-name"`)
	tb.key("\r")
	tb.waitFor("Enter to the number", `document.activeElement.id === "in-patient_no"`)
	tb.key("123456")
	tb.key("\r", chromedp.ModifierCtrl)
	tb.waitFor("the next document", `location.pathname === "/verify/documents/`+c.docs[1]+`"`)
	d, _ := c.harness.docs.FindDocument(context.Background(), c.org.ID, c.docs[0])
	if d.Status != inkform.StatusValidated || d.Fields["patient_no"].Value != "123456" || d.Fields["patient_no"].Source != inkform.SourceVerifier {
		t.Fatalf("after Ctrl+Enter: %s %+v", d.Status, d.Fields["patient_no"])
	}

	// On the next one: ? shows the keys, Alt+1 takes the first reading.
	tb.waitFor("the cursor on the next document", `document.activeElement && document.activeElement.id === "in-patient_no"`)
	tb.key("?")
	tb.waitFor("? shows the keys", `document.getElementById("keys").open`)
	tb.key("1", chromedp.ModifierAlt)
	if v := eval[string](tb, `document.getElementById("in-patient_no").value`); v != "123456" {
		t.Errorf("Alt+1 gave %q, want the first alternative", v)
	}
	if v := violations(); len(v) > 0 {
		t.Errorf("the Content-Security-Policy blocked: %q", v)
	}
}

// TestBrowserTwoVerifiers: two people press Start at the same moment and
// get different documents; one cannot open the other's; when the first
// leaves the page, its script releases the lease and the document is
// free at once.
func TestBrowserTwoVerifiers(t *testing.T) {
	t.Parallel()
	c := newClinic(t, 2)
	ann, bob := newTab(t), newTab(t)
	ann.signIn(c.ts.URL, "ann@example.org")
	bob.signIn(c.ts.URL, "bob@example.org")
	start := chromedp.Click(chromedp.CSS(`form[action="/verify/forms/01form0intake/start"] button`))
	for _, tb := range []*tab{ann, bob} {
		tb.do(chromedp.Navigate(c.ts.URL + "/verify"))
	}
	done := make(chan error, 2)
	for _, tb := range []*tab{ann, bob} {
		go func() { _, err := chromedp.RunResponse(tb.ctx, start); done <- err }()
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	annDoc, bobDoc := ann.path(), bob.path()
	if annDoc == bobDoc || !strings.HasPrefix(annDoc, "/verify/documents/") || !strings.HasPrefix(bobDoc, "/verify/documents/") {
		t.Fatalf("ann is on %s and bob on %s", annDoc, bobDoc)
	}
	if status := bob.submit("bob opens ann's", chromedp.Navigate(c.ts.URL+annDoc)); status != 409 || !strings.Contains(bob.text(), "Another person is verifying") {
		t.Fatalf("bob opened ann's document: %d %s", status, bob.text())
	}
	ann.do(chromedp.Navigate(c.ts.URL + "/"))
	bob.waitFor("ann's document released", `fetch("`+annDoc+`").then(r => r.status === 200)`)
}
