package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/blob"
)

func TestParseS3URL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url  string
		want blob.S3Config
		bad  string
	}{
		{url: "s3://forms", want: blob.S3Config{Bucket: "forms"}},
		{url: "s3://forms/prod/eu/?region=eu-central-1", want: blob.S3Config{Bucket: "forms", Prefix: "prod/eu", Region: "eu-central-1"}},
		{url: "s3://b?endpoint=http://127.0.0.1:7070&path-style=true", want: blob.S3Config{Bucket: "b", Endpoint: "http://127.0.0.1:7070", PathStyle: true}},
		{url: "file:///tmp/x", bad: "must be empty or s3://"},
		{url: "s3:///prefix", bad: "must be empty or s3://"},
		{url: "s3://key:secret@b", bad: "credentials"},
		{url: "s3://b?path-style=maybe", bad: "path-style"},
		{url: "s3://b?acl=public", bad: "unknown option"},
	}
	for _, tt := range tests {
		got, err := parseS3URL(tt.url)
		switch {
		case tt.bad != "":
			if err == nil || !strings.Contains(err.Error(), tt.bad) || !errors.Is(err, errUsage) {
				t.Errorf("%s: err %v, want one about %q", tt.url, err, tt.bad)
			}
		case err != nil || got != tt.want:
			t.Errorf("%s: %+v, %v; want %+v", tt.url, got, err, tt.want)
		}
	}
}

// TestRenderOnS3 runs the server with its objects in a real S3-compatible
// server (versitygw in CI) and checks that the PDF and a cutout land under
// the document's prefix. Not parallel: the store and its credentials are
// environment variables of the process.
func TestRenderOnS3(t *testing.T) {
	s3t := newTestS3(t, "e2e")
	if s3t == nil {
		t.Skip("INKFORM_TEST_S3_ENDPOINT is unset: skipping the S3 end-to-end test")
	}
	ctx := context.Background()
	// As a variable, not a flag: the CLI commands the test runs against
	// the same data directory have no --blob.
	t.Setenv(envName("blob"), s3t.url())
	s := startServer(t)
	store, err := blob.NewS3(ctx, blob.S3Config{Bucket: s3t.bucket, Prefix: s3t.prefix, Endpoint: s3t.endpoint, PathStyle: true, AccessKey: s3t.key, SecretKey: s3t.secret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		store.List(ctx, "", func(b inkform.BlobInfo) error { return store.Delete(ctx, b.Key) })
	})

	tok := s.org(t, "clinic", "admin", "gateway")
	createSampleForm(t, s, tok["admin"])
	r := s.call(t, "POST", "/api/v1/ink", tok["gateway"], inkML, readFile(t, "../../examples/wound-check.inkml"))
	want(t, r, 202, "submit ink")
	var ans captureAnswer
	r.json(t, &ans)
	id := ans.Documents[0].ID
	pdfAnswer := waitPDF(t, s, id, tok["admin"])
	qpdf(t, pdfAnswer.body, "--check")
	want(t, s.call(t, "GET", "/api/v1/documents/"+id+"/fields/patient_no/cutout.png", tok["admin"], "", nil), 200, "cutout")

	var pdfs, cutouts int
	err = store.List(ctx, "orgs/", func(b inkform.BlobInfo) error {
		switch {
		case !strings.Contains(b.Key, "/documents/"+id+"/"):
			t.Errorf("unexpected object %s", b.Key)
		case strings.HasSuffix(b.Key, ".pdf") && strings.Contains(b.Key, "/documents/"+id+"/pdf-"):
			pdfs++
		case strings.HasSuffix(b.Key, "/patient_no@200.png"):
			cutouts++
		}
		return nil
	})
	if err != nil || pdfs < 1 || cutouts != 1 {
		t.Errorf("objects in S3: %d PDFs, %d cutouts, err %v", pdfs, cutouts, err)
	}
}
