package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files and generated docs")

const (
	docPath   = "../../docs/configuration.md"
	beginMark = "<!-- BEGIN GENERATED FLAGS: go test ./cmd/inkform -run TestConfigurationDoc -update -->"
	endMark   = "<!-- END GENERATED FLAGS -->"
)

// flagSets returns the flag sets of the commands, as they register them.
func flagSets() []*flag.FlagSet {
	serve := newFlagSet("serve", "", io.Discard)
	var sc serveConfig
	sc.register(serve)

	worker := newFlagSet("worker", "", io.Discard)
	var wc workerNodeConfig
	wc.register(worker)
	return []*flag.FlagSet{serve, worker}
}

// generatedFlags renders the flag tables of docs/configuration.md.
func generatedFlags() string {
	var b strings.Builder
	for _, fs := range flagSets() {
		fmt.Fprintf(&b, "\n### `inkform %s`\n\n| flag | environment | default | meaning |\n|---|---|---|---|\n", fs.Name())
		fs.VisitAll(func(f *flag.Flag) {
			def := f.DefValue
			if def == "" {
				def = "—"
			}
			fmt.Fprintf(&b, "| `--%s` | `%s` | `%s` | %s |\n", f.Name, envName(f.Name), def, f.Usage)
		})
	}
	return b.String()
}

// TestConfigurationDoc keeps the flag tables of docs/configuration.md in
// step with the code; -update rewrites them.
func TestConfigurationDoc(t *testing.T) {
	data, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	i, j := strings.Index(doc, beginMark), strings.Index(doc, endMark)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the generated-flags markers", docPath)
	}
	want := doc[:i+len(beginMark)] + "\n" + generatedFlags() + "\n" + doc[j:]
	if *update {
		if err := os.WriteFile(docPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != doc {
		t.Errorf("%s is out of date with the flags; run: go test ./cmd/inkform -run TestConfigurationDoc -update", docPath)
	}
}
