package inkml

import (
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

func TestParseJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		want      map[string][]pt // by address
		pen, sub  string
	}{
		{"mm default", `{"penId":"P1","submissionId":"s","pages":[{"address":"70.3.12.5","strokes":[{"points":[[1,2],[3,4,5],[6,7,8,9.5]]}]}]}`,
			map[string][]pt{"70.3.12.5": {{1, 2}, {3, 4, 5}, {6, 7, 8, 9.5}}}, "P1", "s"},
		{"cm", `{"units":"cm","pages":[{"address":"","strokes":[{"points":[[1,2]]}]}]}`,
			map[string][]pt{"": {{10, 20}}}, "", ""},
		{"anoto", `{"units":"anoto","pages":[{"address":"1.2.3.4","strokes":[{"points":[[10,20,1.6]]}]}]}`,
			map[string][]pt{"1.2.3.4": {{3, 6, 2}}}, "", ""},
		{"merged pages", `{"pages":[{"address":"1.2.3.4","strokes":[{"points":[[1,1]]}]},{"address":"1.2.3.4","strokes":[{"points":[[2,2]]}]}]}`,
			map[string][]pt{"1.2.3.4": {{1, 1}, {2, 2}}}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sub, err := ParseJSON([]byte(tt.doc), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if sub.PenID != tt.pen || sub.SubmissionID != tt.sub {
				t.Errorf("ids %q %q, want %q %q", sub.PenID, sub.SubmissionID, tt.pen, tt.sub)
			}
			if len(sub.Pages) != len(tt.want) {
				t.Fatalf("%d pages, want %d", len(sub.Pages), len(tt.want))
			}
			for _, pg := range sub.Pages {
				var got []pt
				for _, s := range pg.Strokes {
					got = append(got, points(s)...)
				}
				if !near(got, tt.want[pg.Address]) {
					t.Errorf("page %q: %v, want %v", pg.Address, got, tt.want[pg.Address])
				}
			}
		})
	}
}

func TestParseJSONRefuses(t *testing.T) {
	t.Parallel()
	page := func(points string) string {
		return `{"pages":[{"address":"1.2.3.4","strokes":[{"points":` + points + `}]}]}`
	}
	tests := []struct {
		name, doc string
		lim       func(*Limits)
		code, msg string
	}{
		{"unknown key", `{"pen":"x","pages":[]}`, nil, inkform.EINVALID, `unknown key "pen"`},
		{"unknown nested key", `{"pages":[{"address":"1.2.3.4","ink":[]}]}`, nil, inkform.EINVALID, `unknown key "ink"`},
		{"syntax", `{"pages":[}`, nil, inkform.EINVALID, "malformed JSON"},
		{"type", `{"pages":{}}`, nil, inkform.EINVALID, "pages must be an array, not a JSON object"},
		{"trailing", `{"pages":[]} {}`, nil, inkform.EINVALID, "data after the JSON value"},
		{"truncated", `{"pages":[{"address":"1.2.3.4","strokes":[{"points":[[1,2],[3`, nil, inkform.EINVALID, "malformed JSON at byte 61: the body ends"},
		{"short point", page(`[[1]]`), nil, inkform.EINVALID, "a point must be an array"},
		{"long point", page(`[[1,2,3,4,5]]`), nil, inkform.EINVALID, "a point must be an array"},
		{"string in point", page(`[["1",2]]`), nil, inkform.EINVALID, "a point must be an array"},
		{"null point", page(`[null]`), nil, inkform.EINVALID, "a point must be an array"},
		{"empty stroke", page(`[]`), nil, inkform.EINVALID, "pages[0].strokes[0] has no points"},
		{"out of range", page(`[[1,2],[1e7,2]]`), nil, inkform.EINVALID, "pages[0].strokes[0].points[1]: coordinate"},
		{"units", `{"units":"px","pages":[]}`, nil, inkform.EINVALID, `units must be mm, cm, m, in, pt or anoto, not "px"`},
		{"address", `{"pages":[{"address":"1.2.3","strokes":[]}]}`, nil, inkform.EINVALID, "pages[0].address"},
		{"pen id", `{"penId":"` + strings.Repeat("p", 101) + `","pages":[]}`, nil, inkform.EINVALID, "penId is longer"},
		{"max bytes", page(`[[1,2]]`), func(l *Limits) { l.MaxBytes = 10 }, inkform.ETOOLARGE, "limit of 10 bytes"},
		{"max points", page(`[[1,2],[3,4]]`), func(l *Limits) { l.MaxPoints = 1 }, inkform.ETOOLARGE, "limit of 1 points"},
		{"max traces", page(`[[1,2]]`), func(l *Limits) { l.MaxTraces = 0 }, inkform.ETOOLARGE, "limit of 0 traces"},
		{"max pages", `{"pages":[{"address":"1.2.3.4","strokes":[{"points":[[1,2]]}]},{"address":"1.2.3.5","strokes":[{"points":[[1,2]]}]}]}`, func(l *Limits) { l.MaxPages = 1 }, inkform.ETOOLARGE, "limit of 1 pages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lim := DefaultLimits()
			if tt.lim != nil {
				tt.lim(&lim)
			}
			_, err := ParseJSON([]byte(tt.doc), lim)
			if code := inkform.ErrorCode(err); code != tt.code {
				t.Fatalf("code %q (%v), want %s", code, err, tt.code)
			}
			if msg := inkform.ErrorMessage(err); !strings.Contains(msg, tt.msg) {
				t.Errorf("message %q does not contain %q", msg, tt.msg)
			}
		})
	}
}

func TestDecodeStrokes(t *testing.T) {
	t.Parallel()
	strokes, err := DecodeStrokes([]byte(`{"strokes":[{"points":[[1.5,2],[3,4,10,0.5]]},{"points":[[0,0]]}]}`), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(strokes) != 2 || !near(points(strokes[0]), []pt{{1.5, 2}, {3, 4, 10, 0.5}}) || !near(points(strokes[1]), []pt{{0, 0}}) {
		t.Errorf("strokes = %+v", strokes)
	}
	empty, err := DecodeStrokes([]byte(`{"strokes":[]}`), DefaultLimits())
	if err != nil || empty == nil || len(empty) != 0 {
		t.Errorf("empty: %v, %v; want an empty non-nil slice", empty, err)
	}
	for _, bad := range []string{`{"strokes":[],"units":"cm"}`, `[]`, `{"strokes":[{"points":[]}]}`} {
		if _, err := DecodeStrokes([]byte(bad), DefaultLimits()); inkform.ErrorCode(err) != inkform.EINVALID {
			t.Errorf("%s: err = %v, want EINVALID", bad, err)
		}
	}
	lim := DefaultLimits()
	lim.MaxPoints = 1
	if _, err := DecodeStrokes([]byte(`{"strokes":[{"points":[[1,2],[3,4]]}]}`), lim); inkform.ErrorCode(err) != inkform.ETOOLARGE {
		t.Errorf("over MaxPoints: err = %v, want ETOOLARGE", err)
	}
}
