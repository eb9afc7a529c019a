package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/blob"
)

// Environment variables with S3 credentials. They are not flags, so the
// secret never shows in a process listing; without them the AWS chain
// (AWS_ACCESS_KEY_ID, shared files, SSO, instance and task roles) applies.
const (
	envS3AccessKey = "INKFORM_S3_ACCESS_KEY"
	envS3SecretKey = "INKFORM_S3_SECRET_KEY"
)

// blobConfig says where objects (backgrounds, PDFs, cutouts) live.
type blobConfig struct {
	URL string
}

func (c *blobConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.URL, "blob", "", "object storage: empty for the blobs folder in --data, or s3://BUCKET/PREFIX?region=R&endpoint=URL&path-style=true (credentials: "+envS3AccessKey+"/"+envS3SecretKey+" or the AWS chain)")
}

// open returns the configured store; dataDir is the --data directory used
// when no URL is given.
func (c *blobConfig) open(ctx context.Context, dataDir string) (inkform.BlobStore, error) {
	if c.URL == "" {
		return blob.NewDisk(filepath.Join(dataDir, "blobs"))
	}
	cfg, err := parseS3URL(c.URL)
	if err != nil {
		return nil, err
	}
	cfg.AccessKey, cfg.SecretKey = os.Getenv(envS3AccessKey), os.Getenv(envS3SecretKey)
	s, err := blob.NewS3(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("--blob: %w", err)
	}
	return s, nil
}

// parseS3URL reads s3://bucket/prefix?region=…&endpoint=…&path-style=true.
// Credentials in the URL are refused: URLs end up in logs and process
// listings.
func parseS3URL(raw string) (blob.S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return blob.S3Config{}, fmt.Errorf("%w: --blob %q is not a URL", errUsage, raw)
	}
	if u.Scheme != "s3" || u.Host == "" {
		return blob.S3Config{}, fmt.Errorf("%w: --blob must be empty or s3://BUCKET[/PREFIX][?options], not %q", errUsage, raw)
	}
	if u.User != nil {
		return blob.S3Config{}, fmt.Errorf("%w: --blob must not carry credentials; set %s and %s", errUsage, envS3AccessKey, envS3SecretKey)
	}
	cfg := blob.S3Config{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/")}
	for k, v := range u.Query() {
		switch k {
		case "region":
			cfg.Region = v[0]
		case "endpoint":
			cfg.Endpoint = v[0]
		case "path-style":
			if cfg.PathStyle, err = strconv.ParseBool(v[0]); err != nil {
				return blob.S3Config{}, fmt.Errorf("%w: --blob path-style=%q is not true or false", errUsage, v[0])
			}
		default:
			return blob.S3Config{}, fmt.Errorf("%w: --blob has an unknown option %q (region, endpoint, path-style)", errUsage, k)
		}
	}
	return cfg, nil
}
