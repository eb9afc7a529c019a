package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
)

// xy is a point in the units of the UNIPEN source, y growing upwards.
type xy struct{ x, y float64 }

// glyph is one handwritten character: its pen-down strokes.
type glyph struct {
	label   string
	strokes [][]xy
}

// readTar returns the contents of the archive members for which want
// returns true.
func readTar(archive string, want func(name string) bool) (map[string][]byte, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("gunzip %s: %w", archive, err)
	}
	out := map[string][]byte{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("read %s: %w", archive, err)
		}
		if h.Typeflag != tar.TypeReg || !want(h.Name) {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", h.Name, err)
		}
		out[h.Name] = b
	}
}

// loadDigits reads the isolated digits (section 1a) of one writer's file:
// the first usable sample of each label, in the writer's own hand.
func loadDigits(archive, writer string) (map[string]glyph, error) {
	segFile := "data/1a/" + writer
	files, err := readTar(archive, func(n string) bool {
		return n == segFile || strings.HasPrefix(n, "include/") && strings.HasSuffix(n, path.Base(writer))
	})
	if err != nil {
		return nil, err
	}
	seg, ok := files[segFile]
	if !ok {
		return nil, fmt.Errorf("%s: no member %s", archive, segFile)
	}
	var include string
	type segment struct{ ranges, label string }
	var segs []segment
	for _, line := range strings.Split(string(seg), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 2 && f[0] == ".INCLUDE":
			include = "include/" + f[1]
		case len(f) >= 5 && f[0] == ".SEGMENT" && f[1] == "CHARACTER":
			segs = append(segs, segment{f[2], strings.Trim(f[len(f)-1], `"`)})
		}
	}
	blocks, err := penBlocks(files[include])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", include, err)
	}
	glyphs := map[string]glyph{}
	for _, s := range segs {
		if _, done := glyphs[s.label]; done {
			continue
		}
		if g, ok := resolve(blocks, s.ranges); ok {
			g.label = s.label
			glyphs[s.label] = g
		}
	}
	return glyphs, nil
}

// block is one .PEN_DOWN or .PEN_UP block.
type block struct {
	down   bool
	points []xy
}

// penBlocks returns the numbered strokes of an included file. Numbering
// counts every pen-down block and every pen-up block that carries points
// (product brief, section 5).
func penBlocks(data []byte) ([]block, error) {
	if data == nil {
		return nil, fmt.Errorf("missing included file")
	}
	var all []block
	cur := -1
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if strings.HasPrefix(f[0], ".") {
			cur = -1
			if f[0] == ".PEN_DOWN" || f[0] == ".PEN_UP" {
				all = append(all, block{down: f[0] == ".PEN_DOWN"})
				cur = len(all) - 1
			}
			continue
		}
		if cur < 0 || len(f) < 2 {
			continue
		}
		x, err1 := strconv.ParseFloat(f[0], 64)
		y, err2 := strconv.ParseFloat(f[1], 64)
		if err1 == nil && err2 == nil {
			all[cur].points = append(all[cur].points, xy{x, y})
		}
	}
	var numbered []block
	for _, b := range all {
		if b.down || len(b.points) > 0 {
			numbered = append(numbered, b)
		}
	}
	return numbered, sc.Err()
}

// resolve turns a segment's ranges ("12", "12-13", "3,5-6") into the
// glyph's pen-down strokes. Point-level ranges are not used here.
func resolve(blocks []block, ranges string) (glyph, bool) {
	var g glyph
	if strings.Contains(ranges, ":") {
		return g, false
	}
	for _, r := range strings.Split(ranges, ",") {
		lo, hi, found := strings.Cut(r, "-")
		if !found {
			hi = lo
		}
		a, err1 := strconv.Atoi(lo)
		b, err2 := strconv.Atoi(hi)
		if err1 != nil || err2 != nil || a < 0 || b < a || b >= len(blocks) {
			return g, false
		}
		for i := a; i <= b; i++ {
			if blocks[i].down && len(blocks[i].points) > 0 {
				g.strokes = append(g.strokes, blocks[i].points)
			}
		}
	}
	return g, len(g.strokes) > 0
}

// sortedKeys returns the labels of glyphs in order, for messages.
func sortedKeys(m map[string]glyph) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
