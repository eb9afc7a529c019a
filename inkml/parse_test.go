package inkml

import (
	"math"
	"slices"
	"testing"

	"github.com/inkform/inkform"
)

const mmFormat = `<traceFormat><channel name="X" units="mm"/><channel name="Y" units="mm"/></traceFormat>`

func doc(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<ink xmlns="http://www.w3.org/2003/InkML">` + body + `</ink>`
}

// pt is a point for expectations: x, y (mm), t, f.
type pt [4]float64

func points(s inkform.Stroke) []pt {
	out := make([]pt, len(s.Points))
	for i, p := range s.Points {
		out[i] = pt{p.X, p.Y, float64(p.T), p.F}
	}
	return out
}

func near(a, b []pt) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		for k := range a[i] {
			if math.Abs(a[i][k]-b[i][k]) > 1e-9*max(1, math.Abs(b[i][k])) {
				return false
			}
		}
	}
	return true
}

func TestParseTraceValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		format string
		trace  string
		want   []pt
	}{
		{"explicit", mmFormat, "10 20, 11 21", []pt{{10, 20}, {11, 21}}},
		// The Recommendation's own example of difference encoding (3.2.1).
		{"spec differences", mmFormat, `1125 18432,'23'43,"7"-8,3-5,+4-3,6+2`,
			[]pt{{1125, 18432}, {1148, 18475}, {1178, 18510}, {1211, 18540}, {1248, 18567}, {1291, 18596}}},
		{"prefix persists per channel", mmFormat, `10 20,'1 !25,2 1,!0 '1`, []pt{{10, 20}, {11, 25}, {13, 1}, {0, 2}}},
		// A prefix applies to its channel only: in '1-2 the Y value is explicit.
		{"compact signs", mmFormat, `10 20,'1-2,-1'+3`, []pt{{10, 20}, {11, -2}, {10, 1}}},
		{"decimals and negatives", mmFormat, "-1.5 .25, 2. -0.125", []pt{{-1.5, 0.25}, {2, -0.125}}},
		{"exponent", mmFormat, "1e1 2.5E-1", []pt{{10, 0.25}}},
		{"whitespace everywhere", mmFormat, "\n\t 1   2 ,\r\n 3 4 \n", []pt{{1, 2}, {3, 4}}},
		{"default format is Anoto units", "", "10 20", []pt{{3, 6}}},
		{"units", `<traceFormat><channel name="X" units="cm"/><channel name="Y" units="in"/></traceFormat>`,
			"1 1", []pt{{10, 25.4}}},
		{"pt and m", `<traceFormat><channel name="X" units="pt"/><channel name="Y" units="m"/></traceFormat>`,
			"72 0.001", []pt{{25.4, 1}}},
		{"channels in any order, others dropped",
			`<traceFormat><channel name="F"/><channel name="OA"/><channel name="T"/><channel name="Y" units="mm"/><channel name="X" units="mm"/></traceFormat>`,
			"7 90 1000 2 1, '1 '0 '13 '1 '1", []pt{{1, 2, 1000, 7}, {2, 3, 1013, 8}}},
		{"seconds", `<traceFormat><channel name="X" units="mm"/><channel name="Y" units="mm"/><channel name="T" units="s"/></traceFormat>`,
			"1 2 1.5, 1 2 1.5134", []pt{{1, 2, 1500}, {1, 2, 1513}}},
		{"intermittent channel may be absent",
			`<traceFormat><channel name="X" units="mm"/><channel name="Y" units="mm"/><intermittentChannels><channel name="F"/></intermittentChannels></traceFormat>`,
			"1 2 5, 3 4, 5 6 9", []pt{{1, 2, 0, 5}, {3, 4, 0, 5}, {5, 6, 0, 9}}},
		{"format in definitions by reference",
			`<definitions><traceFormat xml:id="tf"><channel name="Y" units="mm"/><channel name="X" units="mm"/></traceFormat></definitions><context traceFormatRef="#tf"/>`,
			"1 2", []pt{{2, 1}}},
		{"context in definitions with inkSource",
			`<definitions><context xml:id="c"><inkSource xml:id="s"><traceFormat><channel name="X" units="mm"/><channel name="Y" units="cm"/></traceFormat></inkSource></context></definitions><context contextRef="#c"/>`,
			"1 2", []pt{{1, 20}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sub, err := Parse([]byte(doc(tt.format+"<trace>"+tt.trace+"</trace>")), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if len(sub.Pages) != 1 || len(sub.Pages[0].Strokes) != 1 {
				t.Fatalf("got %d pages, want one page with one stroke", len(sub.Pages))
			}
			if got := points(sub.Pages[0].Strokes[0]); !near(got, tt.want) {
				t.Errorf("points = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParsePages(t *testing.T) {
	t.Parallel()
	group := func(addr, inner string) string {
		return `<traceGroup><annotation type="pageAddress">` + addr + `</annotation>` + inner + `</traceGroup>`
	}
	body := `<annotation type="penId">AJX-AAB-7KH-6P</annotation>` +
		`<annotation type="submissionId"> s-1 </annotation>` + mmFormat +
		`<trace>0 0</trace>` +
		group("70.3.12.5", `<trace>1 1</trace><traceGroup><trace>2 2</trace></traceGroup>`+group("70.3.12.6", `<trace>3 3</trace>`)) +
		`<trace type="penUp">9 9</trace>` +
		`<traceGroup><trace>4 4</trace><annotation type="pageAddress">70.3.12.5</annotation></traceGroup>`
	sub, err := Parse([]byte(doc(body)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if sub.PenID != "AJX-AAB-7KH-6P" || sub.SubmissionID != "s-1" {
		t.Errorf("penId %q submissionId %q", sub.PenID, sub.SubmissionID)
	}
	want := map[string][]float64{"": {0}, "70.3.12.5": {1, 2, 4}, "70.3.12.6": {3}}
	order := []string{"", "70.3.12.5", "70.3.12.6"}
	if len(sub.Pages) != len(order) {
		t.Fatalf("got %d pages, want %d", len(sub.Pages), len(order))
	}
	for i, pg := range sub.Pages {
		if pg.Address != order[i] {
			t.Errorf("page %d address %q, want %q", i, pg.Address, order[i])
		}
		var xs []float64
		for _, s := range pg.Strokes {
			xs = append(xs, s.Points[0].X)
		}
		if !slices.Equal(xs, want[pg.Address]) {
			t.Errorf("page %q strokes start at x %v, want %v", pg.Address, xs, want[pg.Address])
		}
	}
}

// TestParseGroupFormat checks that a trace format inside a group applies to
// that group only.
func TestParseGroupFormat(t *testing.T) {
	t.Parallel()
	src := doc(`<traceGroup><traceFormat><channel name="Y" units="mm"/><channel name="X" units="mm"/></traceFormat><trace>1 2</trace></traceGroup><trace>3 4</trace>`)
	sub, err := Parse([]byte(src), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	s := sub.Pages[0].Strokes
	if len(s) != 2 || !near(points(s[0]), []pt{{2, 1}}) || !near(points(s[1]), []pt{{0.9, 1.2}}) {
		t.Errorf("strokes = %+v", s)
	}
}

// TestParseBOMNoNamespace checks a document as simple tools write it: a
// byte order mark, no namespace, no trace format.
func TestParseBOMNoNamespace(t *testing.T) {
	t.Parallel()
	sub, err := Parse([]byte("\ufeff<ink><trace>10 20</trace></ink>"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if got := points(sub.Pages[0].Strokes[0]); !near(got, []pt{{3, 6}}) {
		t.Errorf("points %v, want 10 and 20 Anoto units in mm", got)
	}
}
