package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform/sqlstore/sqlstoretest"
)

// newKey returns a --secret-key value.
func newKey(t *testing.T) string {
	t.Helper()
	var k [32]byte
	if _, err := rand.Read(k[:]); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(k[:])
}

// runBounded runs a command line that must end by itself (a node that
// refuses to start) and fails the test when it runs a minute.
func runBounded(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out, errb bytes.Buffer
	code = run(ctx, args, strings.NewReader(""), &out, &errb)
	if ctx.Err() != nil {
		t.Fatalf("inkform %s ran until the deadline: %s", strings.Join(args, " "), errb.String())
	}
	return out.String(), errb.String(), code
}

// TestClusterRefusesWrongSettings: on every database, a node whose object
// store or secret key differs from the first node's refuses to start and
// names the setting; a running node whose settings are changed under it
// answers /readyz with 503 naming them, and is ready again once they match.
func TestClusterRefusesWrongSettings(t *testing.T) {
	t.Parallel()
	sqlstoretest.ForEach(t, func(t *testing.T, dsn string) {
		shared, key := t.TempDir(), newKey(t)
		first := []string{"--db", dsn, "--data", shared, "--secret-key", key}
		s := startServerArgs(t, first, []string{"--cluster-check-interval", "100ms"})

		worker := func(flags ...string) []string {
			return append([]string{"worker", "--db", dsn, "--admin-addr", "127.0.0.1:0", "--log-level", "warn"}, flags...)
		}
		for _, tt := range []struct {
			name  string
			flags []string
			says  []string
			not   string
		}{
			{"an object store of its own", []string{"--data", t.TempDir(), "--secret-key", key},
				[]string{"blob_store: this node has ", "(the folder " + filepath.Join(shared, "blobs") + ", recorded by serve on ", "same --blob s3://"}, "secret_key"},
			{"another key", []string{"--data", shared, "--secret-key", newKey(t)},
				[]string{"secret_key: this node has ", "(--secret-key or INKFORM_SECRET_KEY)", "Set INKFORM_SECRET_KEY on this node to the cluster's key"}, "blob_store"},
			// The trial's worker: started without INKFORM_SECRET_KEY, it
			// made a key of its own.
			{"no key given", []string{"--data", t.TempDir()},
				[]string{"secret_key: ", "made by a start without INKFORM_SECRET_KEY", "Set INKFORM_SECRET_KEY on this node to the cluster's key", "blob_store: "}, ""},
		} {
			_, stderr, code := runBounded(t, worker(tt.flags...)...)
			if code != 1 {
				t.Errorf("%s: worker exited %d; want 1: %s", tt.name, code, stderr)
			}
			for _, want := range append(tt.says, "inkform cluster reset-settings") {
				if !strings.Contains(stderr, want) {
					t.Errorf("%s: the refusal lacks %q:\n%s", tt.name, want, stderr)
				}
			}
			if tt.not != "" && strings.Contains(stderr, tt.not+":") {
				t.Errorf("%s: the refusal names %s too:\n%s", tt.name, tt.not, stderr)
			}
		}
		// The dry run says the same and exits 1; with the cluster's
		// flags it finds nothing.
		if out, stderr, code := runBounded(t, "cluster", "settings", "--db", dsn, "--data", shared, "--secret-key", newKey(t)); code != 1 ||
			!strings.Contains(stderr, "secret_key: ") || !strings.Contains(out, "schema_floor") {
			t.Errorf("cluster settings with another key: exit %d\n%s\n%s", code, out, stderr)
		}
		if out, stderr, code := runBounded(t, append([]string{"cluster", "settings"}, first...)...); code != 0 || !strings.Contains(out, "match") {
			t.Errorf("cluster settings with the cluster's flags: exit %d\n%s\n%s", code, out, stderr)
		}

		// A deliberate change of key: the running node leaves the load
		// balancer, saying why, and comes back when the key is back.
		if _, stderr, code := runBounded(t, "cluster", "reset-settings", "--db", dsn, "--data", shared, "--secret-key", newKey(t)); code != 0 {
			t.Fatalf("reset-settings: exit %d: %s", code, stderr)
		}
		waitReady(t, s.url, 503, "this node's settings differ from the cluster's: secret_key")
		if _, stderr, code := runBounded(t, append([]string{"cluster", "reset-settings"}, first...)...); code != 0 {
			t.Fatalf("reset-settings back: exit %d: %s", code, stderr)
		}
		waitReady(t, s.url, 200, "")
	})
}

// waitReady polls /readyz until it answers status with a detail holding
// detail, for up to 10 s.
func waitReady(t *testing.T, url string, status int, detail string) {
	t.Helper()
	var last string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(url + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var p struct{ Detail string }
		_ = json.Unmarshal(body, &p)
		last = string(body)
		if resp.StatusCode == status && strings.Contains(p.Detail, detail) {
			return
		}
	}
	t.Fatalf("/readyz never answered %d with %q; last: %s", status, detail, last)
}
