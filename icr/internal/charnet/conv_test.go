package charnet

import (
	"math"
	"math/rand/v2"
	"testing"
)

// convReference is the convolution as it ran until issue 14's round 5:
// for every output pixel, the bias, then for each tap and each non-zero
// input channel in order, input × weight row added to the outputs, then
// ReLU. convForward must give the same bits.
func convReference(cv *Conv, side int, x, y []float32) {
	in, out := cv.In, cv.Out
	for oy := 0; oy < side; oy++ {
		for ox := 0; ox < side; ox++ {
			dst := y[(oy*side+ox)*out:][:out]
			copy(dst, cv.B)
			for px, tap := range Taps(side, oy, ox) {
				w := cv.W[tap*in*out:]
				for ci, v := range x[px*in:][:in] {
					if v != 0 {
						for i := range dst {
							dst[i] += v * w[ci*out+i]
						}
					}
				}
			}
			for i, v := range dst {
				dst[i] = max(v, 0)
			}
		}
	}
}

func TestConvForwardMatchesReference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		side, in, out int
		density       float64 // share of non-zero inputs
	}{
		{"ink maps", 16, MapChannels, 16, 0.1},
		{"side 24 first", 24, MapChannels, 8, 0.15},
		{"relu output", 12, 8, 16, 0.5},
		{"dense input", 8, 16, 32, 1},
		{"all zero", 6, 4, 8, 0},
		{"width not a multiple of 8", 5, 3, 13, 0.6},
		{"narrow", 3, 2, 4, 0.7},
		{"one pixel", 1, 5, 9, 0.8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(uint64(tt.side), uint64(tt.out)))
			cv := Conv{In: tt.in, Out: tt.out, W: make([]float32, 9*tt.in*tt.out), B: make([]float32, tt.out)}
			for i := range cv.W {
				cv.W[i] = float32(rng.NormFloat64())
			}
			for i := range cv.B {
				cv.B[i] = float32(rng.NormFloat64() * 0.1)
			}
			n := tt.side * tt.side
			x := make([]float32, n*tt.in)
			for i := range x {
				if rng.Float64() < tt.density {
					x[i] = float32(rng.ExpFloat64())
				}
			}
			if len(x) > 1 {
				x[1] = float32(math.Copysign(0, -1)) // a negative zero is skipped too
			}
			want, got := make([]float32, n*tt.out), make([]float32, n*tt.out)
			convReference(&cv, tt.side, x, want)
			nz := newNonZeros(len(x), tt.in)
			for _, path := range []int{convAuto, convScatter, convPixel8, convWindow4} {
				for i := range got {
					got[i] = float32(math.NaN()) // every output must be written
				}
				convPath(&cv, tt.side, x, got, &nz, path)
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("path %d, output %d: %v, reference %v", path, i, got[i], want[i])
					}
				}
			}
			positive := 0
			for _, v := range want {
				if v > 0 {
					positive++
				}
			}
			if tt.density > 0 && positive == 0 {
				t.Fatal("no positive output: the comparison tested nothing but ReLU")
			}
		})
	}
}
