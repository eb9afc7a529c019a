package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"sync"
)

// Build information a release sets with
// -ldflags "-X main.version=v1.2.3 -X main.commit=…". A build without them
// takes both from the Go build info instead (see build).
var (
	version = "dev"
	commit  = ""
)

// buildInfo says which build of inkform this is.
type buildInfo struct {
	// Version is a release tag ("v1.2.3"), a module pseudo-version
	// ("v0.0.0-20261204175407-4376d708a0c0+dirty"), or "dev" when the
	// build recorded neither.
	Version string
	// Commit is the VCS revision (12 hex digits, "-dirty" with
	// uncommitted changes), when known.
	Commit string
	// Time is the commit's time (RFC 3339), when known.
	Time string
}

// build returns this binary's build information, read once.
var build = sync.OnceValue(func() buildInfo {
	bi, _ := debug.ReadBuildInfo()
	return resolveBuild(version, commit, bi)
})

// resolveBuild prefers what -ldflags set, then the build info: the main
// module's version (a tag with go install …@v1.2.3, or what go build
// stamps from the VCS tag or commit since Go 1.24) and the vcs.* settings
// that go build records in a checkout unless -buildvcs=false.
func resolveBuild(ldVersion, ldCommit string, bi *debug.BuildInfo) buildInfo {
	b := buildInfo{Version: ldVersion, Commit: ldCommit}
	if bi == nil {
		return b
	}
	if b.Version == "dev" || b.Version == "" {
		b.Version = "dev"
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			b.Version = v
		}
	}
	var rev string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if b.Commit == "" && rev != "" {
		b.Commit = rev[:min(12, len(rev))]
		if dirty {
			b.Commit += "-dirty"
		}
	}
	return b
}

// String is what /healthz and the logs report: the version, and for a
// "dev" build its commit, so two such builds can be told apart.
func (b buildInfo) String() string {
	if b.Version == "dev" && b.Commit != "" {
		return "dev+" + b.Commit
	}
	return b.Version
}

// long is what `inkform version` prints: the version, then the commit
// (unless the version holds it) and its time where known.
func (b buildInfo) long() string {
	var extra []string
	if b.Commit != "" && !strings.Contains(b.Version, strings.TrimSuffix(b.Commit, "-dirty")) {
		extra = append(extra, "commit "+b.Commit)
	}
	if b.Time != "" {
		extra = append(extra, b.Time)
	}
	if len(extra) == 0 {
		return "inkform " + b.Version
	}
	return fmt.Sprintf("inkform %s (%s)", b.Version, strings.Join(extra, ", "))
}

func runVersion(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "", stderr)
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	fmt.Fprintln(stdout, build().long())
	return nil
}
