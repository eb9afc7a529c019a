package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"github.com/inkform/inkform"
)

// FuzzFilledText renders documents whose form name, field label and value
// are any text a user can send: every result must be a PDF that pdfcpu
// validates, whose pages' content streams consist of the operators the
// renderer writes with every string closed, and whose summary shows the
// value (in Windows-1252, "?" for what it lacks).
//
//	go test ./pdf/ -run '^$' -fuzz FuzzFilledText -fuzztime 60s
func FuzzFilledText(f *testing.F) {
	for _, s := range [][3]string{
		{"Home visit", "Name", "Erika Mustermann"},
		{"(unbalanced", `back\slash)`, `\) Tj ET Q BT /F1 99 Tf (`},
		{"Hausbesuch – ü ✓ 漢字 😀", "\x00\r\n\t\x7f", "\xff\xfe invalid UTF-8 \xc3"},
		{"", "", strings.Repeat("W", 600)},
		{"%%EOF endobj", "endstream", "<< /Type /Catalog >>"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, name, label, value string) {
		form := sampleForm()
		form.Name, form.Fields[1].Label = name, label
		doc, di := sampleDoc()
		doc.Fields["name"] = inkform.FieldValue{Value: value, Source: inkform.SourceVerifier, Valid: true}
		var buf bytes.Buffer
		if err := Filled(&buf, FilledInput{Form: form, Doc: doc, Ink: di}); err != nil {
			t.Fatalf("Filled: %v", err)
		}
		ctx, err := api.ReadContext(bytes.NewReader(buf.Bytes()), pdfcpuConfig())
		if err == nil {
			err = api.ValidateContext(ctx)
		}
		if err != nil {
			t.Fatalf("pdfcpu: %v", err)
		}
		var shown []string
		for p := 1; p <= ctx.PageCount; p++ {
			d, _, _, err := ctx.PageDict(p, false)
			if err != nil {
				t.Fatal(err)
			}
			content, err := ctx.PageContent(d, p)
			if err != nil {
				t.Fatalf("page %d: %v", p, err)
			}
			strs, err := lexContent(content)
			if err != nil {
				t.Fatalf("page %d: %v", p, err)
			}
			shown = append(shown, strs...)
		}
		want := latin(value)
		want = want[:min(len(want), 3)]
		for _, s := range shown {
			if strings.HasPrefix(s, want) {
				return
			}
		}
		t.Errorf("no text on any page starts with %q", want)
	})
}

// contentOps are the operators the renderer writes in page contents.
var contentOps = map[string]bool{
	"q": true, "Q": true, "cm": true, "Do": true, "w": true, "J": true, "j": true, "RG": true, "rg": true,
	"re": true, "S": true, "m": true, "l": true, "BT": true, "ET": true, "Tf": true, "Td": true, "Tj": true,
}

// lexContent reads a content stream as the renderer writes it and returns
// its strings, decoded. It fails on an unclosed string, an operator the
// renderer does not write (such as NaN from a broken number), unbalanced
// q/Q or BT/ET, or anything else.
func lexContent(b []byte) ([]string, error) {
	var strs []string
	depth := map[string]int{}
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == ' ' || c == '\n' || c == '\r':
			i++
		case c == '(':
			var s []byte
			nest := 0
			i++
			for ; ; i++ {
				if i >= len(b) {
					return nil, fmt.Errorf("string not closed")
				}
				if b[i] == '\\' && i+1 < len(b) {
					i++
					switch b[i] {
					case 'r':
						s = append(s, '\r')
					case 'n':
						s = append(s, '\n')
					default:
						s = append(s, b[i])
					}
					continue
				}
				if b[i] == '(' {
					nest++
				} else if b[i] == ')' {
					if nest == 0 {
						break
					}
					nest--
				}
				s = append(s, b[i])
			}
			i++
			strs = append(strs, string(s))
		case c == '/' || c == '-' || c == '.' || c >= '0' && c <= '9':
			j := i + 1
			for j < len(b) && b[j] != ' ' && b[j] != '\n' {
				j++
			}
			i = j
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
			j := i
			for j < len(b) && (b[j] >= 'A' && b[j] <= 'Z' || b[j] >= 'a' && b[j] <= 'z') {
				j++
			}
			op := string(b[i:j])
			if !contentOps[op] {
				return nil, fmt.Errorf("operator %q at %d", op, i)
			}
			switch op {
			case "q", "BT":
				depth[op]++
			case "Q":
				depth["q"]--
			case "ET":
				depth["BT"]--
			}
			if depth["q"] < 0 || depth["BT"] < 0 {
				return nil, fmt.Errorf("%s without its opening at %d", op, i)
			}
			i = j
		default:
			return nil, fmt.Errorf("byte %#x at %d", c, i)
		}
	}
	if depth["q"] != 0 || depth["BT"] != 0 {
		return nil, fmt.Errorf("unbalanced: %d q, %d BT left open", depth["q"], depth["BT"])
	}
	return strs, nil
}
