package main

import (
	"fmt"
	"io"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr"
	"github.com/inkform/inkform/icr/icrtrain"
)

// writeCoverage prints the risk–coverage table of e on the validation
// sources: per set, the misread characters among the most confident
// shares, then with test-time augmentation when tta > 0.
func writeCoverage(w io.Writer, e *icr.Engine, val []icrtrain.Sample, tta int, seed uint64) {
	fmt.Fprintln(w, "\nmisread among the most confident characters, validation sources")
	fmt.Fprint(w, "| set |")
	for _, s := range icrtrain.CoverageShares {
		fmt.Fprintf(w, " %.0f%% |", 100*s)
	}
	fmt.Fprint(w, "\n|---|")
	for range icrtrain.CoverageShares {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	sets := []inkform.Charset{inkform.CharsetDigits, inkform.CharsetUpper}
	for _, cs := range sets {
		fmt.Fprintln(w, icrtrain.FormatCoverage(string(cs), icrtrain.Coverage(e, val, cs, 0, seed)))
	}
	if tta > 0 {
		for _, cs := range sets {
			name := fmt.Sprintf("%s, mean of %d distorted copies", cs, tta)
			fmt.Fprintln(w, icrtrain.FormatCoverage(name, icrtrain.Coverage(e, val, cs, tta, seed)))
		}
	}
}
