package pdf

import (
	"bytes"
	"context"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// benchInput is a one-page A4 form with 40 strokes of about 30 points.
func benchInput(b *testing.B, withBackground bool) FilledInput {
	form := sampleForm()
	form.Pages = form.Pages[:1]
	form.Fields = form.Fields[:7]
	doc, di := sampleDoc()
	var strokes []inkform.Stroke
	for i := range 40 {
		strokes = append(strokes, digit(inkform.Box{X: 20 + float64(i%10)*17, Y: 30 + float64(i/10)*40, W: 10, H: 12}, 0.8))
	}
	di.Pages[0].Strokes = strokes
	in := FilledInput{Form: form, Doc: doc, Ink: di}
	if withBackground {
		in.Background = makeBackground(b, form.Pages[0].Size)
	}
	return in
}

// BenchmarkFilled measures filled-form PDFs per second for one page with
// 40 strokes: with a background PDF read for each document (Filled), with
// one prepared once and cached as the render workers do (Printer with a
// BackgroundCache), and drawn from the template. Target: 200/s per core.
//
//	go test -run '^$' -bench Filled -benchmem -cpu 1 ./pdf/
func BenchmarkFilled(b *testing.B) {
	for _, bc := range []struct {
		name  string
		bg    bool
		cache *BackgroundCache
	}{{"background", true, nil}, {"background-cached", true, NewBackgroundCache(64 << 20)}, {"drawn", false, nil}} {
		b.Run(bc.name, func(b *testing.B) {
			in := benchInput(b, bc.bg)
			p := Printer{Backgrounds: bc.cache}
			var size int
			cpu := cpuTime()
			for b.Loop() {
				// A new buffer each time, as the render worker has.
				var buf bytes.Buffer
				if err := p.Filled(&buf, in.Form, in.Doc, in.Ink, in.Background); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
			}
			reportRate(b, cpu, "pdfs")
			b.ReportMetric(float64(size), "bytes/pdf")
		})
	}
}

// BenchmarkNormalizeBackground measures the pdfcpu pass that every
// background goes through.
func BenchmarkNormalizeBackground(b *testing.B) {
	form := sampleForm()
	data := makeBackground(b, form.Pages[0].Size, form.Pages[1].Size)
	for b.Loop() {
		if _, err := NormalizeBackground(data, form); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBlank measures blank forms: 100 copies of the two-page form.
func BenchmarkBlank(b *testing.B) {
	form := sampleForm()
	copies := make([][]string, 100)
	for i := range copies {
		copies[i] = []string{"71.0.0.1", "71.0.0.2"}
	}
	for b.Loop() {
		if err := Blank(context.Background(), io.Discard, form, copies); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime returns the process's CPU time so far: the machine is shared,
// so CPU time per operation says more than wall time about one core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportRate reports what/s by wall time and what/cpu-s by CPU time.
func reportRate(b *testing.B, cpu0 time.Duration, what string) {
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), what+"/s")
	b.ReportMetric(float64(b.N)/cpu.Seconds(), what+"/cpu-s")
}
