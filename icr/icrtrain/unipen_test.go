package icrtrain

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/inkform/inkform/icr/internal/charnet"
)

// penData is an include file: stroke 0 (pen down), an empty .PEN_UP that
// takes no number, stroke 1 (pen down), stroke 2 (a .PEN_UP block with
// points: hover that takes a number), stroke 3 (pen down).
const penData = `.WRITER_ID w1
.PEN_DOWN
 10 100
 11 101
 12 102
.PEN_UP
.PEN_DOWN
 20 200
 21 201
.PEN_UP
 25 250
 26 251
.PEN_DOWN
 30 300
 31 301
 32 302
 33 303
.PEN_UP
`

func TestResolve(t *testing.T) {
	t.Parallel()
	pf, err := parsePenFile([]byte(penData))
	if err != nil {
		t.Fatal(err)
	}
	if pf.writer != "w1" || len(pf.blocks) != 4 {
		t.Fatalf("writer %q, %d blocks; want w1, 4", pf.writer, len(pf.blocks))
	}
	tests := []struct {
		spec string
		ok   bool
		want []int // points per resolved stroke
	}{
		{"0", true, []int{3}},
		{"0-1", true, []int{3, 2}},
		{"1-3", true, []int{2, 4}}, // the hover block 2 is numbered but dropped
		{"3:1-3:2", true, []int{2}},
		{"0:1-1", true, []int{2, 2}},
		{"0,3", true, []int{3, 4}},
		{"1-2", true, []int{2}},
		{"2", true, nil},
		{"4", false, nil},
		{"3:5-3:6", false, nil},
		{"1-0", false, nil},
		{"x", false, nil},
	}
	for _, tt := range tests {
		got, ok := pf.resolve(tt.spec)
		if ok != tt.ok || len(got) != len(tt.want) {
			t.Errorf("resolve(%q) = %d strokes, %v; want %v, %v", tt.spec, len(got), ok, tt.want, tt.ok)
			continue
		}
		for i, s := range got {
			if len(s.Points) != tt.want[i] {
				t.Errorf("resolve(%q) stroke %d has %d points, want %d", tt.spec, i, len(s.Points), tt.want[i])
			}
		}
	}
	// y is flipped so that it grows downwards like page coordinates.
	if s, _ := pf.resolve("0"); s[0].Points[1].Y != -101 {
		t.Errorf("y = %v, want -101", s[0].Points[1].Y)
	}
}

// TestResolveLimits: a small file must not expand into a huge sample.
func TestResolveLimits(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for range 2000 {
		b.WriteString(".PEN_DOWN\n1 2\n")
	}
	pf, err := parsePenFile([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		spec string
		ok   bool
	}{
		{"0-255", true},
		{"0-256", false},                        // too many strokes
		{strings.Repeat("0,", 63) + "0", true},  // 64 items
		{strings.Repeat("0,", 64) + "0", false}, // 65 items
		{strings.Repeat("1999-1999,", 10) + "0", true},
		{"0-1023", false}, // many blocks, and too many strokes
	}
	for _, tt := range tests {
		if _, ok := pf.resolve(tt.spec); ok != tt.ok {
			t.Errorf("resolve(%.30q…) ok %v, want %v", tt.spec, ok, tt.ok)
		}
	}
	up := strings.Repeat(".PEN_UP\n5 5\n", 1500) + ".PEN_DOWN\n1 1\n"
	if pf, err = parsePenFile([]byte(up)); err != nil {
		t.Fatal(err)
	}
	if _, ok := pf.resolve("0-1500"); ok {
		t.Error("a range over 1501 hover blocks was accepted")
	}
}

// tgz builds a gzipped tar archive of the given files.
func tgz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadUNIPEN(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"include/src/data/a.dat": penData,
		"data/1a/src/a.dat": ".VERSION 1.0\n.INCLUDE src/src.doc\n.INCLUDE src/data/a.dat\n" +
			".SEGMENT CHARACTER 0 ? \"7\"\n.SEGMENT CHARACTER 1-3 OK \"4\"\n.SEGMENT CHARACTER 9 ? \"1\"\n" +
			".SEGMENT CHARACTER 2 ? \"3\"\n.SEGMENT CHARACTER 3 ? \"ab\"\n",
	}
	got, st, err := ReadUNIPEN(bytes.NewReader(tgz(t, files)), DefaultCorpusLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Label != '7' || got[1].Label != '4' || len(got[1].Strokes) != 2 {
		t.Fatalf("got %+v", got)
	}
	if got[0].Writer != "src/w1" || got[0].Section != "1a" || got[0].Source != "src" {
		t.Fatalf("sample 0: %+v", got[0])
	}
	if st != (CorpusStats{Segments: 5, Unresolved: 1, Empty: 1, BadLabel: 1}) {
		t.Fatalf("stats %+v", st)
	}

	tests := []struct {
		name  string
		lim   CorpusLimits
		files map[string]string
		want  string
	}{
		{"file too large", CorpusLimits{MaxFileBytes: 10, MaxTotalBytes: 1 << 20, MaxFiles: 10}, files, "limit 10"},
		{"archive too large", CorpusLimits{MaxFileBytes: 1 << 20, MaxTotalBytes: 100, MaxFiles: 10}, files, "exceeds"},
		{"too many files", CorpusLimits{MaxFileBytes: 1 << 20, MaxTotalBytes: 1 << 20, MaxFiles: 1}, files, "more than 1 files"},
		{"missing include", DefaultCorpusLimits(), map[string]string{"data/1a/s/x.dat": ".INCLUDE s/data/x.dat\n"}, "missing"},
		{"bad point", DefaultCorpusLimits(), map[string]string{"data/1a/s/x.dat": ".INCLUDE s/x.dat\n", "include/s/x.dat": ".PEN_DOWN\n1 zz\n"}, "bad coordinates"},
	}
	for _, tt := range tests {
		_, _, err := ReadUNIPEN(bytes.NewReader(tgz(t, tt.files)), tt.lim)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, _, err := ReadUNIPEN(strings.NewReader("not gzip"), DefaultCorpusLimits()); err == nil {
		t.Error("non-gzip input: no error")
	}
}

// TestCorpusResolves checks the parsing rules on the real archive: with
// pen-up blocks that carry points counted, every segment resolves.
func TestCorpusResolves(t *testing.T) {
	train, calib, test := corpus(t)
	n := len(train) + len(calib) + len(test)
	if n != 34711 {
		t.Fatalf("%d characters, want all 34711 segments", n)
	}
	writers := map[string]bool{}
	for _, s := range test {
		writers[s.Writer] = true
	}
	for _, s := range append(train, calib...) {
		if writers[s.Writer] {
			t.Fatalf("writer %s is in training and test", s.Writer)
		}
	}
}

func FuzzParseUNIPEN(f *testing.F) {
	f.Add([]byte(".INCLUDE s/data/a.dat\n.SEGMENT CHARACTER 1-3 OK \"4\"\n.SEGMENT CHARACTER 0:1-1:1 ? \"1\"\n"), []byte(penData))
	f.Add([]byte(".INCLUDE s/data/a.dat\n.SEGMENT CHARACTER 0,2:0-3 ? \"A\"\n"), []byte(".PEN_UP\n1 2\n.PEN_DOWN\n3 4 5\n"))
	f.Fuzz(func(t *testing.T, seg, pen []byte) {
		if len(seg)+len(pen) > 1<<16 {
			return
		}
		files := map[string][]byte{"include/s/data/a.dat": pen}
		var st CorpusStats
		got, err := parseSegments(seg, "1a", "s", files, map[string]*penFile{}, &st)
		if err != nil {
			return
		}
		for _, s := range got {
			if len(s.Strokes) == 0 || charnet.ClassIndex(s.Label) < 0 {
				t.Fatalf("bad sample %+v", s)
			}
			for _, st := range s.Strokes {
				if len(st.Points) == 0 {
					t.Fatal("empty stroke")
				}
			}
		}
	})
}
