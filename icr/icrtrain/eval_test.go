package icrtrain

import (
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/icr"
)

// TestHeldOutAccuracy guards the committed model against regressions on
// writers it never saw. The floors are the targets (digits 98%,
// letters 95%, at most 0.5% wrong among accepted characters while
// accepting 90% of digits) with top-3 and letter acceptance a little under
// the figures in docs/recognition.md.
func TestHeldOutAccuracy(t *testing.T) {
	_, _, test := corpus(t)
	e, err := icr.New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cs                            inkform.Charset
		minTop1, minTop3, minAccepted float64
		maxAcceptedErrors             float64
	}{
		{inkform.CharsetDigits, 0.98, 0.995, 0.90, 0.005},
		{inkform.CharsetUpper, 0.95, 0.985, 0.78, 0.005},
	}
	for _, tt := range tests {
		r := Evaluate(e, test, tt.cs, inkform.DefaultConfidenceThreshold)
		top1, top3 := float64(r.Top1)/float64(r.N), float64(r.Top3)/float64(r.N)
		accepted := float64(r.Accepted) / float64(r.N)
		wrong := float64(r.AcceptedWrong) / float64(r.Accepted)
		t.Logf("%s", r)
		if r.N < 1000 || top1 < tt.minTop1 || top3 < tt.minTop3 || accepted < tt.minAccepted || wrong > tt.maxAcceptedErrors {
			t.Errorf("%s: n %d, top-1 %.4f (min %.2f), top-3 %.4f (min %.2f), accepted %.4f (min %.2f), wrong among accepted %.4f (max %.3f)",
				tt.cs, r.N, top1, tt.minTop1, top3, tt.minTop3, accepted, tt.minAccepted, wrong, tt.maxAcceptedErrors)
		}
	}
}
