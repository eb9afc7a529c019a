package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/examples"
	"github.com/inkform/inkform/sqlstore"
)

// testS3 is the S3 server the tests use (versitygw in CI), with a bucket
// made and a fresh prefix chosen.
type testS3 struct {
	endpoint, bucket, prefix, key, secret string
}

// newTestS3 returns the test S3 server under a fresh prefix starting with
// name, with its credentials set as the server reads them, or nil when
// INKFORM_TEST_S3_ENDPOINT is unset. Tests that use it cannot be parallel:
// the credentials are environment variables of the process.
func newTestS3(t *testing.T, name string) *testS3 {
	t.Helper()
	s := &testS3{endpoint: os.Getenv("INKFORM_TEST_S3_ENDPOINT"), bucket: os.Getenv("INKFORM_TEST_S3_BUCKET"),
		key: os.Getenv("INKFORM_TEST_S3_ACCESS_KEY"), secret: os.Getenv("INKFORM_TEST_S3_SECRET_KEY")}
	if s.endpoint == "" {
		return nil
	}
	if s.bucket == "" {
		s.bucket = "inkform-test"
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(s.key, s.secret, "")))
	if err != nil {
		t.Fatal(err)
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(s.endpoint); o.UsePathStyle = true })
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(s.bucket)}); err != nil {
		var owned *types.BucketAlreadyOwnedByYou
		var exists *types.BucketAlreadyExists
		if !errors.As(err, &owned) && !errors.As(err, &exists) {
			t.Fatalf("create bucket: %v", err)
		}
	}
	var p [6]byte
	rand.Read(p[:])
	s.prefix = name + "-" + hex.EncodeToString(p[:])
	t.Setenv(envS3AccessKey, s.key)
	t.Setenv(envS3SecretKey, s.secret)
	return s
}

// url is the store as --blob or an export target names it.
func (s *testS3) url() string {
	return "s3://" + s.bucket + "/" + s.prefix + "?endpoint=" + s.endpoint + "&path-style=true&region=us-east-1"
}

// openSampleStore opens and migrates the database at dsn and makes an org
// with the sample form (examples/wound-check.json), changed by tweak when
// given. The database closes when the test ends.
func openSampleStore(t testing.TB, dsn string, tweak func(*inkform.FormTemplate)) (*sqlstore.DB, *inkform.Org, *inkform.Form) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	org, err := db.CreateOrg(ctx, "clinic")
	if err != nil {
		t.Fatal(err)
	}
	var tmpl inkform.FormTemplate
	if err := json.Unmarshal(examples.WoundCheckForm, &tmpl); err != nil {
		t.Fatal(err)
	}
	if tweak != nil {
		tweak(&tmpl)
	}
	form, err := db.CreateForm(ctx, org.ID, &tmpl)
	if err != nil {
		t.Fatal(err)
	}
	return db, org, form
}
