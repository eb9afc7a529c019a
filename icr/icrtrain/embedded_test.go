package icrtrain

import (
	"crypto/sha256"
	"fmt"
	"os"
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
	embeddedMLPSHA256 = "74844343affb1ced00897d57505548c4d521e391747b302ff990ff90ab50b75e"
	embeddedCNNSHA256 = "818b8e2a5bc4e36af7509a0675738d21de48aed1d579045b4e99bac91b7d6391"
	// right readings on the validation sources, digits and letters
	embeddedValDigits, embeddedValUpper = 1206, 3928
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
	if want := DefaultCNNConfig().String(); c.Settings != want {
		t.Errorf("embedded CNN trained with %q, the default recipe is %q", c.Settings, want)
	}
}

func TestEmbeddedValidationAccuracy(t *testing.T) {
	_, val, _ := corpus(t)
	e, err := icr.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		cs   inkform.Charset
		want int
	}{{inkform.CharsetDigits, embeddedValDigits}, {inkform.CharsetUpper, embeddedValUpper}} {
		if r := Evaluate(e, val, tt.cs, inkform.DefaultConfidenceThreshold); r.Top1 != tt.want {
			t.Errorf("%s: %d right of %d on the validation sources, documented %d", tt.cs, r.Top1, r.N, tt.want)
		}
	}
}
