package icrtrain

import (
	"os"
	"sync"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr"
)

// corpusPath is the UNIPEN archive beside the repository; tests that need
// it skip when it is absent.
const corpusPath = "../../../shared/data/unipen-1a1b-dev.tgz"

// loadCorpus reads the corpus once per test binary; tests must not modify
// the samples.
var loadCorpus = sync.OnceValues(func() ([]Sample, error) {
	f, err := os.Open(corpusPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, _, err := ReadUNIPEN(f, DefaultCorpusLimits())
	return s, err
})

// corpus returns the held-out split's three parts or skips the test.
func corpus(tb testing.TB) (train, calib, test []Sample) {
	tb.Helper()
	if _, err := os.Stat(corpusPath); err != nil {
		tb.Skipf("UNIPEN corpus not available (%v); it lives beside the repository at %s", err, corpusPath)
	}
	all, err := loadCorpus()
	if err != nil {
		tb.Fatalf("read corpus: %v", err)
	}
	return SplitSamples(all)
}

// embeddedOnValidation returns the validation sources and the embedded
// engine, or skips the test without the corpus.
func embeddedOnValidation(tb testing.TB) ([]Sample, *icr.Engine) {
	tb.Helper()
	_, val, _ := corpus(tb)
	e, err := icr.New()
	if err != nil {
		tb.Fatal(err)
	}
	return val, e
}

// BenchmarkClassify measures single-character classification on writers
// the shipped models never learnt from (the validation sources: how often
// the cascade's MLP doubts, and so its speed, depends on that); chars/s is
// per goroutine, so run it with GOMAXPROCS=1 for the per-core figure.
func BenchmarkClassify(b *testing.B) {
	_, val, _ := corpus(b)
	e := benchEngine(b)
	b.ReportAllocs()
	cpu := cpuTime()
	for i := 0; b.Loop(); i++ {
		e.Classify(val[i%len(val)].Strokes, inkform.CharsetAlnum)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "chars/s")
	// CPU time counts only this process, so it stays meaningful on a
	// machine shared with other work; with GOMAXPROCS=1 it is per core.
	if c := cpuTime() - cpu; c > 0 {
		b.ReportMetric(float64(b.N)/c.Seconds(), "chars/cpu-s")
	}
}

// benchEngine returns the embedded cascade, or the MLP file named by
// INKFORM_ICR_MODEL alone, or with INKFORM_ICR_CNN too the cascade of
// both files (to time a candidate before it is embedded).
func benchEngine(b *testing.B) *icr.Engine {
	p := os.Getenv("INKFORM_ICR_MODEL")
	if p == "" {
		e, err := icr.New()
		if err != nil {
			b.Fatal(err)
		}
		return e
	}
	m, err := icr.DecodeModel(readBench(b, p))
	if err != nil {
		b.Fatal(err)
	}
	cp := os.Getenv("INKFORM_ICR_CNN")
	if cp == "" {
		return icr.NewWithModel(m)
	}
	c, err := icr.DecodeCNN(readBench(b, cp))
	if err != nil {
		b.Fatal(err)
	}
	return icr.NewCascade(m, c)
}

func readBench(b *testing.B, name string) []byte {
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	return data
}
