package pdf

import (
	"bytes"
	"math"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/pdf/pdftest"
)

func TestNormalizeBackground(t *testing.T) {
	t.Parallel()
	form := sampleForm()
	a4 := inkform.Size{W: 210, H: 297}
	letter := inkform.Size{W: 215.9, H: 279.4}
	valid := makeBackground(t, a4, a4)
	tests := []struct {
		name    string
		data    []byte
		code    string
		problem string // part of a problem's message
	}{
		{"matching", valid, "", ""},
		{"within 1 mm", makeBackground(t, inkform.Size{W: 210.8, H: 296.3}, a4), "", ""},
		{"one page short", makeBackground(t, a4), inkform.EUNPROCESSABLE, "has 1 pages, the form 2"},
		{"one page too many", makeBackground(t, a4, a4, a4), inkform.EUNPROCESSABLE, "has 3 pages, the form 2"},
		{"letter size", makeBackground(t, a4, letter), inkform.EUNPROCESSABLE, "is 215.9 x 279.4 mm, the form page 210.0 x 297.0 mm"},
		{"landscape", makeBackground(t, inkform.Size{W: 297, H: 210}, a4), inkform.EUNPROCESSABLE, "is 297.0 x 210.0 mm"},
		{"not a PDF", []byte("GIF89a..."), inkform.EUNPROCESSABLE, ""},
		{"empty", nil, inkform.EUNPROCESSABLE, ""},
		{"truncated", valid[:len(valid)/2], inkform.EUNPROCESSABLE, ""},
		{"garbage after the header", []byte("%PDF-1.7\n\x00\x01\x02 trailer <<>>\n%%EOF"), inkform.EUNPROCESSABLE, ""},
		{"too large", append([]byte("%PDF-1.4\n"), make([]byte, inkform.MaxBackgroundBytes)...), inkform.ETOOLARGE, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := NormalizeBackground(tt.data, form)
			if code := inkform.ErrorCode(err); code != tt.code {
				t.Fatalf("NormalizeBackground: %v (code %q), want code %q", err, code, tt.code)
			}
			if err == nil && !bytes.HasPrefix(out, []byte("%PDF-")) {
				t.Fatalf("NormalizeBackground returned %d bytes that are not a PDF", len(out))
			}
			if err != nil && out != nil {
				t.Errorf("NormalizeBackground returned %d bytes with its error", len(out))
			}
			if tt.problem == "" {
				return
			}
			var msgs []string
			for _, p := range inkform.ErrorProblems(err) {
				msgs = append(msgs, p.Path+": "+p.Message)
			}
			if all := strings.Join(msgs, "\n"); !strings.Contains(all, tt.problem) {
				t.Errorf("problems %q lack %q", all, tt.problem)
			}
		})
	}
}

// TestFilledRefusesBadInput checks that Filled writes nothing and names
// the problem for input it cannot use.
func TestFilledRefusesBadInput(t *testing.T) {
	t.Parallel()
	form := sampleForm()
	doc, di := sampleDoc()
	strayInk := &inkform.DocumentInk{Pages: []inkform.PageInk{{Address: "9.9.9.9", Strokes: di.Pages[0].Strokes}}}
	noPages := sampleForm()
	noPages.Pages = nil
	tests := []struct {
		name string
		in   FilledInput
		code string
	}{
		{"no form", FilledInput{Doc: doc}, inkform.EINVALID},
		{"no document", FilledInput{Form: form}, inkform.EINVALID},
		{"form without pages", FilledInput{Form: noPages, Doc: doc}, inkform.EUNPROCESSABLE},
		{"ink on a foreign page", FilledInput{Form: form, Doc: doc, Ink: strayInk}, inkform.EUNPROCESSABLE},
		{"background of the wrong size", FilledInput{Form: form, Doc: doc, Ink: di, Background: makeBackground(t, inkform.Size{W: 100, H: 100})}, inkform.EUNPROCESSABLE},
		{"background that is no PDF", FilledInput{Form: form, Doc: doc, Background: []byte("%PDF-garbage")}, inkform.EUNPROCESSABLE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			err := Filled(&buf, tt.in)
			if code := inkform.ErrorCode(err); code != tt.code {
				t.Fatalf("Filled: %v (code %q), want %q", err, code, tt.code)
			}
			if buf.Len() != 0 {
				t.Errorf("Filled wrote %d bytes before failing", buf.Len())
			}
		})
	}
}

// TestFilledHostileValues checks that long values, PDF delimiters and
// broken ink come out as a sound PDF, quickly.
func TestFilledHostileValues(t *testing.T) {
	t.Parallel()
	form := sampleForm()
	doc, di := sampleDoc()
	doc.Fields["name"] = inkform.FieldValue{Value: strings.Repeat(`(\) endstream %%EOF `, 5000), Source: inkform.SourceVerifier, Valid: true}
	di.Pages[0].Strokes = append(di.Pages[0].Strokes, inkform.Stroke{Points: []inkform.Point{
		{X: 30, Y: 60, F: math.Inf(1)}, {X: math.NaN(), Y: 61}, {X: 40, Y: math.Inf(-1)}, {X: 45, Y: 62, F: math.NaN()},
	}})
	start := time.Now()
	data := filled(t, FilledInput{Form: form, Doc: doc, Ink: di})
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	qpdfCheck(t, data)
	// qpdf does not parse content streams: look at them uncompressed.
	plain, err := exec.Command(needTool(t, "qpdf"), "--qdf", "--object-streams=disable", writeTemp(t, "h.pdf", data), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`\b(NaN|[+-]?Inf)\b`).Find(plain); m != nil {
		t.Errorf("content has the number %q", m)
	}
}

// TestFilledUniquePatternAddresses checks that ink on a copy's own address
// lands on the right page and that the copy's address is printed.
func TestFilledUniquePatternAddresses(t *testing.T) {
	t.Parallel()
	tool := needTool(t, "pdftotext")
	form := sampleForm()
	form.Pattern = inkform.PatternUnique
	form.Pages[0].Address, form.Pages[1].Address = "", ""
	doc, di := sampleDoc()
	doc.Pages = []inkform.DocumentPage{{Number: 1, Address: "71.0.0.10"}, {Number: 2, Address: "71.0.0.11"}}
	di.Pages[0].Address = "71.0.0.10"
	data := filled(t, FilledInput{Form: form, Doc: doc, Ink: di})
	out, err := exec.Command(tool, "-f", "1", "-l", "1", writeTemp(t, "u.pdf", data), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "71.0.0.10") {
		t.Errorf("page 1 lacks the copy's address:\n%s", out)
	}
	img := renderPage(t, data, 1, 100)
	if n := inkPixels(img, *form.Field("patient_no").Box, 100); n < 50 {
		t.Errorf("ink of the copy's page 1 not on page 1 (%d pixels)", n)
	}
}

// FuzzNormalizeBackground feeds NormalizeBackground broken PDFs: the PDF
// reader panics on bad input, which must come back as EUNPROCESSABLE, and
// no input may make it allocate without bound (the seeds include small
// bombs of every kind for the fuzzer to grow).
//
//	go test ./pdf/ -run '^$' -fuzz FuzzNormalizeBackground -fuzztime 60s -fuzzminimizetime 10x
func FuzzNormalizeBackground(f *testing.F) {
	a4 := inkform.Size{W: 210, H: 297}
	valid := makeBackground(f, a4, a4)
	f.Add(valid)
	f.Add(valid[:len(valid)-40])
	f.Add([]byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"))
	for _, k := range []pdftest.Kind{pdftest.Contents, pdftest.SharedContents, pdftest.ChainedFilters, pdftest.XRefStream, pdftest.ObjectStreams} {
		f.Add(pdftest.Bomb(k, 2, 1<<16))
	}
	form := sampleForm()
	// Streams may inflate to MaxBackgroundInflatedBytes, which pdfcpu
	// holds for an object stream (doubling its buffer as it grows);
	// parsing costs a multiple of the input.
	const inflated = 4 * inkform.MaxBackgroundInflatedBytes
	f.Fuzz(func(t *testing.T, data []byte) {
		// A parser that loops on a hostile file would stall a worker; an
		// answer must come within seconds.
		type result struct {
			out []byte
			err error
		}
		done := make(chan result, 1)
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		go func() {
			out, err := NormalizeBackground(data, form)
			done <- result{out, err}
		}()
		var r result
		var alloc uint64
		select {
		case r = <-done:
			alloc = allocatedSince(before)
		case <-time.After(10 * time.Second):
			t.Fatalf("NormalizeBackground has not answered in 10 s on %d bytes", len(data))
		}
		if most := inflated + 64*uint64(len(data)); alloc > most {
			t.Fatalf("NormalizeBackground allocated %d bytes for %d bytes of input", alloc, len(data))
		}
		switch inkform.ErrorCode(r.err) {
		case "":
			if !bytes.HasPrefix(r.out, []byte("%PDF-")) {
				t.Fatalf("NormalizeBackground accepted the input but returned %d bytes that are not a PDF", len(r.out))
			}
		case inkform.EUNPROCESSABLE, inkform.ETOOLARGE:
		default:
			t.Fatalf("NormalizeBackground: %v", r.err)
		}
	})
}
