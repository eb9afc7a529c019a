package charnet

// Every path of convForward sums each output exactly as the plain loop
// (convReference in the tests) does: start from the bias; for each tap
// of the 3×3 window in row order, for each input channel in order, add
// input × weight; skip zero inputs. So all paths, and the code before
// issue 14's round 5, give the same bits, and the embedded network's
// validation counts do not move. Which path runs is only a matter of
// speed (see convForward).

// nonZeros lists the non-zero inputs of a convolution: per input pixel p
// its values val[p·in+k] and their channels off[p·in+k], cnt[p] of them;
// for the windowed path, per output pixel q the concatenation of its 3×3
// window's lists (win… from q·9·in, winCnt[q] of them), each with its
// weight row tap·in+channel. rows8 and rows4 hold one block of output
// channels' weights, a row per tap and channel: as arrays, a row costs
// one bounds check, not a slice's two and its capacity arithmetic.
type nonZeros struct {
	val, winVal              []float32
	off, cnt, winOff, winCnt []int32
	rows8                    [][8]float32
	rows4                    [][4]float32
}

// newNonZeros returns lists for convolutions of up to inputs values
// (side·side·in; a map has fewer pixels than values) and maxIn input
// channels.
func newNonZeros(inputs, maxIn int) nonZeros {
	return nonZeros{
		val: make([]float32, inputs), off: make([]int32, inputs), cnt: make([]int32, inputs),
		winVal: make([]float32, 9*inputs), winOff: make([]int32, 9*inputs), winCnt: make([]int32, inputs),
		rows8: make([][8]float32, 9*maxIn), rows4: make([][4]float32, 9*maxIn),
	}
}

// gather lists the non-zero values of x (pixels × in) per pixel, in
// channel order, and returns how many there are.
func (nz *nonZeros) gather(x []float32, pixels, in int) int {
	val, off, cnt := nz.val[:pixels*in], nz.off[:pixels*in], nz.cnt[:pixels]
	total := 0
	for p := range cnt {
		base, k := p*in, 0
		for ci, v := range x[base : base+in] {
			// Written unconditionally and kept only when v is non-zero, so
			// that the loop has no branch to mispredict on ReLU output.
			val[base+k], off[base+k] = v, int32(ci)
			if v != 0 {
				k++
			}
		}
		cnt[p] = int32(k)
		total += k
	}
	return total
}

// gatherWindows concatenates, per output pixel, the lists of its window's
// pixels in tap order (a sparse im2col).
func (nz *nonZeros) gatherWindows(side, in int) {
	for oy := range side {
		ky0, ky1 := window(oy, side)
		for ox := range side {
			kx0, kx1 := window(ox, side)
			q := oy*side + ox
			wv, wo := nz.winVal[q*9*in:][:9*in], nz.winOff[q*9*in:][:9*in]
			k := 0
			for ky := ky0; ky < ky1; ky++ {
				for kx := kx0; kx < kx1; kx++ {
					p := (oy+ky-1)*side + ox + kx - 1
					n := int(nz.cnt[p])
					tap := int32((ky*3 + kx) * in)
					// A loop, not copy: the lists are a few values long,
					// shorter than a call to memmove is worth.
					offs := nz.off[p*in:][:n]
					for i, v := range nz.val[p*in:][:n] {
						wv[k+i], wo[k+i] = v, offs[i]+tap
					}
					k += n
				}
			}
			nz.winCnt[q] = int32(k)
		}
	}
}

// Convolution paths; convForward picks one by the input's density.
const (
	convAuto = iota
	convScatter
	convPixel8
	convWindow4
)

// convForward applies cv to x (side×side×cv.In) into y (side×side×cv.Out),
// ReLU included, using nz as scratch. The non-zero inputs are listed
// once per layer, without branches; then the fastest kernel per layer,
// as timed layer by layer on side-24 networks (random and trained
// weights; BenchmarkCNNForward in icrtrain times the whole pass):
//   - under 10% non-zero (ink maps), each non-zero input is scattered
//     into the outputs of its window: the work follows the ink;
//   - otherwise, for 8 outputs or fewer, eight sums per pass in locals
//     the compiler keeps in registers, over each tap's list;
//   - for more outputs, each output's window is listed once and summed
//     four channels at a time: with eight sums the compiler runs out of
//     registers and keeps two on the stack, which measured slower.
func convForward(cv *Conv, side int, x, y []float32, nz *nonZeros) {
	convPath(cv, side, x, y, nz, convAuto)
}

// convPath is convForward with the path chosen (tests run every path).
func convPath(cv *Conv, side int, x, y []float32, nz *nonZeros, path int) {
	in, out := cv.In, cv.Out
	n := nz.gather(x, side*side, in)
	if path == convAuto {
		switch {
		case 10*n < side*side*in:
			path = convScatter
		case out <= 8:
			path = convPixel8
		default:
			path = convWindow4
		}
	}
	switch path {
	case convScatter:
		scatter(cv, side, y, nz)
		return
	case convWindow4:
		nz.gatherWindows(side, in)
	}
	co := 0
	for ; path == convPixel8 && co+8 <= out; co += 8 {
		pixel8(cv, side, y, nz, co)
	}
	for ; path == convWindow4 && co+4 <= out; co += 4 {
		window4(cv, side*side, y, nz, co)
	}
	for ; co < out; co++ {
		pixel1(cv, side, y, nz, co)
	}
}

// window returns the range [k0, k1) of kernel offsets whose input row (or
// column) o+k−1 lies inside a map of the given side.
func window(o, side int) (k0, k1 int) {
	return max(0, 1-o), min(3, side+1-o)
}
