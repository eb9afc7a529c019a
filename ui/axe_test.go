package ui

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// envAxe names axe-core's axe.min.js, which .ci/run installs from the npm
// registry. The tests inject it into the pages they open; the console
// never serves it.
const envAxe = "INKFORM_TEST_AXE"

// axeRun runs axe-core's rules on the page and lists the serious and
// critical violations, each with the elements it found them on.
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
	.filter(v => v.impact === "serious" || v.impact === "critical")
	.map(v => v.impact + " " + v.id + ": " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).join(", ")))`

// axeSource returns axe-core's script, or "" when envAxe is unset; a
// variable naming a file that cannot be read fails the test.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv(envAxe)
	if path == "" {
		return ""
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s is set but axe-core cannot be read: %v", envAxe, err)
	}
	return string(src)
}

// checkAccessible fails the test on each serious or critical axe-core
// violation of the page the tab shows. Without envAxe it only logs that
// it did not check.
func (tb *tab) checkAccessible(page string) {
	tb.t.Helper()
	src := axeSource(tb.t)
	if src == "" {
		tb.t.Logf("%s unset: the accessibility of %s is not checked (npm install axe-core, then set it to axe.min.js)", envAxe, page)
		return
	}
	if found := tb.axeViolations(src, page); len(found) > 0 {
		tb.t.Errorf("accessibility of %s:\n%s", page, strings.Join(found, "\n"))
	}
}

// axeViolations injects axe-core into the page and returns what it finds.
func (tb *tab) axeViolations(src, page string) []string {
	tb.t.Helper()
	// DevTools evaluation is not subject to the page's script policy, so
	// the strict CSP stays on while axe runs.
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[any](src+";0")); err != nil {
		tb.t.Fatalf("inject axe-core into %s: %v", page, err)
	}
	found, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("axe-core on %s: %v", page, err)
	}
	return found
}

// TestAxeFindsViolations shows that the check can fail: a page with an
// unlabelled field and an image without text has serious violations.
func TestAxeFindsViolations(t *testing.T) {
	t.Parallel()
	src := axeSource(t)
	if src == "" {
		t.Skipf("%s unset: no axe-core to check", envAxe)
	}
	tb := newTab(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><html lang="en"><title>Bad</title><main><form><input name="x"></form><img src="/x.png"></main></html>`)
	}))
	defer ts.Close()
	tb.do(chromedp.Navigate(ts.URL))
	found := strings.Join(tb.axeViolations(src, "a bad page"), "\n")
	for _, want := range []string{"label", "image-alt"} {
		if !strings.Contains(found, want) {
			t.Errorf("axe-core did not report %s on a page that breaks it; it found:\n%s", want, found)
		}
	}
}
