package icrtrain

import (
	"bufio"
	"bytes"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

// Limits on one character's ink; UNIPEN characters have at most a few
// dozen strokes.
const (
	maxRangeItems  = 64
	maxCharStrokes = 256
	maxCharBlocks  = 1024 // pen blocks a range list may span, hover included
)

// parseSegments reads a data/<section>/<source>/….dat file: its .INCLUDE of
// the pen data and its .SEGMENT CHARACTER lines.
func parseSegments(data []byte, section, source string, files map[string][]byte, cache map[string]*penFile, st *CorpusStats) ([]Sample, error) {
	var pf *penFile
	var incName string
	var out []Sample
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		s := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(s, ".INCLUDE "):
			inc := strings.TrimSpace(strings.TrimPrefix(s, ".INCLUDE "))
			if !strings.HasSuffix(inc, ".dat") {
				continue // the .doc header of the source
			}
			key := path.Join("include", inc)
			incName = strings.TrimSuffix(path.Base(inc), ".dat")
			if pf = cache[key]; pf == nil {
				b, ok := files[key]
				if !ok {
					return nil, fmt.Errorf("include %s: missing", inc)
				}
				var err error
				if pf, err = parsePenFile(b); err != nil {
					return nil, fmt.Errorf("include %s: %w", inc, err)
				}
				cache[key] = pf
			}
		case strings.HasPrefix(s, ".SEGMENT CHARACTER "):
			st.Segments++
			f := strings.Fields(s)
			if len(f) < 5 || pf == nil {
				st.Unresolved++
				continue
			}
			label, err := strconv.Unquote(f[len(f)-1])
			r := []rune(label)
			if err != nil || len(r) != 1 || !(r[0] >= '0' && r[0] <= '9' || r[0] >= 'A' && r[0] <= 'Z') {
				st.BadLabel++
				continue
			}
			strokes, ok := pf.resolve(f[2])
			if !ok {
				st.Unresolved++
				continue
			}
			if len(strokes) == 0 {
				st.Empty++
				continue
			}
			// Some sources (ced) name no writer; each include file is then
			// one writing session, the best stand-in for a writer.
			writer := pf.writer
			if writer == "" {
				writer = incName
			}
			out = append(out, Sample{Section: section, Source: source, Writer: source + "/" + writer, Label: r[0], Strokes: strokes})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("scan: %w", err)
	}
	return out, nil
}

// resolve turns a UNIPEN range list such as "3-4", "205,209-210" or
// "289-290:21,290:23-290:79" (stroke or stroke:point, inclusive) into the
// pen-down ink it names. Point-carrying .PEN_UP blocks take a number but are
// hover, not ink, so they are dropped.
func (pf *penFile) resolve(spec string) ([]inkform.Stroke, bool) {
	// One character is a handful of strokes; the caps keep a hostile range
	// list ("0-5000,0-5000,…") from multiplying a small file into a huge
	// sample.
	if strings.Count(spec, ",") >= maxRangeItems {
		return nil, false
	}
	var out []inkform.Stroke
	visited := 0
	for item := range strings.SplitSeq(spec, ",") {
		a, b, isRange := strings.Cut(item, "-")
		if !isRange {
			b = a
		}
		s0, p0, ok0 := parseRef(a)
		s1, p1, ok1 := parseRef(b)
		if !ok0 || !ok1 || s0 < 0 || s1 < s0 || s1 >= len(pf.blocks) {
			return nil, false
		}
		if visited += s1 - s0 + 1; visited > maxCharBlocks {
			return nil, false
		}
		for s := s0; s <= s1; s++ {
			blk := pf.blocks[s]
			lo, hi := 0, len(blk.pts)-1
			if s == s0 && p0 >= 0 {
				lo = p0
			}
			if s == s1 && p1 >= 0 {
				hi = p1
			}
			if lo < 0 || hi >= len(blk.pts) || lo > hi {
				if len(blk.pts) == 0 {
					continue
				}
				return nil, false
			}
			if !blk.down {
				continue
			}
			if len(out) == maxCharStrokes {
				return nil, false
			}
			out = append(out, inkform.Stroke{Points: blk.pts[lo : hi+1 : hi+1]})
		}
	}
	return out, true
}

// parseRef parses "12" (point -1: the whole stroke) or "12:34".
func parseRef(s string) (stroke, point int, ok bool) {
	a, b, hasPoint := strings.Cut(s, ":")
	n, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, false
	}
	if !hasPoint {
		return n, -1, true
	}
	p, err := strconv.Atoi(b)
	if err != nil || p < 0 {
		return 0, 0, false
	}
	return n, p, true
}
