package pdf

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// TestDecoderMatchesPdfcpu checks that the counting decoders read what
// pdfcpu's encoders write, filter by filter and chained, so that a
// measurement is the size pdfcpu would decode.
func TestDecoderMatchesPdfcpu(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	plain := make([]byte, 200_000)
	for i := range plain {
		// Runs and noise, so that run-length and LZW codes of every kind occur.
		if i%1000 < 600 {
			plain[i] = byte(i / 1000)
		} else {
			plain[i] = byte(rng.IntN(256))
		}
	}
	tests := []struct {
		name    string
		filters []string // as in a stream's Filter array: the first is undone first
	}{
		{"flate", []string{filter.Flate}},
		{"lzw", []string{filter.LZW}},
		{"ascii hex", []string{filter.ASCIIHex}},
		{"ascii 85", []string{filter.ASCII85}},
		{"run length", []string{filter.RunLength}},
		{"hex of flate", []string{filter.ASCIIHex, filter.Flate}},
		{"85 of run length of flate", []string{filter.ASCII85, filter.RunLength, filter.Flate}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := plain
			var chain []types.PDFFilter
			for i := len(tt.filters) - 1; i >= 0; i-- {
				f, err := filter.NewFilter(tt.filters[i], nil)
				if err != nil {
					t.Fatal(err)
				}
				r, err := f.Encode(bytes.NewReader(data))
				if err != nil {
					t.Fatal(err)
				}
				if data, err = io.ReadAll(r); err != nil {
					t.Fatal(err)
				}
				chain = append([]types.PDFFilter{{Name: tt.filters[i]}}, chain...)
			}
			var d decoder
			c := d.open(bytes.NewReader(data), int64(len(data)), chain, 1<<30)
			got, err := io.ReadAll(c)
			if err != nil || !bytes.Equal(got, plain) {
				t.Fatalf("decoded %d bytes (%v), want the %d encoded", len(got), err, len(plain))
			}
			c = d.open(bytes.NewReader(data), int64(len(data)), chain, 1<<30)
			if n, err := c.drain(); err != nil || n < int64(len(plain)) {
				t.Errorf("measured %d bytes (%v), want at least %d", n, err, len(plain))
			}
			c = d.open(bytes.NewReader(data), int64(len(data)), chain, int64(len(plain))/2)
			if _, err := c.drain(); err != errInflateLimit {
				t.Errorf("measured against half its size: %v, want errInflateLimit", err)
			}
		})
	}
}

// TestUnpredict checks the PNG predictors against rows predicted here.
func TestUnpredict(t *testing.T) {
	t.Parallel()
	const columns = 7
	rng := rand.New(rand.NewPCG(3, 4))
	rows := make([][]byte, 6)
	for i := range rows {
		rows[i] = make([]byte, columns)
		for j := range rows[i] {
			rows[i][j] = byte(rng.IntN(256))
		}
	}
	var want, stored bytes.Buffer
	prev := make([]byte, columns)
	for i, row := range rows {
		tag := byte(i % 5) // None, Sub, Up, Average, Paeth
		stored.WriteByte(tag)
		for j, c := range row {
			var left, upLeft byte
			if j > 0 {
				left, upLeft = row[j-1], prev[j-1]
			}
			pred := [5]byte{0, left, prev[j], byte((int(left) + int(prev[j])) / 2), paeth(left, prev[j], upLeft)}[tag]
			stored.WriteByte(c - pred)
		}
		want.Write(row)
		prev = row
	}
	parms := types.Dict{"Predictor": types.Integer(15), "Columns": types.Integer(columns)}
	got, err := io.ReadAll(unpredict(&stored, []types.PDFFilter{{Name: filter.Flate, DecodeParms: parms}}))
	if err != nil || !bytes.Equal(got, want.Bytes()) {
		t.Errorf("unpredicted %x (%v), want %x", got, err, want.Bytes())
	}
}

// FuzzDecoder feeds the counting decoders arbitrary data under every
// filter: they must end, and never pass on more than the limit.
//
//	go test ./pdf/ -run '^$' -fuzz FuzzDecoder -fuzztime 60s -fuzzminimizetime 10x
func FuzzDecoder(f *testing.F) {
	names := []string{filter.Flate, filter.LZW, filter.ASCIIHex, filter.ASCII85, filter.RunLength, filter.DCT}
	for i, name := range names[:5] {
		enc, _ := filter.NewFilter(name, nil)
		r, _ := enc.Encode(bytes.NewReader(bytes.Repeat([]byte("inkform "), 100)))
		data, _ := io.ReadAll(r)
		f.Add(data, uint8(i), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, first, second uint8) {
		const limit = 1 << 20
		chain := []types.PDFFilter{{Name: names[int(first)%len(names)]}}
		if second > 0 {
			parms := types.Dict{"Predictor": types.Integer(second % 16), "Columns": types.Integer(second)}
			chain = append(chain, types.PDFFilter{Name: names[int(second)%len(names)], DecodeParms: parms})
		}
		var d decoder
		out, err := io.ReadAll(io.LimitReader(unpredict(d.open(bytes.NewReader(data), int64(len(data)), chain, limit), chain), 2*limit))
		if len(out) > limit+64<<10 && err != errInflateLimit {
			t.Fatalf("read %d bytes past the limit of %d (%v)", len(out), limit, err)
		}
		n, err := d.open(bytes.NewReader(data), int64(len(data)), chain, limit).drain()
		if (err == nil) != (n <= limit) {
			t.Fatalf("measured %d bytes with %v against a limit of %d", n, err, limit)
		}
	})
}
