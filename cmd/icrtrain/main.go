// Command icrtrain trains the handwriting models that package icr embeds,
// the MLP ensemble (icr/model.bin) and the convolutional network of the
// cascade (icr/cnn.bin), from the UNIPEN 1a/1b archive; it calibrates both
// and chooses the cascade on the validation sources
// (icrtrain.ValidationSources) and evaluates there. The shipped models are
// trained on the training and the test sources (icrtrain.ShippedTraining);
// -test holds the test sources (icrtrain.TestSources) out of training and
// reads them once, at the end: that is how a recipe is measured before it
// is shipped. Training is seeded, so the same archive and flags write the
// same files byte for byte.
//
//	go run ./cmd/icrtrain                                  # train both as shipped, write them, evaluate on validation
//	go run ./cmd/icrtrain -cnn-model icr/cnn.bin                # retrain the MLP, recalibrate the committed CNN (what CI checks)
//	go run ./cmd/icrtrain -test -out /tmp/model.bin -cnn-out /tmp/cnn.bin  # the recipe on the held-out split, test sources read at the end
//	go run ./cmd/icrtrain -test -model /tmp/model.bin -cnn-model /tmp/cnn.bin  # evaluate such held-out models again
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
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
	cdef := icrtrain.DefaultCNNConfig()
	cnnOut := fs.String("cnn-out", "icr/cnn.bin", "convolutional network file to write")
	cnnModel := fs.String("cnn-model", "", "use this trained convolutional network instead of training one (it is calibrated anew unless -model is set too); several files, comma-separated, are averaged as one (calibrated anew)")
	cnnNets := fs.Int("cnn-nets", 1, "convolutional networks to train, seeded -seed, -seed+1, …, their logits averaged as one network")
	cnnEpochs := fs.Int("cnn-epochs", cdef.Epochs, "epochs of the convolutional network")
	cnnWorkers := fs.Int("cnn-workers", cdef.Workers, "goroutines training the convolutional network (another count gives another network)")
	cnnSide := fs.Int("cnn-side", cdef.Side, "side in pixels of the convolutional network's ink maps")
	cnnLayers := fs.String("cnn-layers", formatLayers(cdef.Convs, cdef.Pools), "conv widths of the convolutional network, comma-separated, p after a width for a 2×2 max pool")
	cnnHidden := fs.String("cnn-hidden", formatWidths(cdef.Hidden), "dense hidden widths of the convolutional network, x-separated")
	calibrate := fs.Bool("calibrate", false, "calibrate the -cnn-model network anew on the validation sources even with -model (writes -cnn-out)")
	maxWrong := fs.Float64("max-wrong", 0, "also choose per set, on the validation sources, the lowest acceptance threshold (≥ 0.9) with at most this share wrong among accepted, and report it (e.g. 0.003)")
	mlpOnly := fs.Bool("mlp-only", false, "no convolutional network: the MLP ensemble alone")
	misread := fs.String("misread", "", "list the validation characters the final engine accepts and reads wrong, and draw them into PREFIX-digits.png and PREFIX-upper.png")
	coverage := fs.Bool("coverage", false, "also count, per set, the misread validation characters among the 80–96% the final engine is most confident in (the best any threshold can do)")
	tta := fs.Int("tta", 0, "with -coverage, also rank by the mean confidence over the ink and this many distorted copies (test-time augmentation)")
	test := fs.Bool("test", false, "hold the test sources out of training and evaluate them at the end (the shipped models train on them)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *tta < 0 || (*tta > 0 && !*coverage) {
		return fmt.Errorf("-tta %d: want a count of copies with -coverage", *tta)
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
	train, val, testSet := icrtrain.SplitSamples(all)
	if !*test {
		train, testSet = icrtrain.ShippedTraining(train, testSet), nil
	}
	fmt.Fprintf(stdout, "corpus: %d characters (%+v); train %d (sources %v), validation %d (sources %v), test %d held out\n",
		len(all), st, len(train), icrtrain.SourcesOf(train), len(val), icrtrain.ValidationSources(), len(testSet))

	var m *icr.Model
	if *model != "" {
		if m, err = readFile(*model, icr.DecodeModel); err != nil {
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
		if m, err = icrtrain.Train(train, val, cfg); err != nil {
			return err
		}
		if err := writeFile(stdout, *out, m.Encode()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "trained %+v in %s\n", cfg, time.Since(start).Round(time.Second))
	}
	mlp := icr.NewWithModel(m)
	fmt.Fprintln(stdout, "\nMLP ensemble alone, validation sources")
	if err := report(stdout, mlp, val); err != nil {
		return err
	}
	engine := mlp
	if !*mlpOnly {
		var c *icr.CNN
		joined := strings.Contains(*cnnModel, ",")
		if *cnnModel != "" {
			if c, err = readCNNs(*cnnModel); err != nil {
				return err
			}
			if *test {
				warnTrainedOnTest(stdout, c.Settings)
			}
		} else {
			cfg := cdef
			cfg.Seed, cfg.Epochs, cfg.Workers = *seed, *cnnEpochs, *cnnWorkers
			cfg.Side = *cnnSide
			if cfg.Convs, cfg.Pools, err = parseLayers(*cnnLayers); err != nil {
				return err
			}
			if cfg.Hidden, err = parseWidths(*cnnHidden); err != nil {
				return err
			}
			if *verbose {
				cfg.Log = stdout
			}
			start := time.Now()
			if c, err = icrtrain.TrainCNNEnsemble(train, cfg, *cnnNets); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "trained %d CNN(s) (%s, seeds from %d) in %s\n", *cnnNets, cfg, cfg.Seed, time.Since(start).Round(time.Second))
		}
		if *cnnModel == "" || *model == "" || *calibrate || joined {
			icrtrain.CalibrateCascade(m, c, val, stdout)
			if err := writeFile(stdout, *cnnOut, c.Encode()); err != nil {
				return err
			}
		}
		engine = icr.NewCascade(m, c)
		fmt.Fprintln(stdout, "\ncascade, validation sources")
		if err := report(stdout, engine, val); err != nil {
			return err
		}
	}
	if *misread != "" {
		if err := writeMisread(stdout, *misread, engine, val); err != nil {
			return err
		}
	}
	if *coverage {
		writeCoverage(stdout, engine, val, *tta, *seed)
	}
	var strict map[inkform.Charset]float64
	if *maxWrong > 0 {
		strict = map[inkform.Charset]float64{}
		fmt.Fprintf(stdout, "\nstricter thresholds (at most %.2f%% wrong among accepted on the validation sources), validation sources\n", 100**maxWrong)
		for _, cs := range []inkform.Charset{inkform.CharsetDigits, inkform.CharsetUpper} {
			strict[cs] = icrtrain.AcceptanceThreshold(engine, val, cs, inkform.DefaultConfidenceThreshold, *maxWrong)
			fmt.Fprintf(stdout, "%.5f %s\n", strict[cs], icrtrain.Evaluate(engine, val, cs, strict[cs]))
		}
	}
	if !*test {
		return nil
	}
	if strict != nil {
		fmt.Fprintln(stdout, "\nstricter thresholds chosen on validation, TEST sources")
		for _, cs := range []inkform.Charset{inkform.CharsetDigits, inkform.CharsetUpper} {
			fmt.Fprintf(stdout, "%.5f %s\n", strict[cs], icrtrain.Evaluate(engine, testSet, cs, strict[cs]))
		}
	}
	fmt.Fprintln(stdout, "\nMLP ensemble alone, TEST sources")
	if err := report(stdout, mlp, testSet); err != nil {
		return err
	}
	if engine != mlp {
		fmt.Fprintln(stdout, "\ncascade, TEST sources")
		return report(stdout, engine, testSet)
	}
	return nil
}

// warnTrainedOnTest says so when a network's settings name test sources:
// its figures there are then not held out.
func warnTrainedOnTest(w io.Writer, settings string) {
	var seen []string
	for _, s := range icrtrain.SettingsSources(settings) {
		if slices.Contains(icrtrain.TestSources(), s) {
			seen = append(seen, s)
		}
	}
	if len(seen) > 0 {
		fmt.Fprintf(w, "note: the CNN was trained on test sources %v; its figures there are not held out\n", seen)
	}
}

// writeMisread lists the validation characters that e accepts at the
// pipeline's threshold and reads wrong, and draws each set's into
// prefix-<charset>.png.
func writeMisread(w io.Writer, prefix string, e *icr.Engine, val []icrtrain.Sample) error {
	for _, cs := range []inkform.Charset{inkform.CharsetDigits, inkform.CharsetUpper} {
		ms := icrtrain.AcceptedWrong(e, val, cs, inkform.DefaultConfidenceThreshold)
		fmt.Fprintf(w, "\n%s accepted and read wrong, validation sources: %d\n", cs, len(ms))
		samples := make([]icrtrain.Sample, len(ms))
		for i, m := range ms {
			fmt.Fprintf(w, "%d\t%s\ttruth %c\tread %c\t%.4f\n", i, m.Writer, m.Label, m.Read, m.P)
			samples[i] = m.Sample
		}
		if len(ms) == 0 {
			continue
		}
		var buf bytes.Buffer
		if err := icrtrain.WriteSheet(&buf, samples); err != nil {
			return err
		}
		if err := writeFile(w, fmt.Sprintf("%s-%s.png", prefix, cs), buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// readFile reads and decodes a model file.
func readFile[T any](name string, decode func([]byte) (T, error)) (T, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("read model: %w", err)
	}
	return decode(b)
}

// readCNNs reads one convolutional network file, or several
// comma-separated ones joined by icrtrain.Ensemble.
func readCNNs(names string) (*icr.CNN, error) {
	var nets []*icr.CNN
	for name := range strings.SplitSeq(names, ",") {
		c, err := readFile(strings.TrimSpace(name), icr.DecodeCNN)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		nets = append(nets, c)
	}
	if len(nets) == 1 {
		return nets[0], nil
	}
	return icrtrain.Ensemble(nets)
}

// writeFile writes a model file and prints its size and SHA-256.
func writeFile(w io.Writer, name string, b []byte) error {
	if err := os.WriteFile(name, b, 0o644); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	fmt.Fprintf(w, "wrote %s (%d bytes, sha256 %x)\n", name, len(b), sha256.Sum256(b))
	return nil
}

// report prints the evaluation table of docs/recognition.md and the
// single-goroutine speed.
func report(w io.Writer, e *icr.Engine, test []icrtrain.Sample) error {
	fmt.Fprintf(w, "threshold %.2f\n| charset | n | top-1 | top-3 | accepted | wrong among accepted | to the CNN | worst confusions |\n|---|---|---|---|---|---|---|---|\n", inkform.DefaultConfidenceThreshold)
	for _, cs := range []inkform.Charset{inkform.CharsetDigits, inkform.CharsetUpper, inkform.CharsetAlnum} {
		fmt.Fprintln(w, icrtrain.Evaluate(e, test, cs, inkform.DefaultConfidenceThreshold))
	}
	fmt.Fprintf(w, "\nfree-text fields of 4 characters, segmented by the engine\n| charset | fields | segmented right | read exactly | accepted | wrong among accepted |\n|---|---|---|---|---|---|\n")
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
