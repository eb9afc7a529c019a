package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr/icrtrain"
)

const unipenPath = "../../../shared/data/unipen-1a1b-dev.tgz"

// writeFieldInkML writes characters side by side as one field, each scaled
// to 6 mm high with a 2 mm gap, in the InkML capture profile, with time
// running on between characters.
func writeFieldInkML(t *testing.T, path string, chars [][]inkform.Stroke) {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<ink xmlns="http://www.w3.org/2003/InkML"><context><traceFormat>` +
		`<channel name="X" type="decimal"/><channel name="Y" type="decimal"/><channel name="T" type="integer"/>` +
		`</traceFormat></context><traceGroup><annotation type="pageAddress">70.3.12.5</annotation>`)
	x0, tm := 20.0, int64(0)
	for _, strokes := range chars {
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, s := range strokes {
			for _, p := range s.Points {
				minX, maxX = min(minX, p.X), max(maxX, p.X)
				minY, maxY = min(minY, p.Y), max(maxY, p.Y)
			}
		}
		scale := 6 / max(maxY-minY, 1e-9)
		for _, s := range strokes {
			b.WriteString("<trace>")
			for i, p := range s.Points {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "%.3f %.3f %d", x0+(p.X-minX)*scale, 50+(p.Y-minY)*scale, tm)
				tm += 10
			}
			b.WriteString("</trace>")
			tm += 150
		}
		x0 += (maxX-minX)*scale + 2
		tm += 300
	}
	b.WriteString("</traceGroup></ink>")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestRecognizeHeldOutFields(t *testing.T) {
	t.Parallel()
	f, err := os.Open(unipenPath)
	if err != nil {
		t.Skipf("UNIPEN corpus not available (%v); it lives beside the repository", err)
	}
	defer f.Close()
	all, _, err := icrtrain.ReadUNIPEN(f, icrtrain.DefaultCorpusLimits())
	if err != nil {
		t.Fatal(err)
	}
	// The validation sources: the shipped models train on the test sources too.
	_, val, _ := icrtrain.SplitSamples(all)
	var digits []icrtrain.Sample
	for _, s := range val {
		if s.Section == "1a" {
			digits = append(digits, s)
		}
	}
	// 40 fields of 4 digits each, taken evenly across the writers.
	dir := t.TempDir()
	var files, truth []string
	step := len(digits) / 160
	for i := 0; i < 40; i++ {
		var chars [][]inkform.Stroke
		var want strings.Builder
		for j := 0; j < 4; j++ {
			s := digits[(i*4+j)*step]
			chars = append(chars, s.Strokes)
			want.WriteRune(s.Label)
		}
		name := filepath.Join(dir, fmt.Sprintf("field%02d.inkml", i))
		writeFieldInkML(t, name, chars)
		files, truth = append(files, name), append(truth, want.String())
	}
	var out, errOut bytes.Buffer
	if err := runRecognize(context.Background(), append([]string{"--charset", "digits"}, files...), &out, &errOut); err != nil {
		t.Fatalf("runRecognize: %v\n%s", err, errOut.String())
	}
	sc := bufio.NewScanner(&out)
	right, lines := 0, 0
	for sc.Scan() {
		var res recognizeResult
		if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
			t.Fatalf("line %d: %v: %s", lines+1, err, sc.Text())
		}
		if res.File != files[lines] {
			t.Fatalf("line %d is for %s, want %s", lines+1, res.File, files[lines])
		}
		if res.Confidence < 0 || res.Confidence > 1 || strings.Trim(res.Text, "0123456789") != "" {
			t.Fatalf("line %d: %+v", lines+1, res)
		}
		if res.Text == truth[lines] {
			right++
		}
		lines++
	}
	if lines != len(files) {
		t.Fatalf("%d lines for %d files", lines, len(files))
	}
	// With 97% per digit, four digits are all right about 88% of the time;
	// segmentation errors would push this far lower.
	if right < 30 {
		t.Fatalf("%d of %d fields read exactly, want at least 30", right, len(files))
	}
	t.Logf("%d of %d four-digit fields read exactly", right, len(files))
}

func TestRecognizeArguments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	one := filepath.Join(dir, "one.inkml")
	writeFieldInkML(t, one, [][]inkform.Stroke{{{Points: []inkform.Point{{X: 0, Y: 0}, {X: 0.1, Y: 3}, {X: 0.2, Y: 6}}}}})
	missing := filepath.Join(dir, "missing.inkml")
	tests := []struct {
		name      string
		args      []string
		wantUsage bool
		wantErr   bool
		wantLines int
	}{
		{"unknown charset", []string{"--charset", "lower", one}, true, true, 0},
		{"no files", []string{"--charset", "digits"}, true, true, 0},
		{"missing file still reports the others", []string{"--charset", "digits", missing, one}, false, true, 2},
		{"default charset", []string{one}, false, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			err := runRecognize(context.Background(), tt.args, &out, &errOut)
			if (err != nil) != tt.wantErr || errors.Is(err, errUsage) != tt.wantUsage {
				t.Fatalf("err %v, want error %v (usage %v)", err, tt.wantErr, tt.wantUsage)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if out.Len() == 0 {
				lines = nil
			}
			if len(lines) != tt.wantLines {
				t.Fatalf("%d lines, want %d: %q", len(lines), tt.wantLines, out.String())
			}
			for i, l := range lines {
				var res recognizeResult
				if err := json.Unmarshal([]byte(l), &res); err != nil {
					t.Fatal(err)
				}
				if res.File == missing != (res.Error != "") || i == len(lines)-1 && res.Text == "" {
					t.Fatalf("line %d: %+v", i, res)
				}
			}
		})
	}
}
