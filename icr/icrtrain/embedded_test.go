package icrtrain

import (
	"crypto/sha256"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr"
)

// The embedded models as cmd/icrtrain wrote them (docs/recognition.md):
// these tests check that the files are these and that their accuracy on
// the validation sources is the documented figure (inference is
// deterministic, so exactly); with INKFORM_ICR_RETRAIN=1, as in CI,
// TestCommittedModelIsReproducible also remakes both files.
const (
	embeddedMLPSHA256 = "9ed6c89c0fa9d19ef874ccfd6358d71b1e34c320c7793873c9be399754756538"
	embeddedCNNSHA256 = "a7a31bbaa9473e2c8a5dcddcbfd47b95fe5897a1517ea1a21ef17fabe2272654"
	// right readings on the validation sources, digits and letters
	embeddedValDigits, embeddedValUpper = 1205, 3946
)

func TestEmbeddedModels(t *testing.T) {
	t.Parallel()
	for _, f := range []struct{ name, sum string }{{"../model.bin", embeddedMLPSHA256}, {"../cnn.bin", embeddedCNNSHA256}} {
		b, err := os.ReadFile(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%x", sha256.Sum256(b)); got != f.sum {
			t.Errorf("%s: sha256 %s, recorded %s", f.name, got, f.sum)
		}
	}
	b, err := os.ReadFile("../cnn.bin")
	if err != nil {
		t.Fatal(err)
	}
	c, err := icr.DecodeCNN(b)
	if err != nil {
		t.Fatal(err)
	}
	if want := DefaultCNNConfig().String() + " sources="; !strings.HasPrefix(c.Settings, want) {
		t.Errorf("embedded CNN trained with %q, the default recipe is %q", c.Settings, want)
	}
	// The shipped network learnt from the test sources too (ShippedTraining),
	// never from the validation sources, which calibrate it.
	src := SettingsSources(c.Settings)
	for _, s := range TestSources() {
		if !slices.Contains(src, s) {
			t.Errorf("embedded CNN was not trained on test source %s (sources %v)", s, src)
		}
	}
	for _, s := range ValidationSources() {
		if slices.Contains(src, s) {
			t.Errorf("embedded CNN was trained on validation source %s", s)
		}
	}
}

func TestEmbeddedValidationAccuracy(t *testing.T) {
	val, e := embeddedOnValidation(t)
	for _, tt := range []struct {
		cs   inkform.Charset
		want int
	}{{inkform.CharsetDigits, embeddedValDigits}, {inkform.CharsetUpper, embeddedValUpper}} {
		if r := Evaluate(e, val, tt.cs, inkform.DefaultConfidenceThreshold); r.Top1 != tt.want {
			t.Errorf("%s: %d right of %d on the validation sources, documented %d", tt.cs, r.Top1, r.N, tt.want)
		}
	}
}

// TestEmbeddedFieldAccuracy checks the free-text field figures of
// docs/recognition.md (round 7) exactly: fields of four validation
// characters, segmented and read by the embedded engine.
func TestEmbeddedFieldAccuracy(t *testing.T) {
	val, e := embeddedOnValidation(t)
	for _, want := range []FieldResult{
		{Charset: inkform.CharsetDigits, Fields: 304, Segmented: 287, Exact: 278, Accepted: 272, AcceptedWrong: 8, AcceptedMissplit: 4},
		{Charset: inkform.CharsetUpper, Fields: 1013, Segmented: 919, Exact: 835, Accepted: 647, AcceptedWrong: 22, AcceptedMissplit: 8},
	} {
		got, err := EvaluateFields(t.Context(), e, val, want.Charset, 4, inkform.DefaultConfidenceThreshold)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s fields: %+v, documented %+v", want.Charset, got, want)
		}
	}
}
