package icrtrain

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/inkform/inkform"
)

// Sample is one labelled character of the UNIPEN corpus.
type Sample struct {
	// Section is "1a" (digits) or "1b" (upper-case letters).
	Section string
	// Source is the contributing laboratory's folder, e.g. "apb"; training
	// and evaluation are split by source so that no writer is in both.
	Source string
	// Writer is Source + "/" + the include file's .WRITER_ID, or its file
	// name when it names no writer.
	Writer string
	Label  rune
	// Strokes are in tablet units with y flipped to grow downwards, the
	// orientation the server gives the engine. T is the point's index
	// (UNIPEN timing is a fixed sample rate per source).
	Strokes []inkform.Stroke
}

// CorpusLimits bound what ReadUNIPEN accepts, so that a hostile or corrupt
// archive cannot exhaust memory.
type CorpusLimits struct {
	MaxFileBytes  int64 // one tar entry
	MaxTotalBytes int64 // all kept entries together
	MaxFiles      int
}

// DefaultCorpusLimits fit the UNIPEN 1a/1b archive (about 60 MB unpacked)
// with room to spare.
func DefaultCorpusLimits() CorpusLimits {
	return CorpusLimits{MaxFileBytes: 32 << 20, MaxTotalBytes: 512 << 20, MaxFiles: 20_000}
}

// CorpusStats counts what ReadUNIPEN skipped, so that a parsing regression
// shows up as a number rather than a silent accuracy drop.
type CorpusStats struct {
	Segments   int // .SEGMENT CHARACTER lines seen
	Unresolved int // ranges pointing outside the include file
	Empty      int // segments without pen-down ink
	BadLabel   int // labels that are not one digit or upper-case letter
}

// ReadUNIPEN reads the isolated digits (1a) and upper-case letters (1b) of a
// gzipped UNIPEN tar archive.
func ReadUNIPEN(r io.Reader, lim CorpusLimits) ([]Sample, CorpusStats, error) {
	var st CorpusStats
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, st, fmt.Errorf("read unipen: %w", err)
	}
	files, err := readTar(zr, lim)
	if err != nil {
		return nil, st, fmt.Errorf("read unipen: %w", err)
	}
	var names []string
	for name := range files {
		if strings.HasPrefix(name, "data/1a/") || strings.HasPrefix(name, "data/1b/") {
			names = append(names, name)
		}
	}
	// Map order is random; sorting keeps the sample order, and so training,
	// reproducible.
	sort.Strings(names)
	cache := map[string]*penFile{}
	var out []Sample
	for _, name := range names {
		parts := strings.Split(name, "/")
		if len(parts) < 4 || !strings.HasSuffix(name, ".dat") {
			continue
		}
		section, source := parts[1], parts[2]
		got, err := parseSegments(files[name], section, source, files, cache, &st)
		if err != nil {
			return nil, st, fmt.Errorf("read unipen %s: %w", name, err)
		}
		out = append(out, got...)
	}
	return out, st, nil
}

func readTar(r io.Reader, lim CorpusLimits) (map[string][]byte, error) {
	tr := tar.NewReader(r)
	files := map[string][]byte{}
	var total int64
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return nil, fmt.Errorf("tar: %w", err)
		}
		if h.Typeflag != tar.TypeReg || !strings.HasSuffix(h.Name, ".dat") {
			continue
		}
		if len(files) >= lim.MaxFiles {
			return nil, fmt.Errorf("more than %d files", lim.MaxFiles)
		}
		if h.Size > lim.MaxFileBytes {
			return nil, fmt.Errorf("%s: %d bytes, limit %d", h.Name, h.Size, lim.MaxFileBytes)
		}
		total += h.Size
		if total > lim.MaxTotalBytes {
			return nil, fmt.Errorf("archive exceeds %d bytes", lim.MaxTotalBytes)
		}
		b, err := io.ReadAll(io.LimitReader(tr, lim.MaxFileBytes))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", h.Name, err)
		}
		files[path.Clean(strings.TrimPrefix(h.Name, "./"))] = b
	}
}

// penBlock is one .PEN_DOWN or point-carrying .PEN_UP block; both count in
// UNIPEN's stroke numbering, only pen-down blocks are ink.
type penBlock struct {
	down bool
	pts  []inkform.Point
}

type penFile struct {
	writer string
	blocks []penBlock
}

// parsePenFile reads the .PEN_DOWN/.PEN_UP blocks of an include file. Only
// the first two columns are used (x, y); y is negated because UNIPEN's y
// grows upwards.
func parsePenFile(data []byte) (*penFile, error) {
	pf := &penFile{}
	var cur *penBlock
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			continue
		}
		if s[0] == '.' {
			cur = nil
			kw, rest, _ := strings.Cut(s, " ")
			switch kw {
			case ".PEN_DOWN", ".PEN_UP":
				pf.blocks = append(pf.blocks, penBlock{down: kw == ".PEN_DOWN"})
				cur = &pf.blocks[len(pf.blocks)-1]
			case ".WRITER_ID":
				if pf.writer == "" {
					pf.writer = strings.TrimSpace(rest)
				}
			}
			continue
		}
		if cur == nil {
			continue // free text under some other keyword (.COMMENT etc.)
		}
		f := strings.Fields(s)
		if len(f) < 2 {
			return nil, fmt.Errorf("line %d: want x y", line)
		}
		x, err1 := strconv.ParseFloat(f[0], 64)
		y, err2 := strconv.ParseFloat(f[1], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("line %d: bad coordinates %q", line, s)
		}
		cur.pts = append(cur.pts, inkform.Point{X: x, Y: -y, T: int64(len(cur.pts))})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("scan: %w", err)
	}
	// A .PEN_UP block without points is just the end of a stroke and takes no
	// number.
	kept := pf.blocks[:0]
	for _, b := range pf.blocks {
		if b.down || len(b.pts) > 0 {
			kept = append(kept, b)
		}
	}
	pf.blocks = kept
	return pf, nil
}
