package main

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"
)

func TestSecretKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := storeConfig{Data: dir}
	first, err := c.secretKey()
	if err != nil || len(first) != 32 {
		t.Fatalf("secretKey = %x, %v", first, err)
	}
	fi, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v; want 0600", err, fi.Mode())
	}
	again, _ := c.secretKey()
	if !bytes.Equal(first, again) {
		t.Error("a second start made a new key: stored secrets would no longer open")
	}
	explicit := bytes.Repeat([]byte{9}, 32)
	c.SecretKey = base64.StdEncoding.EncodeToString(explicit)
	if got, err := c.secretKey(); err != nil || !bytes.Equal(got, explicit) {
		t.Errorf("--secret-key = %x, %v; want it to win over the file", got, err)
	}
	for _, bad := range []string{"not base64!", base64.StdEncoding.EncodeToString([]byte("short"))} {
		c.SecretKey = bad
		if _, err := c.secretKey(); err == nil {
			t.Errorf("--secret-key %q accepted", bad)
		}
	}
}
