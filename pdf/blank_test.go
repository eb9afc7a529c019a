package pdf

import (
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

func TestBlank(t *testing.T) {
	t.Parallel()
	form := sampleForm()
	tests := []struct {
		name   string
		copies [][]string
		want   []string // the address printed on each page
	}{
		{"copied pattern", nil, []string{"70.3.12.5", "70.3.12.6"}},
		{"three unique copies", [][]string{{"71.0.0.1", "71.0.0.2"}, {"71.0.0.3", "71.0.0.4"}, {"71.0.0.5", "71.0.0.6"}},
			[]string{"71.0.0.1", "71.0.0.2", "71.0.0.3", "71.0.0.4", "71.0.0.5", "71.0.0.6"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tool := needTool(t, "pdftotext")
			var buf bytes.Buffer
			if err := Blank(context.Background(), &buf, form, tt.copies); err != nil {
				t.Fatal(err)
			}
			qpdfCheck(t, buf.Bytes())
			if n := len(pageSizes(t, buf.Bytes())); n != len(tt.want) {
				t.Fatalf("%d pages, want %d", n, len(tt.want))
			}
			file := writeTemp(t, "blank.pdf", buf.Bytes())
			for i, addr := range tt.want {
				p := strconv.Itoa(i + 1)
				out, err := exec.Command(tool, "-f", p, "-l", p, file, "-").Output()
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(out), addr) || !strings.Contains(string(out), "Patient number") && i%2 == 0 {
					t.Errorf("page %d lacks address %s or labels:\n%s", i+1, addr, out)
				}
			}
			// A blank form has no ink: nothing blue on page 1.
			img := renderPage(t, buf.Bytes(), 1, 50)
			if n := inkPixels(img, inkform.Box{X: 0, Y: 0, W: 210, H: 297}, 50); n != 0 {
				t.Errorf("blank page has %d ink pixels", n)
			}
		})
	}
}

func TestBlankRefusesBadInput(t *testing.T) {
	t.Parallel()
	form := sampleForm()
	many := make([][]string, inkform.MaxPrintCopies+1)
	for i := range many {
		many[i] = []string{"1.1.1.1", "1.1.1.2"}
	}
	for name, tc := range map[string]struct {
		form   *inkform.Form
		copies [][]string
	}{
		"no form":                 {nil, nil},
		"copy with one address":   {form, [][]string{{"71.0.0.1"}}},
		"copy with three":         {form, [][]string{{"a", "b", "c"}}},
		"too many copies at once": {form, many},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := Blank(context.Background(), &buf, tc.form, tc.copies); inkform.ErrorCode(err) != inkform.EINVALID || buf.Len() != 0 {
				t.Errorf("Blank: %v with %d bytes written, want EINVALID and nothing", err, buf.Len())
			}
		})
	}
}
