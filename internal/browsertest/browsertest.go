// Package browsertest starts headless Chromium for the browser tests of
// the web console (ui) and of the commands (cmd/inkform), with chromedp.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Env, when set, makes a missing chromium a failure rather than a skip;
// .ci/run sets it after installing Debian's chromium.
const Env = "INKFORM_TEST_BROWSER"

// Chromium returns the path of a Chromium or Chrome binary, or skips the
// test (fails it when Env is set).
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv(Env) != "" {
		t.Fatalf("%s is set but no chromium binary is on PATH (apt-get install chromium)", Env)
	}
	t.Skipf("no chromium binary on PATH; skipping the browser test (apt-get install chromium, and set %s=1 to make its absence fail)", Env)
	return ""
}

// Tab starts chromium with a window of width × height and returns the
// context of a tab in it. The browser is closed when the test ends, and
// whatever it left in its temporary folder is removed after it.
func Tab(t testing.TB, width, height int) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(Chromium(t)), chromedp.WindowSize(width, height))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // chromium refuses to sandbox as root
	}
	// Chromium leaves its singleton socket's folder in TMPDIR when it is
	// killed; a folder of the test's own, removed after the browser (the
	// cleanups run last first), keeps /tmp clean. Its removal may find the
	// browser still writing, which is no failure of the test.
	tmp, err := os.MkdirTemp("", "inkform-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	opts = append(opts, chromedp.Env("TMPDIR="+tmp))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(func() { cancelTab(); cancelAlloc(); cancel() })
	return ctx
}
