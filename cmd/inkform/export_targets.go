package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/blob"
)

// exportTarget is one entry of --export-targets: a name subscriptions use and
// where its objects go.
type exportTarget struct {
	Name     string
	Location string
}

// parseExportTargets reads the value of --export-targets: comma-separated
// NAME=LOCATION entries, LOCATION being a directory (a path or a file://
// URL) or an s3:// URL as --blob takes it. Names must be valid export
// target names and appear once; an empty value configures no targets. A
// location therefore cannot hold a comma.
func parseExportTargets(spec string) ([]exportTarget, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, nil
	}
	var targets []exportTarget
	seen := map[string]bool{}
	for entry := range strings.SplitSeq(spec, ",") {
		name, loc, ok := strings.Cut(strings.TrimSpace(entry), "=")
		name, loc = strings.TrimSpace(name), strings.TrimSpace(loc)
		switch {
		case !ok || loc == "":
			return nil, fmt.Errorf("%w: --export-targets entry %q is not NAME=LOCATION", errUsage, entry)
		case !inkform.ValidExportTargetName(name):
			return nil, fmt.Errorf("%w: --export-targets name %q must be 1 to 63 lower-case letters, digits, _ and -, starting with a letter or digit", errUsage, name)
		case seen[name]:
			return nil, fmt.Errorf("%w: --export-targets names %q twice", errUsage, name)
		}
		seen[name] = true
		targets = append(targets, exportTarget{Name: name, Location: loc})
	}
	return targets, nil
}

// openExportTargets opens the stores of --export-targets by name. An S3
// location goes through the same opener as --blob, with the same
// credentials (INKFORM_S3_ACCESS_KEY / INKFORM_S3_SECRET_KEY or the AWS
// chain); a directory is created when missing.
func openExportTargets(ctx context.Context, spec string) (map[string]inkform.BlobStore, error) {
	targets, err := parseExportTargets(spec)
	if err != nil {
		return nil, err
	}
	stores := make(map[string]inkform.BlobStore, len(targets))
	for _, t := range targets {
		s, err := openExportTarget(ctx, t.Location)
		if err != nil {
			return nil, fmt.Errorf("export target %q: %w", t.Name, err)
		}
		stores[t.Name] = s
	}
	return stores, nil
}

// openExportTarget opens one location.
func openExportTarget(ctx context.Context, loc string) (inkform.BlobStore, error) {
	if strings.HasPrefix(loc, "s3:") {
		return (&blobConfig{URL: loc}).open(ctx, "")
	}
	dir := loc
	if strings.HasPrefix(loc, "file:") {
		u, err := url.Parse(loc)
		if err != nil || (u.Host != "" && u.Host != "localhost") || u.Path == "" || u.RawQuery != "" {
			return nil, fmt.Errorf("%w: %q is not a file:///PATH URL", errUsage, loc)
		}
		dir = u.Path
	} else if strings.Contains(loc, "://") {
		return nil, fmt.Errorf("%w: location %q must be a directory, file:///PATH or s3://BUCKET[/PREFIX][?options]", errUsage, loc)
	}
	d, err := blob.NewDisk(dir)
	if err != nil {
		return nil, fmt.Errorf("open directory: %w", err)
	}
	return d, nil
}
