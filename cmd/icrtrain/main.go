// Command icrtrain trains the handwriting model that package icr embeds,
// from the UNIPEN 1a/1b archive, and evaluates it on the held-out source
// folders (icrtrain.TestSources). Training is seeded and single-threaded, so the
// same archive and flags write the same model file byte for byte.
//
//	go run ./cmd/icrtrain                       # train, write icr/model.bin, print the evaluation
//	go run ./cmd/icrtrain -model icr/model.bin  # evaluate the committed model only
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr"
	"github.com/inkform/inkform/icr/icrtrain"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "icrtrain:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("icrtrain", flag.ContinueOnError)
	def := icrtrain.DefaultTrainConfig()
	data := fs.String("data", "../shared/data/unipen-1a1b-dev.tgz", "UNIPEN archive")
	out := fs.String("out", "icr/model.bin", "model file to write")
	model := fs.String("model", "", "evaluate this model file instead of training")
	seed := fs.Uint64("seed", def.Seed, "random seed")
	nets := fs.String("nets", formatNets(def.Nets), "ensemble: view:width[x width…] per network, comma-separated (views traj, dir, all)")
	epochs := fs.Int("epochs", def.Epochs, "epochs per network")
	lr := fs.Float64("lr", def.LR, "initial learning rate")
	verbose := fs.Bool("v", false, "log every epoch")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Open(*data)
	if err != nil {
		return fmt.Errorf("open corpus: %w", err)
	}
	defer f.Close()
	all, st, err := icrtrain.ReadUNIPEN(f, icrtrain.DefaultCorpusLimits())
	if err != nil {
		return err
	}
	train, calib, test := icrtrain.SplitSamples(all)
	fmt.Fprintf(stdout, "corpus: %d characters (%+v); train %d, calibration %d, test %d (sources %v)\n",
		len(all), st, len(train), len(calib), len(test), icrtrain.TestSources())

	var m *icr.Model
	if *model != "" {
		b, err := os.ReadFile(*model)
		if err != nil {
			return fmt.Errorf("read model: %w", err)
		}
		if m, err = icr.DecodeModel(b); err != nil {
			return err
		}
	} else {
		cfg := def
		cfg.Seed, cfg.Epochs, cfg.LR = *seed, *epochs, *lr
		if cfg.Nets, err = parseNets(*nets); err != nil {
			return err
		}
		if *verbose {
			cfg.Log = stdout
		}
		start := time.Now()
		if m, err = icrtrain.Train(train, calib, cfg); err != nil {
			return err
		}
		b := m.Encode()
		if err := os.WriteFile(*out, b, 0o644); err != nil {
			return fmt.Errorf("write model: %w", err)
		}
		fmt.Fprintf(stdout, "trained %+v in %s; wrote %s (%d bytes)\n", cfg, time.Since(start).Round(time.Second), *out, len(b))
	}
	return report(stdout, icr.NewWithModel(m), test)
}

// report prints the evaluation table of docs/recognition.md and the
// single-goroutine speed.
func report(w io.Writer, e *icr.Engine, test []icrtrain.Sample) error {
	fmt.Fprintf(w, "threshold %.2f\n| charset | n | top-1 | top-3 | accepted | wrong among accepted | worst confusions |\n|---|---|---|---|---|---|---|\n", inkform.DefaultConfidenceThreshold)
	for _, cs := range []inkform.Charset{inkform.CharsetDigits, inkform.CharsetUpper, inkform.CharsetAlnum} {
		fmt.Fprintln(w, icrtrain.Evaluate(e, test, cs, inkform.DefaultConfidenceThreshold))
	}
	fmt.Fprintf(w, "\nfree-text fields of 4 held-out characters, segmented by the engine\n| charset | fields | segmented right | read exactly | accepted | wrong among accepted |\n|---|---|---|---|---|---|\n")
	for _, cs := range []inkform.Charset{inkform.CharsetDigits, inkform.CharsetUpper} {
		r, err := icrtrain.EvaluateFields(context.Background(), e, test, cs, 4, inkform.DefaultConfidenceThreshold)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, r)
	}
	start, cpu := time.Now(), cpuTime()
	for _, s := range test {
		e.Classify(s.Strokes, inkform.CharsetAlnum)
	}
	el, cpuEl := time.Since(start), cpuTime()-cpu
	fmt.Fprintf(w, "speed: %d characters in %s wall, %s CPU: %.0f characters/s wall, %.0f per CPU-second\n", len(test),
		el.Round(time.Millisecond), cpuEl.Round(time.Millisecond), float64(len(test))/el.Seconds(), float64(len(test))/cpuEl.Seconds())
	return nil
}

// parseNets reads "traj:128,dir:96x64" into network specs.
func parseNets(s string) ([]icrtrain.NetSpec, error) {
	var out []icrtrain.NetSpec
	for f := range strings.SplitSeq(s, ",") {
		view, widths, ok := strings.Cut(strings.TrimSpace(f), ":")
		if !ok {
			return nil, fmt.Errorf("bad network %q: want view:width", f)
		}
		ns := icrtrain.NetSpec{View: view}
		for w := range strings.SplitSeq(widths, "x") {
			n, err := strconv.Atoi(w)
			if err != nil || n < 1 {
				return nil, fmt.Errorf("bad network %q: width %q", f, w)
			}
			ns.Hidden = append(ns.Hidden, n)
		}
		out = append(out, ns)
	}
	return out, nil
}

func formatNets(nets []icrtrain.NetSpec) string {
	var parts []string
	for _, ns := range nets {
		w := make([]string, len(ns.Hidden))
		for i, n := range ns.Hidden {
			w[i] = strconv.Itoa(n)
		}
		parts = append(parts, ns.View+":"+strings.Join(w, "x"))
	}
	return strings.Join(parts, ",")
}
