package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// smallSystem is an idle system with one form and one rendered document;
// it returns the server, an admin token and the document's ID.
func smallSystem(t *testing.T, data string, extra ...string) (*server, string, string) {
	t.Helper()
	s := startServerArgs(t, []string{"--data", data}, extra)
	tok := s.org(t, "clinic", "admin", "integrator")
	id := submitDigital(t, s, tok["integrator"], createSampleForm(t, s, tok["admin"]))
	waitPDF(t, s, id, tok["admin"])
	return s, tok["admin"], id
}

// submitDigital submits a complete digital copy of the sample form and
// returns the document's ID.
func submitDigital(t *testing.T, s *server, token, formID string) string {
	t.Helper()
	body := `{"fields":{"patient_no":"004711","visit_date":"271126","dressing_changed":true,"pain":"some",
		"signature":{"strokes":[{"points":[[5,10],[20,4],[35,15],[50,5],[70,12]]}]}}}`
	r := s.call(t, "POST", "/api/v1/forms/"+formID+"/submissions", token, "application/json", []byte(body))
	want(t, r, 201, "digital submission")
	var doc struct{ ID string }
	r.json(t, &doc)
	return doc.ID
}

// TestRestoreRefusesDamagedArchive runs the commands as an operator would:
// a damaged archive is refused with exit 1 and a message naming the file,
// and the target stays empty; --check finds the damage without a target.
func TestRestoreRefusesDamagedArchive(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	smallSystem(t, src)
	archive := filepath.Join(t.TempDir(), "archive")
	mustCLI(t, "backup", "--to", archive, "--data", src)
	if _, errs, code := cli(t, "backup", "--to", archive, "--data", src); code != 1 || !strings.Contains(errs, "not empty") {
		t.Errorf("backup into a used directory: exit %d, %s", code, errs)
	}
	mustCLI(t, "restore", "--check", "--from", archive)
	if _, errs, code := cli(t, "restore", "--from", archive, "--with-keys", "--data", t.TempDir()); code != 2 || !strings.Contains(errs, "passphrase") {
		t.Errorf("--with-keys without a passphrase: exit %d, %s", code, errs)
	}

	p := filepath.Join(archive, "db", "documents.jsonl")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x20
	os.WriteFile(p, data, 0o600)
	if _, errs, code := cli(t, "restore", "--check", "--from", archive); code != 1 || !strings.Contains(errs, "damaged archive: db/documents.jsonl") {
		t.Errorf("restore --check of a damaged archive: exit %d, %s", code, errs)
	}
	dst := t.TempDir()
	_, errs, code := cli(t, "restore", "--from", archive, "--data", dst)
	if code != 1 || !strings.Contains(errs, "damaged archive: db/documents.jsonl does not match its SHA-256") {
		t.Errorf("restore of a damaged archive: exit %d, %s", code, errs)
	}
	if entries, _ := os.ReadDir(filepath.Join(dst, "blobs")); len(entries) != 0 {
		t.Errorf("the refused restore wrote objects: %v", entries)
	}
	if _, errs, code := cli(t, "restore", "--from", filepath.Join(t.TempDir(), "nothing"), "--data", t.TempDir()); code != 1 || !strings.Contains(errs, "no manifest.json") {
		t.Errorf("restore from an empty directory: exit %d, %s", code, errs)
	}
}

// TestBackupRestoreS3 keeps the system's objects, the archive and the
// restored system's objects in S3.
func TestBackupRestoreS3(t *testing.T) {
	srcS3 := newTestS3(t, "backup-src")
	if srcS3 == nil {
		t.Skip("INKFORM_TEST_S3_ENDPOINT is not set; skipping backups to S3")
	}
	archive, dstS3 := newTestS3(t, "backup-archive"), newTestS3(t, "backup-dst")
	s, token, id := smallSystem(t, t.TempDir(), "--blob", srcS3.url())
	mustCLI(t, "backup", "--to", archive.url(), "--data", s.args[1], "--blob", srcS3.url())
	dst := []string{"--data", t.TempDir(), "--blob", dstS3.url()}
	mustCLI(t, append([]string{"restore", "--from", archive.url()}, dst...)...)
	checkRestoredSystem(t, s, startServer(t, dst...), token, []string{id},
		map[string][]byte{id: waitPDF(t, s, id, token).body})
	// The objects are there now: a restore with another, empty database
	// but the same object store is refused.
	again := []string{"restore", "--from", archive.url(), "--data", t.TempDir(), "--blob", dstS3.url()}
	if _, errs, code := cli(t, again...); code != 1 || !strings.Contains(errs, "target object store is not empty") {
		t.Errorf("restore into a used object store: exit %d, %s", code, errs)
	}
}

// TestBackupWithKeys: the key travels sealed and lands in the target's key
// file; a target with another key, a wrong passphrase and a source without
// a key are refused.
func TestBackupWithKeys(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	smallSystem(t, src)
	pass := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(pass, []byte("correct horse battery staple\n"), 0o600)
	archive := filepath.Join(t.TempDir(), "archive")
	mustCLI(t, "backup", "--to", archive, "--data", src, "--with-keys", "--passphrase-file", pass)
	if _, errs, code := cli(t, "backup", "--to", t.TempDir(), "--db", "sqlite:"+filepath.Join(src, "inkform.db"),
		"--data", t.TempDir(), "--with-keys", "--passphrase-file", pass); code != 1 || !strings.Contains(errs, "no secret key") {
		t.Errorf("--with-keys without a key: exit %d, %s", code, errs)
	}
	key := readFile(t, filepath.Join(src, "secret.key"))

	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "secret.key"), []byte("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"), 0o600)
	if _, errs, code := cli(t, "restore", "--from", archive, "--data", other, "--with-keys", "--passphrase-file", pass); code != 1 || !strings.Contains(errs, "differs") {
		t.Errorf("restore into a system with another key: exit %d, %s", code, errs)
	}
	wrong := filepath.Join(t.TempDir(), "wrong")
	os.WriteFile(wrong, []byte("incorrect horse battery staple\n"), 0o600)
	dst := t.TempDir()
	if _, errs, code := cli(t, "restore", "--from", archive, "--data", dst, "--with-keys", "--passphrase-file", wrong); code != 1 || !strings.Contains(errs, "passphrase does not open") {
		t.Errorf("restore with a wrong passphrase: exit %d, %s", code, errs)
	}
	mustCLI(t, "restore", "--from", archive, "--data", dst, "--with-keys", "--passphrase-file", pass)
	if got := readFile(t, filepath.Join(dst, "secret.key")); string(got) != string(key) {
		t.Errorf("restored key file %q, want the source's %q", got, key)
	}
}
