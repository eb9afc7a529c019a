package pdf

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/inkform/inkform"
)

// pdfcpu inflates a file's cross-reference streams while it reads the
// file (each up to a fixed 512 MiB, whatever it is configured with) and
// its object streams when their objects are first used; gofpdi inflates
// page contents. All of them keep what they inflate in memory. So before
// pdfcpu sees a background, checkStreams follows the file's
// cross-reference sections from startxref as pdfcpu does, parses every
// object they list with pdfcpu's own parser, and measures every stream
// but images with the counting decoder of decode.go. A file whose
// sections or objects cannot be read that way is refused: pdfcpu would
// repair it by searching the whole file for objects, which may find
// streams this check never measured.

// maxObjects bounds the objects of a background: cross-reference entries
// plus what the headers of object streams can declare, for pdfcpu keeps
// a record of each. A form's background has hundreds to a few thousand;
// a 100-page book tens of thousands.
const maxObjects = 250_000

// scan is the state of one checkStreams.
type scan struct {
	s       string
	left    int64 // bytes the streams may still inflate to
	work    int   // bytes the parser may still read: a hostile file must not make the check itself slow
	objects int
	dec     decoder
	offsets map[int]int  // object number → offset of its newest definition
	inUse   []int        // offsets of every in-use entry of every section
	done    map[int]bool // offsets of streams measured already
}

// checkStreams refuses (EUNPROCESSABLE) a background whose streams,
// images aside, inflate to more than MaxBackgroundInflatedBytes together,
// that has more than maxObjects objects, that is encrypted, or whose
// structure it cannot follow.
func checkStreams(data []byte) error {
	sc := &scan{
		s:       string(data),
		left:    inkform.MaxBackgroundInflatedBytes,
		work:    16*len(data) + 1<<20,
		offsets: map[int]int{},
		done:    map[int]bool{},
	}
	if err := sc.sections(); err != nil {
		return err
	}
	slices.Sort(sc.inUse)
	for _, off := range slices.Compact(sc.inUse) {
		if err := sc.measure(off); err != nil {
			return err
		}
	}
	return nil
}

// sections reads every cross-reference section pdfcpu would: the one
// startxref names, then each one's Prev and XRefStm.
func (sc *scan) sections() error {
	off, ok := sc.startxref(len(sc.s))
	if !ok {
		return damaged("it has no usable startxref")
	}
	seen := map[int]bool{}
	for queue := []int{off}; len(queue) > 0; queue = queue[1:] {
		off := queue[0]
		if seen[off] {
			// A loop: pdfcpu goes on from the startxref before it.
			o, ok := sc.startxref(off)
			if !ok || seen[o] {
				continue
			}
			off = o
		}
		seen[off] = true
		next, err := sc.section(off)
		if err != nil {
			return err
		}
		queue = append(queue, next...)
	}
	return nil
}

// startxref returns the offset named by the last startxref before end.
func (sc *scan) startxref(end int) (int, bool) {
	i := strings.LastIndex(sc.s[:end], "startxref")
	if i < 0 {
		return 0, false
	}
	off, _, ok := sc.int(i + len("startxref"))
	return off, ok && off > 0 && off < len(sc.s)
}

// section reads the cross-reference table or stream at off and returns
// the offsets of the sections it names.
func (sc *scan) section(off int) ([]int, error) {
	if off <= 0 || off >= len(sc.s) {
		return nil, damaged(fmt.Sprintf("a cross-reference section is at byte %d of %d", off, len(sc.s)))
	}
	// pdfcpu takes "xref" on the first line, or on the second when an
	// offset is a line early.
	first, rest, _ := strings.Cut(sc.s[off:min(len(sc.s), off+1024)], "\n")
	if strings.HasPrefix(strings.TrimSpace(first), "xref") {
		return sc.table(off + strings.Index(first, "xref") + len("xref"))
	}
	second, _, _ := strings.Cut(rest, "\n")
	if i := strings.Index(second, "xref"); i == 0 || i > 0 && second[i-1] != 't' {
		return sc.table(off + len(first) + 1 + i + len("xref"))
	}
	return sc.xrefStream(off)
}

// table reads a cross-reference table from just after its "xref" and its
// trailer.
func (sc *scan) table(p int) ([]int, error) {
	for {
		p = skipSpace(sc.s, p)
		if strings.HasPrefix(sc.s[p:], "trailer") {
			return sc.trailer(p + len("trailer"))
		}
		start, q, ok1 := sc.int(p)
		count, q, ok2 := sc.int(q)
		if !ok1 || !ok2 {
			return nil, damaged(fmt.Sprintf("its cross-reference table at byte %d is damaged", p))
		}
		if err := sc.count(count); err != nil {
			return nil, err
		}
		for i := range count {
			off, r, ok1 := sc.int(q)
			_, r, ok2 := sc.int(r)
			r = skipSpace(sc.s, r)
			if !ok1 || !ok2 || r >= len(sc.s) || sc.s[r] != 'n' && sc.s[r] != 'f' {
				return nil, damaged(fmt.Sprintf("its cross-reference table at byte %d is damaged", q))
			}
			if sc.s[r] == 'n' {
				sc.entry(start+i, off)
			}
			q = r + 1
		}
		p = q
	}
}

// trailer reads a trailer dictionary and returns the sections it names.
func (sc *scan) trailer(p int) ([]int, error) {
	l := sc.s[p:]
	o, err := model.ParseObjectContext(context.Background(), &l, 0)
	if err := sc.spend(len(sc.s) - p - len(l)); err != nil {
		return nil, err
	}
	d, ok := o.(types.Dict)
	if err != nil || !ok {
		return nil, damaged(fmt.Sprintf("its trailer at byte %d is damaged", p))
	}
	return sc.next(d)
}

// next returns the sections a trailer or cross-reference stream names.
func (sc *scan) next(d types.Dict) ([]int, error) {
	if _, ok := d.Find("Encrypt"); ok {
		return nil, inkform.Errorf(inkform.EUNPROCESSABLE, "background PDF is encrypted")
	}
	var next []int
	for _, k := range []string{"Prev", "XRefStm"} {
		if v := d.IntEntry(k); v != nil {
			next = append(next, *v)
		}
	}
	return next, nil
}

// entry records an in-use object; the first definition of a number is
// the newest, since sections are read from the last one back.
func (sc *scan) entry(nr, off int) {
	if _, ok := sc.offsets[nr]; !ok {
		sc.offsets[nr] = off
	}
	sc.inUse = append(sc.inUse, off)
}

// count adds n objects to the file's count.
func (sc *scan) count(n int) error {
	if n < 0 || sc.objects+n > maxObjects {
		return inkform.Errorf(inkform.EUNPROCESSABLE, "background PDF has more than %d objects", maxObjects)
	}
	sc.objects += n
	return nil
}

// spend charges n bytes of parsing to the work budget.
func (sc *scan) spend(n int) error {
	sc.work -= n
	if sc.work < 0 {
		return damaged("its structure is too tangled to check")
	}
	return nil
}

// int reads a non-negative decimal integer after white space.
func (sc *scan) int(p int) (v, next int, ok bool) {
	p = skipSpace(sc.s, p)
	q := p
	for q < len(sc.s) && q-p < 12 && sc.s[q] >= '0' && sc.s[q] <= '9' {
		v = v*10 + int(sc.s[q]-'0')
		q++
	}
	return v, q, q > p
}

// skipSpace returns the offset of the first byte at or after p that is
// not PDF white space.
func skipSpace(s string, p int) int {
	for p < len(s) && isSpace(s[p]) {
		p++
	}
	return p
}

// damaged is the error for a file whose structure checkStreams cannot
// follow.
func damaged(why string) error {
	return unreadable("its structure cannot be checked: " + why)
}

// xrefStream reads the cross-reference stream at off, measured like any
// stream, and returns the sections it names.
func (sc *scan) xrefStream(off int) ([]int, error) {
	o, start, nr, err := sc.object(off)
	if err != nil {
		return nil, err
	}
	d, ok := o.(types.Dict)
	if !ok || start < 0 {
		return nil, damaged(fmt.Sprintf("there is no cross-reference section at byte %d", off))
	}
	next, err := sc.next(d)
	if err != nil {
		return nil, err
	}
	var w [3]int
	index := []int{0, 0}
	if n := d.Size(); n != nil {
		index[1] = *n
	}
	if a := d.Index(); a != nil {
		index = index[:0]
		for _, v := range a {
			n, _ := v.(types.Integer)
			index = append(index, int(n))
		}
	}
	wa := d.W()
	for i := range w {
		n, ok := types.Integer(-1), false
		if len(wa) == 3 {
			n, ok = wa[i].(types.Integer)
		}
		if !ok || n < 0 || n > 8 {
			return nil, damaged(fmt.Sprintf("its cross-reference stream %d has a bad W", nr))
		}
		w[i] = int(n)
	}
	sc.done[off] = true
	c := sc.open(d, start)
	entries := unpredict(c, c.filters)
	rec := make([]byte, w[0]+w[1]+w[2])
	for i := 0; i+1 < len(index) && len(rec) > 0; i += 2 {
		if err := sc.count(index[i+1]); err != nil {
			return nil, err
		}
		for j := range index[i+1] {
			if _, err := io.ReadFull(entries, rec); err != nil {
				break
			}
			if w[0] == 0 || bigEndian(rec[:w[0]]) == 1 {
				sc.entry(index[i]+j, bigEndian(rec[w[0]:w[0]+w[1]]))
			}
		}
	}
	return next, sc.charge(c, nr)
}

// bigEndian returns the value of a cross-reference stream field.
func bigEndian(b []byte) int {
	v := 0
	for _, c := range b {
		v = v<<8 | int(c)
	}
	return v
}
