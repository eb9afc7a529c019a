package http

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/inkform/inkform"
)

// recordingPrinter writes a stand-in PDF and remembers how many copies
// each Blank call asked for.
type recordingPrinter struct {
	mu    sync.Mutex
	calls []int
}

func (p *recordingPrinter) NormalizeBackground(data []byte, _ *inkform.Form) ([]byte, error) {
	return data, nil
}

func (p *recordingPrinter) Blank(ctx context.Context, w io.Writer, _ *inkform.Form, copies [][]string) error {
	p.mu.Lock()
	p.calls = append(p.calls, len(copies))
	p.mu.Unlock()
	_, err := io.WriteString(w, "%PDF-1.7 stand-in")
	return err
}

// TestFormPrintBudget checks that a print over MaxPrintMarks is refused
// before the printer runs, naming how many copies of this form fit.
func TestFormPrintBudget(t *testing.T) {
	t.Parallel()
	printer := &recordingPrinter{}
	e := newEnv(t, func(s *Server) { s.Printer = printer })
	var fields []string
	for i := range 100 {
		fields = append(fields, fmt.Sprintf(`{"name": "f%d", "type": "text", "page": 1, "box": {"x": 10, "y": %d, "w": 180, "h": 2}, "comb": 200}`, i, 5+i*2))
	}
	tmpl := `{"name": "dense", "pages": [{"size": {"w": 210, "h": 297}}], "fields": [` + strings.Join(fields, ",") + `]}`
	w := e.do(t, inkform.RoleDesigner, "POST", "/api/v1/forms", "application/json", tmpl)
	if w.Code != 201 {
		t.Fatalf("create form: %d %s", w.Code, w.Body)
	}
	var form inkform.Form
	decodeJSONBody(t, w, &form)
	fit := inkform.MaxPrintMarks / form.PrintMarks()

	w = e.do(t, inkform.RoleDesigner, "GET", fmt.Sprintf("/api/v1/forms/%s/print.pdf?copies=%d", form.ID, fit+1), "", "")
	if w.Code != 400 || !strings.Contains(decodeProblem(t, w).Detail, fmt.Sprintf("at most %d copies", fit)) {
		t.Fatalf("%d copies: %d %s, want 400 naming %d copies", fit+1, w.Code, w.Body, fit)
	}
	w = e.do(t, inkform.RoleDesigner, "GET", fmt.Sprintf("/api/v1/forms/%s/print.pdf?copies=%d", form.ID, fit), "", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(w.Body.String(), "%PDF") {
		t.Fatalf("%d copies: %d %q %s", fit, w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	printer.mu.Lock()
	defer printer.mu.Unlock()
	if len(printer.calls) != 1 || printer.calls[0] != fit {
		t.Errorf("printer calls %v, want one of %d copies", printer.calls, fit)
	}
}
