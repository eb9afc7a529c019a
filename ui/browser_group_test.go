package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/inkform/inkform"
)

// measureDocs is how many documents the keystroke measurement verifies,
// and wrongDoc the one whose patient number was misread: its writer wrote
// 123456, the engine read 128456 as on the others (which were written so).
const (
	measureDocs = 6
	wrongDoc    = 3
)

// doubtfulNames makes every document's name doubtful too (confidence
// 80 %), so each has two doubtful fields, as a form a verifier sees often.
func (c *clinic) doubtfulNames(t *testing.T) {
	t.Helper()
	for _, id := range c.docs {
		d, err := c.harness.docs.FindDocument(context.Background(), c.org.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		name := d.Fields["name"]
		name.Confidence = 0.8
		d.Fields["name"] = name
		c.harness.docs.Put(d, inkOf(id))
	}
}

// typist is a tab whose keys are counted, as a person would press them:
// a character, Enter or an arrow is one key; a chord (Ctrl+Enter) is one.
type typist struct {
	*tab
	keys int
}

func (ty *typist) press(keys string, mods ...chromedp.Modifier) {
	ty.t.Helper()
	if len(mods) > 0 {
		ty.keys++
	} else {
		ty.keys += len([]rune(keys))
	}
	ty.key(keys, mods...)
}

// figures logs what a measurement found, in the words of docs/performance.md.
func figures(t *testing.T, mode string, fields, keys int, took time.Duration) {
	t.Logf("figures: %s: %d fields, %d keys, %.2f keys per field, %.2f s, %.3f s per field",
		mode, fields, keys, float64(keys)/float64(fields), took.Seconds(), took.Seconds()/float64(fields))
}

// wantApproved fails unless every document is approved with the patient
// numbers as written.
func (c *clinic) wantApproved(t *testing.T) {
	t.Helper()
	for i, id := range c.docs {
		want := "128456"
		if i == wrongDoc {
			want = "123456"
		}
		d, _ := c.harness.docs.FindDocument(context.Background(), c.org.ID, id)
		if d.Status != inkform.StatusValidated || d.Fields["patient_no"].Value != want {
			t.Errorf("%s: %s %+v, want validated with %s", id, d.Status, d.Fields["patient_no"], want)
		}
	}
}

// TestBrowserGroup verifies in groups by keyboard alone, in chromium: a
// screen of the six documents' names, confirmed as read; then a screen
// of their patient numbers, where the cursor starts on the first, arrows
// move to the misread one, typing replaces it and Ctrl+Enter confirms
// the screen, approving all six. It counts the keys and times it, from
// the first screen loaded to the last approval answered.
func TestBrowserGroup(t *testing.T) {
	t.Parallel()
	c := newClinic(t, measureDocs)
	c.doubtfulNames(t)
	ty := &typist{tab: newTab(t)}
	violations := ty.policyViolations()
	ty.signIn(c.ts.URL, "ann@example.org")
	ty.do(chromedp.Navigate(c.ts.URL + "/verify"))
	ty.do(chromedp.SetValue(chromedp.ID("group-01form0intake"), "name"))
	if status := ty.submit("verify in a group", chromedp.Click(chromedp.CSS(`form.group-pick button`))); status != 200 {
		t.Fatalf("the group screen answered %d", status)
	}
	ty.waitFor("the cursor on the first name", `document.activeElement && document.activeElement.id === "in-`+c.docs[0]+`"`)
	began := time.Now()
	ty.press("\r", chromedp.ModifierCtrl)
	ty.waitFor("the names confirmed", `location.search.includes("approved=0&of=6")`)
	if !strings.Contains(ty.text(), "Confirmed 6 documents: 0 approved, 6 kept waiting") {
		t.Errorf("after the names: %s", ty.text())
	}
	ty.do(chromedp.Navigate(c.ts.URL + groupURL("01form0intake", "patient_no")))
	ty.waitFor("the cursor on the first patient number", `document.activeElement && document.activeElement.id === "in-`+c.docs[0]+`"`)
	pause := time.Since(began) // the navigation between screens is the test's, not a key
	ty.screenshot("group.png")
	ty.checkAccessible("the group verification screen")
	resumed := time.Now()
	for range wrongDoc {
		ty.press(kb.ArrowRight) // the value being selected
	}
	ty.waitFor("the cursor on the misread one", `document.activeElement.id === "in-`+c.docs[wrongDoc]+`"`)
	ty.press("123456")
	ty.waitFor("the number typed over", `document.activeElement.value === "123456"`)
	ty.press("\r", chromedp.ModifierCtrl)
	ty.waitFor("the screen confirmed", `location.search.includes("approved=6&of=6")`)
	took := pause + time.Since(resumed)
	c.wantApproved(t)
	figures(t, "group", 2*measureDocs, ty.keys, took)
	if v := violations(); len(v) > 0 {
		t.Errorf("the Content-Security-Policy blocked: %q", v)
	}
}

// TestBrowserOneByOne verifies the same six documents in the station,
// one at a time, by keyboard: on each the cursor starts on the doubtful
// name, Enter accepts it and moves to the doubtful patient number, the
// misread one is typed over, Ctrl+Enter approves and opens the next. It
// counts the keys and times it as TestBrowserGroup does.
func TestBrowserOneByOne(t *testing.T) {
	t.Parallel()
	c := newClinic(t, measureDocs)
	c.doubtfulNames(t)
	ty := &typist{tab: newTab(t)}
	ty.signIn(c.ts.URL, "ann@example.org")
	ty.do(chromedp.Navigate(c.ts.URL + "/verify"))
	ty.submit("start", chromedp.Click(chromedp.CSS(`form[action="/verify/forms/01form0intake/start"] button`)))
	var began time.Time
	for i, id := range c.docs {
		ty.waitFor(fmt.Sprintf("document %d, the cursor on the name", i+1),
			`location.pathname === "/verify/documents/`+id+`" && document.activeElement && document.activeElement.id === "in-name"`)
		if i == 0 {
			began = time.Now()
		}
		ty.press("\r")
		ty.waitFor("Enter to the number", `document.activeElement.id === "in-patient_no"`)
		if i == wrongDoc {
			ty.press("123456")
			ty.waitFor("the number typed over", `document.activeElement.value === "123456"`)
		}
		ty.press("\r", chromedp.ModifierCtrl)
	}
	ty.waitFor("the queue done", `location.pathname === "/verify"`)
	took := time.Since(began)
	c.wantApproved(t)
	figures(t, "one by one", 2*measureDocs, ty.keys, took)
}

// TestBrowserDoubleEntry: blind double entry through the browser. Ann
// types the patient number seeing no value read; Bob types another,
// seeing neither the reading nor Ann's; Cy sees both, takes Ann's with
// Alt+1 and approves, and the document is approved with it.
func TestBrowserDoubleEntry(t *testing.T) {
	t.Parallel()
	c := newClinic(t, 1)
	f := intake(c.org.ID)
	f.Field("patient_no").DoubleEntry = true
	c.forms.Put(f)
	c.user(c.org, "cy@example.org", inkform.RoleVerifier, password)
	id := c.docs[0]
	station := c.ts.URL + "/verify/documents/" + id
	blind := func(email, value string, unseen ...string) {
		tb := newTab(t)
		tb.signIn(c.ts.URL, email)
		tb.do(chromedp.Navigate(station))
		tb.waitFor(email+": the cursor on the blind field", `document.activeElement && document.activeElement.id === "in-patient_no"`)
		if v := eval[string](tb, `document.getElementById("in-patient_no").value`); v != "" {
			t.Errorf("%s sees %q in the blind field", email, v)
		}
		text := eval[string](tb, `document.body.innerText + [...document.querySelectorAll("[data-alt]")].map(b => b.dataset.alt).join(" ")`)
		for _, u := range unseen {
			if strings.Contains(text, u) {
				t.Errorf("%s sees %q:\n%s", email, u, text)
			}
		}
		if !strings.Contains(text, "blind entry") {
			t.Errorf("%s is not told the entry is blind:\n%s", email, text)
		}
		tb.key(value)
		tb.key("\r", chromedp.ModifierCtrl)
		tb.waitFor(email+": the entry saved", `location.pathname === "/verify"`)
	}
	blind("ann@example.org", "123456", "128456")
	blind("bob@example.org", "123465", "128456", "123456")
	if d, _ := c.harness.docs.FindDocument(context.Background(), c.org.ID, id); d.Status != inkform.StatusNeedsVerification {
		t.Fatalf("after two differing entries the document is %s", d.Status)
	}

	cy := newTab(t)
	cy.signIn(c.ts.URL, "cy@example.org")
	cy.do(chromedp.Navigate(station))
	cy.waitFor("cy: the cursor on the field to decide", `document.activeElement && document.activeElement.id === "in-patient_no"`)
	text := cy.text()
	for _, want := range []string{"the two entries differ", "123456", "123465"} {
		if !strings.Contains(text, want) {
			t.Errorf("cy's view lacks %q:\n%s", want, text)
		}
	}
	cy.screenshot("double-entry.png")
	cy.checkAccessible("the third person's view of a double entry")
	cy.key("1", chromedp.ModifierAlt)
	if v := eval[string](cy, `document.getElementById("in-patient_no").value`); v != "123456" {
		t.Errorf("Alt+1 gave %q, want Ann's entry", v)
	}
	cy.key("\r", chromedp.ModifierCtrl)
	cy.waitFor("cy's decision saved", `location.pathname === "/verify"`)
	d, _ := c.harness.docs.FindDocument(context.Background(), c.org.ID, id)
	if d.Status != inkform.StatusValidated || d.Fields["patient_no"].Value != "123456" {
		t.Errorf("after the decision: %s %+v", d.Status, d.Fields["patient_no"])
	}
}
