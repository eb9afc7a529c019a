package inkml

import (
	"bytes"
	"errors"
	"math"
	"os"
	"testing"

	"github.com/inkform/inkform"
)

// fuzzLimits keep fuzzed inputs from spending the fuzzer's time on size.
var fuzzLimits = Limits{MaxBytes: 1 << 16, MaxPoints: 5000, MaxTraces: 200, MaxPages: 8}

// checkSubmission asserts what every successful parse guarantees.
func checkSubmission(t *testing.T, sub *inkform.InkSubmission, err error) {
	t.Helper()
	if err != nil {
		var e *inkform.Error
		if !errors.As(err, &e) || (e.Code != inkform.EINVALID && e.Code != inkform.ETOOLARGE) {
			t.Fatalf("error is not an EINVALID/ETOOLARGE *inkform.Error: %#v", err)
		}
		return
	}
	if len(sub.Pages) > fuzzLimits.MaxPages {
		t.Fatalf("%d pages over the limit", len(sub.Pages))
	}
	points, strokes := 0, 0
	for _, pg := range sub.Pages {
		if pg.Address != "" && inkform.ValidateAddress(pg.Address) != nil {
			t.Fatalf("invalid address %q accepted", pg.Address)
		}
		for _, s := range pg.Strokes {
			if len(s.Points) == 0 {
				t.Fatal("empty stroke")
			}
			strokes++
			for _, p := range s.Points {
				points++
				if math.IsNaN(p.X+p.Y+p.F) || math.IsInf(p.X+p.Y+p.F, 0) {
					t.Fatalf("non-finite point %+v", p)
				}
			}
		}
	}
	if points > fuzzLimits.MaxPoints || strokes > fuzzLimits.MaxTraces {
		t.Fatalf("%d points, %d strokes over the limits", points, strokes)
	}
	// What was read writes out and reads back the same.
	var buf bytes.Buffer
	if err := Write(&buf, &inkform.DocumentInk{PenID: sub.PenID, Pages: sub.Pages}); err != nil {
		t.Fatalf("write: %v", err)
	}
	again, err := Parse(buf.Bytes(), DefaultLimits())
	if err != nil {
		t.Fatalf("re-parse: %v", err)
	}
	if diff := equalPages(again.Pages, sub.Pages); diff != "" {
		t.Fatalf("round trip: %s", diff)
	}
}

func FuzzParse(f *testing.F) {
	// The example's head and first traces: the whole 57 KB file slows the
	// fuzzer's mutation to a crawl.
	if data, err := os.ReadFile(exampleInkML); err == nil {
		if i := bytes.Index(data, []byte("</trace>")); i > 0 {
			f.Add(append(data[:i:i], "</trace></traceGroup></ink>"...))
		}
	}
	f.Add([]byte(doc(mmFormat + `<trace>1125 18432,'23'43,"7"-8,3-5,+4-3,6+2</trace>`)))
	f.Add([]byte(doc(`<traceFormat><channel name="X"/><channel name="Y"/><intermittentChannels><channel name="F"/></intermittentChannels></traceFormat><traceGroup><annotation type="pageAddress">1.2.3.4</annotation><trace>1 2 3,4 5</trace></traceGroup>`)))
	f.Add([]byte(`<ink><definitions><context xml:id="c"><traceFormat><channel name="Y" units="in"/><channel name="X"/><channel name="T" units="s"/></traceFormat></context></definitions><trace contextRef="#c">1 2 0.5,'1'1'1</trace></ink>`))
	f.Add([]byte(`<ink><trace><![CDATA[1 2]]>,3&#32;4</trace></ink>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sub, err := Parse(data, fuzzLimits)
		checkSubmission(t, sub, err)
	})
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{"penId":"P","submissionId":"s","units":"cm","pages":[{"address":"1.2.3.4","strokes":[{"points":[[1,2],[3,4,5],[6,7,8,9]]}]}]}`))
	f.Add([]byte(`{"pages":[{"address":"","strokes":[{"points":[[1e5,-2]]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sub, err := ParseJSON(data, fuzzLimits)
		checkSubmission(t, sub, err)
	})
}

func FuzzDecodeStrokes(f *testing.F) {
	f.Add([]byte(`{"strokes":[{"points":[[1,2],[3,4,5,6]]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		strokes, err := DecodeStrokes(data, fuzzLimits)
		if err == nil && strokes == nil {
			t.Fatal("nil strokes without an error")
		}
		sub := &inkform.InkSubmission{}
		if len(strokes) > 0 {
			sub.Pages = []inkform.PageInk{{Strokes: strokes}}
		}
		checkSubmission(t, sub, err)
	})
}
