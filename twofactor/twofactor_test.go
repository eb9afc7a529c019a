package twofactor_test

import (
	"bytes"
	"image/png"
	"net/url"
	"testing"
	"time"

	"github.com/inkform/inkform/twofactor"
)

// TestCheck: a code of the current step or one either side passes and
// says which step it is; older or newer codes, other secrets' codes and
// malformed input do not.
func TestCheck(t *testing.T) {
	t.Parallel()
	k, err := twofactor.NewKey("inkform", "ann@example.org")
	if err != nil {
		t.Fatal(err)
	}
	other, err := twofactor.NewKey("inkform", "bob@example.org")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_015, 0)
	step := twofactor.Step(now)
	code := func(secret string, offset int64) string {
		c, err := twofactor.Code(secret, now.Add(time.Duration(offset)*twofactor.Period*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name   string
		code   string
		ok     bool
		atStep int64
	}{
		{"current", code(k.Secret, 0), true, step},
		{"previous", code(k.Secret, -1), true, step - 1},
		{"next", code(k.Secret, 1), true, step + 1},
		{"two steps old", code(k.Secret, -2), false, 0},
		{"two steps ahead", code(k.Secret, 2), false, 0},
		{"another secret", code(other.Secret, 0), false, 0},
		{"short", code(k.Secret, 0)[:5], false, 0},
		{"letters", "abcdef", false, 0},
		{"empty", "", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := twofactor.Check(k.Secret, tt.code, now)
			// A code of another step may equal this one's by chance (one
			// in a million); that case is not what this test is about.
			if ok != tt.ok && !(ok && tt.name == "another secret") {
				t.Fatalf("Check(%q) ok = %v, want %v", tt.code, ok, tt.ok)
			}
			if tt.ok && got != tt.atStep {
				t.Errorf("Check step = %d, want %d", got, tt.atStep)
			}
		})
	}
}

// TestKey: a new key is the standard kind (SHA1, 6 digits, 30 s) that
// authenticator apps read, KeyFor gives the same secret back, and its QR
// code is a PNG.
func TestKey(t *testing.T) {
	t.Parallel()
	k, err := twofactor.NewKey("inkform Clinic", "ann@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Secret) != 32 {
		t.Errorf("secret %q has %d characters, want 32 (160 bits)", k.Secret, len(k.Secret))
	}
	u, err := url.Parse(k.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || q.Get("secret") != k.Secret || q.Get("issuer") != "inkform Clinic" ||
		q.Get("algorithm") != "SHA1" || q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Errorf("URL = %s; want a SHA1, 6-digit, 30 s TOTP URL with the secret and issuer", k.URL)
	}
	again, err := twofactor.KeyFor("inkform Clinic", "ann@example.org", k.Secret)
	if err != nil || again.Secret != k.Secret {
		t.Fatalf("KeyFor = %+v, %v; want the same secret", again, err)
	}
	if _, err := twofactor.KeyFor("x", "y", "not base32!"); err == nil {
		t.Error("KeyFor took a malformed secret")
	}
	img, err := twofactor.QRCode(k.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(img)); err != nil {
		t.Errorf("QRCode is not a PNG: %v", err)
	}
}
