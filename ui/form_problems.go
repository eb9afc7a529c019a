package ui

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/inkform/inkform"
)

// templateProblem is one thing wrong with a template typed into the
// editor, placed on its line: Line and Column are 1-based, both 0 when
// the problem names no place in the text (an address another form has,
// say). Excerpt is that line, Caret spaces up to the column.
type templateProblem struct {
	Line, Column int
	Message      string
	Excerpt      string
	Caret        string
}

// Where says where the problem is, for the list of problems.
func (p templateProblem) Where() string {
	if p.Line == 0 {
		return "the template"
	}
	return "line " + strconv.Itoa(p.Line) + ", column " + strconv.Itoa(p.Column)
}

// jsonAt is how inkform.DecodeJSON places a syntax error it has no path
// for: "invalid JSON at line L, column C: what".
var jsonAt = regexp.MustCompile(`^invalid JSON at line (\d+), column (\d+): (.*)$`)

// maxExcerpt bounds the part of a line a problem quotes: minified JSON is
// one long line, and the page need not repeat it per problem.
const maxExcerpt = 120

// templateProblems places err's problems with the template text: each
// problem's path found in the text (inkform.JSONPathOffset, the member's
// key for an object member), or the line and column a syntax error
// names. They come in the order of the text, those without a place last.
func templateProblems(text []byte, err error) []templateProblem {
	var out []templateProblem
	for _, p := range inkform.ErrorProblems(err) {
		tp := templateProblem{Message: p.Path + " " + p.Message}
		if off, ok := inkform.JSONPathOffset(text, p.Path); ok {
			tp.Line, tp.Column = inkform.LineColumn(text, off+1)
		}
		out = append(out, tp)
	}
	if len(out) == 0 {
		tp := templateProblem{Message: inkform.ErrorMessage(err)}
		if m := jsonAt.FindStringSubmatch(tp.Message); m != nil {
			tp.Line, _ = strconv.Atoi(m[1])
			tp.Column, _ = strconv.Atoi(m[2])
			tp.Message = m[3]
		}
		out = append(out, tp)
	}
	lines := bytes.Split(text, []byte("\n"))
	for i := range out {
		out[i].quote(lines)
	}
	slices.SortStableFunc(out, func(a, b templateProblem) int {
		if (a.Line == 0) != (b.Line == 0) {
			return boolCompare(a.Line == 0, b.Line == 0)
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return out
}

// quote fills in the excerpt of the problem's line from lines, the part
// around the column when the line is long.
func (p *templateProblem) quote(lines [][]byte) {
	if p.Line < 1 || p.Line > len(lines) {
		p.Line, p.Column = 0, 0
		return
	}
	raw := bytes.TrimRight(lines[p.Line-1], "\r")
	// Columns count bytes; people count characters. A column inside a
	// character is that character's.
	at := min(max(p.Column-1, 0), len(raw))
	for at > 0 && at < len(raw) && !utf8.RuneStart(raw[at]) {
		at--
	}
	col := utf8.RuneCount(raw[:at])
	p.Column = col + 1
	line := []rune(string(raw))
	start := max(col-maxExcerpt/2, 0)
	end := min(start+maxExcerpt, len(line))
	// Tabs keep their width in the caret line, so it points at the same
	// place in the excerpt.
	var caret strings.Builder
	for _, r := range line[start:col] {
		if r == '\t' {
			caret.WriteRune('\t')
		} else {
			caret.WriteRune(' ')
		}
	}
	p.Excerpt, p.Caret = string(line[start:end]), caret.String()+"^"
}

// boolCompare orders false before true.
func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// gutterLine is one line number in the editor's margin; Bad marks a line
// a problem names.
type gutterLine struct {
	N   int
	Bad bool
}

// Gutter numbers the editor's lines, marking those with problems.
func (f *formsView) Gutter() []gutterLine {
	bad := map[int]bool{}
	for _, p := range f.Problems {
		bad[p.Line] = true
	}
	out := make([]gutterLine, strings.Count(f.Text, "\n")+1)
	for i := range out {
		out[i] = gutterLine{N: i + 1, Bad: bad[i+1]}
	}
	return out
}

// placeConflict gives a conflict over a page address (another form of
// the org has it) the path of the page in t that names it, so the editor
// shows it on its line; the stores say which address but not where.
func placeConflict(err error, t *inkform.FormTemplate) error {
	if inkform.ErrorCode(err) != inkform.ECONFLICT || len(inkform.ErrorProblems(err)) > 0 {
		return err
	}
	msg := inkform.ErrorMessage(err)
	e := inkform.Errorf(inkform.ECONFLICT, "%s", msg)
	for i, p := range t.Pages {
		if p.Address != "" && strings.Contains(msg, "address "+p.Address+" ") {
			e.Problems = append(e.Problems, inkform.Problem{Path: "pages[" + strconv.Itoa(i) + "].address", Message: "is taken: " + msg})
		}
	}
	if len(e.Problems) == 0 {
		return err
	}
	return e
}
