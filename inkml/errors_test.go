package inkml

import (
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	trace := func(s string) string { return doc(mmFormat + "<trace>" + s + "</trace>") }
	deep := strings.Repeat("<traceGroup>", maxGroupDepth+1) + strings.Repeat("</traceGroup>", maxGroupDepth+1)
	tests := []struct {
		name, doc string
		lim       func(*Limits)
		code, msg string
	}{
		{"doctype", `<!DOCTYPE ink [<!ENTITY x "1">]><ink/>`, nil, inkform.EINVALID, "must not contain a DTD or entities"},
		{"doctype inside", doc(`<!DOCTYPE x>`), nil, inkform.EINVALID, "must not contain a DTD or entities"},
		{"directive in trace", trace(`1 2<!ENTITY x "y">`), nil, inkform.EINVALID, "must not contain a DTD or entities"},
		{"undeclared entity", trace(`1 2&x;`), nil, inkform.EINVALID, "malformed XML"},
		{"empty", ``, nil, inkform.EINVALID, "no <ink> element"},
		{"not xml", `hello`, nil, inkform.EINVALID, "text before the <ink>"},
		{"wrong root", `<svg/>`, nil, inkform.EINVALID, "root element must be <ink>"},
		{"wrong namespace", `<ink xmlns="urn:x"/>`, nil, inkform.EINVALID, "root element must be <ink>"},
		{"mismatched tag", doc("<trace>1 2</traceGroup>"), nil, inkform.EINVALID, "malformed XML"},
		{"truncated", `<ink><trace>1 2</trace>`, nil, inkform.EINVALID, "malformed XML"},
		{"after root", doc("") + "<ink/>", nil, inkform.EINVALID, "after the </ink>"},
		{"no points", trace(""), nil, inkform.EINVALID, "trace 1 (line 2): the trace has no points"},
		{"self-closing trace", doc("<trace/>"), nil, inkform.EINVALID, "no points"},
		{"trailing comma", trace("1 2,"), nil, inkform.EINVALID, "point 2 has 0 values, the trace format needs 2"},
		{"too few values", trace("1 2, 3"), nil, inkform.EINVALID, "point 2 has 1 values"},
		{"too many values", trace("1 2 3"), nil, inkform.EINVALID, "more than the 2 values"},
		{"letter", trace("1 2x"), nil, inkform.EINVALID, `unexpected "x"`},
		{"nan", trace("NaN 2"), nil, inkform.EINVALID, "expected a number"},
		{"infinite", trace("1e400 2"), nil, inkform.EINVALID, "expected a number"},
		{"out of range", trace("1e7 2"), nil, inkform.EINVALID, "out of range"},
		{"dot dot", trace("1.5.5 2"), nil, inkform.EINVALID, `unexpected ".5 2"`},
		{"first difference first", trace("'1 2"), nil, inkform.EINVALID, "point 1: a first difference needs a previous value"},
		{"second difference second", trace(`1 2,"1 2`), nil, inkform.EINVALID, "point 2: a second difference needs two previous values"},
		{"element in trace", trace("1 2<b/>"), nil, inkform.EINVALID, "must not contain elements"},
		{"trace type", doc(`<trace type="hover">1 2</trace>`), nil, inkform.EINVALID, "type must be penDown"},
		{"unknown contextRef", doc(`<trace contextRef="#nope">1 2</trace>`), nil, inkform.EINVALID, `contextRef "#nope" names no element`},
		{"units", doc(`<traceFormat><channel name="X" units="furlong"/><channel name="Y"/></traceFormat>`), nil, inkform.EINVALID, `channel X: unsupported units "furlong"`},
		{"time units", doc(`<traceFormat><channel name="X"/><channel name="Y"/><channel name="T" units="h"/></traceFormat>`), nil, inkform.EINVALID, `channel T: unsupported units "h"`},
		{"no Y", doc(`<traceFormat><channel name="X"/></traceFormat>`), nil, inkform.EINVALID, "must declare the channels X and Y"},
		{"twice", doc(`<traceFormat><channel name="X"/><channel name="X"/><channel name="Y"/></traceFormat>`), nil, inkform.EINVALID, "channel X is declared twice"},
		{"bad address", doc(`<traceGroup><annotation type="pageAddress">70.3.12</annotation></traceGroup>`), nil, inkform.EINVALID, "segment.shelf.book.page"},
		{"two addresses", doc(`<traceGroup><annotation type="pageAddress">1.2.3.4</annotation><annotation type="pageAddress">1.2.3.5</annotation></traceGroup>`), nil, inkform.EINVALID, "two page addresses"},
		{"address outside group", doc(`<annotation type="pageAddress">1.2.3.4</annotation>`), nil, inkform.EINVALID, "belongs in a <traceGroup>"},
		{"pen id in group", doc(`<traceGroup><annotation type="penId">p</annotation></traceGroup>`), nil, inkform.EINVALID, "belongs directly under <ink>"},
		{"two pen ids", doc(`<annotation type="penId">a</annotation><annotation type="penId">b</annotation>`), nil, inkform.EINVALID, "two penId annotations"},
		{"long pen id", doc(`<annotation type="penId">` + strings.Repeat("x", inkform.MaxPenIDLength+1) + `</annotation>`), nil, inkform.EINVALID, "penId is longer than 100 bytes"},
		{"long submission id", doc(`<annotation type="submissionId">` + strings.Repeat("x", inkform.MaxSubmissionIDLength+1) + `</annotation>`), nil, inkform.EINVALID, "submissionId is longer than 200 bytes"},
		{"deep groups", doc(deep), nil, inkform.EINVALID, "nested more than 64 deep"},
		{"max bytes", trace("1 2"), func(l *Limits) { l.MaxBytes = 50 }, inkform.ETOOLARGE, "limit of 50 bytes"},
		{"max traces", trace("1 2") + "", func(l *Limits) { l.MaxTraces = 0 }, inkform.ETOOLARGE, "limit of 0 traces"},
		{"max points", trace("1 2, 3 4, 5 6"), func(l *Limits) { l.MaxPoints = 2 }, inkform.ETOOLARGE, "limit of 2 points"},
		{"max pages", doc(`<trace>1 2</trace><traceGroup><annotation type="pageAddress">1.2.3.4</annotation><trace>1 2</trace></traceGroup>`),
			func(l *Limits) { l.MaxPages = 1 }, inkform.ETOOLARGE, "limit of 1 pages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lim := DefaultLimits()
			if tt.lim != nil {
				tt.lim(&lim)
			}
			sub, err := Parse([]byte(tt.doc), lim)
			if err == nil {
				t.Fatalf("Parse succeeded with %d pages, want %s error", len(sub.Pages), tt.code)
			}
			if code := inkform.ErrorCode(err); code != tt.code {
				t.Errorf("code %s (%v), want %s", code, err, tt.code)
			}
			if msg := inkform.ErrorMessage(err); !strings.Contains(msg, tt.msg) {
				t.Errorf("message %q does not contain %q", msg, tt.msg)
			}
		})
	}
}

// TestParseErrorLine checks that errors name the line of the problem, also
// after trace text the decoder skipped.
func TestParseErrorLine(t *testing.T) {
	t.Parallel()
	src := "<ink>\n<trace>1 2,\n3 4</trace>\n<trace>\n5 6,\n7 x</trace>\n<bad></ink>"
	_, err := Parse([]byte(src), DefaultLimits())
	if msg := inkform.ErrorMessage(err); !strings.Contains(msg, "trace 2 (line 6)") {
		t.Errorf("message %q does not name trace 2 on line 6", msg)
	}
	src = "<ink>\n<trace>1 2,\n3 4</trace>\n<trace>\n5 6</trace>\n</bad></ink>"
	_, err = Parse([]byte(src), DefaultLimits())
	if msg := inkform.ErrorMessage(err); !strings.Contains(msg, "line 6") {
		t.Errorf("message %q does not name line 6", msg)
	}
}

// TestParseSlowPath checks trace text that the fast scanner hands to the
// decoder: character references, CDATA and comments.
func TestParseSlowPath(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"1&#32;2,&#51; 4", "<![CDATA[1 2,3 4]]>", "1 2,<!-- pen lifted? -->3 4", "1 2<?pi x?>,3 4"} {
		sub, err := Parse([]byte(`<ink>`+mmFormat+`<trace>`+body+`</trace></ink>`), DefaultLimits())
		if err != nil {
			t.Errorf("%s: %v", body, err)
			continue
		}
		if got := points(sub.Pages[0].Strokes[0]); !near(got, []pt{{1, 2}, {3, 4}}) {
			t.Errorf("%s: points %v", body, got)
		}
	}
}

// TestParseSiblingTraces covers plain traces that follow a plain trace,
// which the parser reads without the decoder.
func TestParseSiblingTraces(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		lim       func(*Limits)
		strokes   int
		code      string
	}{
		{"run", doc(mmFormat + "<trace>1 2</trace>\n <trace>3 4</trace><trace>5 6</trace>"), nil, 3, ""},
		{"attributes break the run", doc(mmFormat + `<trace>1 2</trace><trace type="penUp">3 4</trace><trace>5 6</trace>`), nil, 2, ""},
		{"comment between", doc(mmFormat + `<trace>1 2</trace><!-- x --><trace>5 6</trace>`), nil, 2, ""},
		{"other namespace", `<i:ink xmlns:i="http://www.w3.org/2003/InkML" xmlns="urn:x"><i:trace>1 2</i:trace><trace>3 4</trace></i:ink>`, nil, 1, ""},
		{"max traces", doc(mmFormat + "<trace>1 2</trace><trace>3 4</trace><trace>5 6</trace>"), func(l *Limits) { l.MaxTraces = 2 }, 0, inkform.ETOOLARGE},
		{"max points", doc(mmFormat + "<trace>1 2</trace><trace>3 4</trace><trace>5 6,7 8</trace>"), func(l *Limits) { l.MaxPoints = 3 }, 0, inkform.ETOOLARGE},
		{"bad sibling", doc(mmFormat + "<trace>1 2</trace><trace>3</trace>"), nil, 0, inkform.EINVALID},
		{"unclosed sibling", `<ink><trace>1 2</trace><trace>3 4</trace>`, nil, 0, inkform.EINVALID},
		{"sibling closes wrong", `<ink><trace>1 2</trace><trace>3 4</tracex></ink>`, nil, 0, inkform.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lim := DefaultLimits()
			if tt.lim != nil {
				tt.lim(&lim)
			}
			sub, err := Parse([]byte(tt.doc), lim)
			if code := inkform.ErrorCode(err); code != tt.code {
				t.Fatalf("code %q (%v), want %q", code, err, tt.code)
			}
			if err == nil && (len(sub.Pages) != 1 || len(sub.Pages[0].Strokes) != tt.strokes) {
				t.Errorf("got %+v, want %d strokes on one page", sub.Pages, tt.strokes)
			}
		})
	}
}
