package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestResolveBuild(t *testing.T) {
	t.Parallel()
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "4376d708a0c026d85c3e35f7b28b98d0c6977c4b"},
			{Key: "vcs.time", Value: "2026-12-04T18:04:47Z"},
			{Key: "vcs.modified", Value: modified},
		}
	}
	info := func(v string, s []debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/inkform/inkform", Version: v}, Settings: s}
	}
	tests := []struct {
		name                string
		ldVersion, ldCommit string
		bi                  *debug.BuildInfo
		want                buildInfo
		healthz, line       string
	}{
		{"-ldflags win", "v1.2.3", "abc", info("v0.0.0-x", vcs("true")),
			buildInfo{"v1.2.3", "abc", "2026-12-04T18:04:47Z"}, "v1.2.3", "inkform v1.2.3 (commit abc, 2026-12-04T18:04:47Z)"},
		{"go install …@v1.2.3", "dev", "", info("v1.2.3", nil),
			buildInfo{"v1.2.3", "", ""}, "v1.2.3", "inkform v1.2.3"},
		{"go build on a tag", "dev", "", info("v1.2.3", vcs("false")),
			buildInfo{"v1.2.3", "4376d708a0c0", "2026-12-04T18:04:47Z"}, "v1.2.3", "inkform v1.2.3 (commit 4376d708a0c0, 2026-12-04T18:04:47Z)"},
		{"go build between tags, changed", "dev", "", info("v0.0.0-20261204180447-4376d708a0c0+dirty", vcs("true")),
			buildInfo{"v0.0.0-20261204180447-4376d708a0c0+dirty", "4376d708a0c0-dirty", "2026-12-04T18:04:47Z"},
			"v0.0.0-20261204180447-4376d708a0c0+dirty", "inkform v0.0.0-20261204180447-4376d708a0c0+dirty (2026-12-04T18:04:47Z)"},
		{"(devel) with a revision", "dev", "", info("(devel)", vcs("true")),
			buildInfo{"dev", "4376d708a0c0-dirty", "2026-12-04T18:04:47Z"}, "dev+4376d708a0c0-dirty", "inkform dev (commit 4376d708a0c0-dirty, 2026-12-04T18:04:47Z)"},
		{"-buildvcs=false", "dev", "", info("(devel)", nil), buildInfo{"dev", "", ""}, "dev", "inkform dev"},
		{"no build info", "dev", "", nil, buildInfo{"dev", "", ""}, "dev", "inkform dev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := resolveBuild(tt.ldVersion, tt.ldCommit, tt.bi)
			if got != tt.want {
				t.Errorf("resolveBuild = %+v, want %+v", got, tt.want)
			}
			if got.String() != tt.healthz {
				t.Errorf("String() = %q, want %q", got.String(), tt.healthz)
			}
			if got.long() != tt.line {
				t.Errorf("long() = %q, want %q", got.long(), tt.line)
			}
		})
	}
}

// TestVersionReported: the version command and /healthz report the same
// build, read from this test binary's own build info.
func TestVersionReported(t *testing.T) {
	t.Parallel()
	out := mustCLI(t, "version")
	if want := build().long() + "\n"; out != want || !strings.HasPrefix(out, "inkform ") {
		t.Errorf("version printed %q, want %q", out, want)
	}
	s := startServer(t)
	var health struct{ Version string }
	s.call(t, "GET", "/healthz", "", "", nil).json(t, &health)
	if health.Version != build().String() || health.Version == "" {
		t.Errorf("/healthz version %q, want %q", health.Version, build().String())
	}
}
