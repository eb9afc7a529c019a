package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/inkform/inkform/blob"
)

func TestParseExportTargets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec string
		want []exportTarget
		bad  string
	}{
		{spec: "", want: nil},
		{spec: "  ", want: nil},
		{spec: "archive=/srv/exports", want: []exportTarget{{"archive", "/srv/exports"}}},
		{spec: " archive = /srv/a , lake=s3://bucket/inkform?region=eu-central-1&path-style=true,old_2=file:///srv/old",
			want: []exportTarget{{"archive", "/srv/a"}, {"lake", "s3://bucket/inkform?region=eu-central-1&path-style=true"}, {"old_2", "file:///srv/old"}}},
		// The first = splits: a location may hold more.
		{spec: "x=./a=b", want: []exportTarget{{"x", "./a=b"}}},
		{spec: "archive", bad: "not NAME=LOCATION"},
		{spec: "archive=", bad: "not NAME=LOCATION"},
		{spec: "archive=/a,", bad: "not NAME=LOCATION"},
		{spec: "=/srv/a", bad: "name \"\""},
		{spec: "Archive=/srv/a", bad: "name \"Archive\""},
		{spec: "-x=/srv/a", bad: "name \"-x\""},
		{spec: "a b=/srv/a", bad: "name \"a b\""},
		{spec: strings.Repeat("a", 64) + "=/srv/a", bad: "must be 1 to 63"},
		{spec: "a=/srv/a,b=/srv/b,a=/srv/c", bad: "names \"a\" twice"},
	}
	for _, tt := range tests {
		got, err := parseExportTargets(tt.spec)
		switch {
		case tt.bad != "":
			if err == nil || !strings.Contains(err.Error(), tt.bad) || !errors.Is(err, errUsage) {
				t.Errorf("%q: err %v, want a usage error about %q", tt.spec, err, tt.bad)
			}
		case err != nil || !slices.Equal(got, tt.want):
			t.Errorf("%q: %v, %v; want %v", tt.spec, got, err, tt.want)
		}
	}
}

// TestOpenExportTargets opens directory targets for real and checks that
// an object put through one lands in its directory, and that bad locations
// are refused with the target's name.
func TestOpenExportTargets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	stores, err := openExportTargets(ctx, "archive="+a+",old=file://"+b)
	if err != nil {
		t.Fatal(err)
	}
	if len(stores) != 2 {
		t.Fatalf("opened %d stores, want 2", len(stores))
	}
	for name, d := range map[string]string{"archive": a, "old": b} {
		disk, ok := stores[name].(*blob.Disk)
		if !ok || disk.Dir != d {
			t.Errorf("%s: store %#v, want a disk in %s", name, stores[name], d)
			continue
		}
		if err := disk.Put(ctx, "o1/x.csv", bytes.NewReader([]byte("a,b\n")), 4, "text/csv"); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(d, "o1", "x.csv")); err != nil {
			t.Errorf("%s: the object is not in its directory: %v", name, err)
		}
	}

	for _, tt := range []struct{ spec, bad string }{
		{"x=http://example.org/exports", `export target "x": usage: location "http://example.org/exports" must be a directory`},
		{"x=file://host/srv/x", `export target "x": usage: "file://host/srv/x" is not a file:///PATH URL`},
		{"x=s3://bucket?acl=public", `export target "x": usage: --blob has an unknown option "acl"`},
		{"x=s3://u:p@bucket", `export target "x": usage: --blob must not carry credentials`},
		{"x=" + dir + ",x=" + dir, `names "x" twice`},
	} {
		if _, err := openExportTargets(ctx, tt.spec); err == nil || !strings.Contains(err.Error(), tt.bad) {
			t.Errorf("%q: err %v, want one containing %q", tt.spec, err, tt.bad)
		}
	}
}
