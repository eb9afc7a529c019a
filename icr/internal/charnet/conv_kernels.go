package charnet

import "iter"

// scatter adds each listed input, times its weight rows, to the outputs
// of its window. Input pixels are visited in row order, so each output
// still receives its taps in row order and, per tap, the channels in
// order: the plain loop's summation order.
func scatter(cv *Conv, side int, y []float32, nz *nonZeros) {
	in, out := cv.In, cv.Out
	y = y[:side*side*out]
	b := cv.B[:out]
	for q := range side * side {
		// a loop, not copy: eight or sixteen values are less than a call
		d := y[q*out:][:out]
		for i := range d {
			d[i] = b[i]
		}
	}
	for iy := range side {
		// taps whose output row iy+1−ky lies inside the map
		ky0, ky1 := max(0, iy+2-side), min(3, iy+2)
		for ix := range side {
			kx0, kx1 := max(0, ix+2-side), min(3, ix+2)
			p := iy*side + ix
			n := int(nz.cnt[p])
			offs := nz.off[p*in:][:n]
			for k, v := range nz.val[p*in:][:n] {
				o := int(offs[k]) * out
				for ky := ky0; ky < ky1; ky++ {
					for kx := kx0; kx < kx1; kx++ {
						d := y[((iy+1-ky)*side+ix+1-kx)*out:][:out]
						r := cv.W[(ky*3+kx)*in*out+o:][:len(d)]
						for i := range d {
							d[i] += v * r[i]
						}
					}
				}
			}
		}
	}
	for i, v := range y {
		y[i] = max(v, 0)
	}
}

// pixel8 computes output channels co…co+7 of every pixel from the
// per-pixel lists, tap by tap.
func pixel8(cv *Conv, side int, y []float32, nz *nonZeros, co int) {
	in, out := cv.In, cv.Out
	b := cv.B[co : co+8 : co+8]
	rows := nz.rows8[:9*in]
	for i := range rows {
		rows[i] = [8]float32(cv.W[i*out+co:])
	}
	for oy := range side {
		ky0, ky1 := window(oy, side)
		for ox := range side {
			kx0, kx1 := window(ox, side)
			a0, a1, a2, a3, a4, a5, a6, a7 := b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]
			for ky := ky0; ky < ky1; ky++ {
				for kx := kx0; kx < kx1; kx++ {
					p := (oy+ky-1)*side + ox + kx - 1
					n := int(nz.cnt[p])
					offs := nz.off[p*in:][:n]
					w := rows[(ky*3+kx)*in:][:in]
					for k, v := range nz.val[p*in:][:n] {
						r := &w[offs[k]]
						a0 += v * r[0]
						a1 += v * r[1]
						a2 += v * r[2]
						a3 += v * r[3]
						a4 += v * r[4]
						a5 += v * r[5]
						a6 += v * r[6]
						a7 += v * r[7]
					}
				}
			}
			d := y[(oy*side+ox)*out+co:][:8]
			d[0], d[1], d[2], d[3] = max(a0, 0), max(a1, 0), max(a2, 0), max(a3, 0)
			d[4], d[5], d[6], d[7] = max(a4, 0), max(a5, 0), max(a6, 0), max(a7, 0)
		}
	}
}

// window4 computes output channels co…co+3 of every pixel from the
// per-output window lists (gatherWindows): one loop per output.
func window4(cv *Conv, pixels int, y []float32, nz *nonZeros, co int) {
	in, out := cv.In, cv.Out
	b := cv.B[co : co+4 : co+4]
	w := nz.rows4[:9*in]
	for i := range w {
		w[i] = [4]float32(cv.W[i*out+co:])
	}
	for q := range pixels {
		n := int(nz.winCnt[q])
		offs := nz.winOff[q*9*in:][:n]
		a0, a1, a2, a3 := b[0], b[1], b[2], b[3]
		for k, v := range nz.winVal[q*9*in:][:n] {
			r := &w[offs[k]]
			a0 += v * r[0]
			a1 += v * r[1]
			a2 += v * r[2]
			a3 += v * r[3]
		}
		d := y[q*out+co:][:4]
		d[0], d[1], d[2], d[3] = max(a0, 0), max(a1, 0), max(a2, 0), max(a3, 0)
	}
}

// pixel1 computes output channel co of every pixel (the channels left
// over when the width is not a multiple of the block).
func pixel1(cv *Conv, side int, y []float32, nz *nonZeros, co int) {
	in, out := cv.In, cv.Out
	for oy := range side {
		ky0, ky1 := window(oy, side)
		for ox := range side {
			kx0, kx1 := window(ox, side)
			a := cv.B[co]
			for ky := ky0; ky < ky1; ky++ {
				for kx := kx0; kx < kx1; kx++ {
					p := (oy+ky-1)*side + ox + kx - 1
					n := int(nz.cnt[p])
					offs := nz.off[p*in:][:n]
					w := cv.W[(ky*3+kx)*in*out+co:]
					for k, v := range nz.val[p*in:][:n] {
						a += v * w[int(offs[k])*out]
					}
				}
			}
			y[(oy*side+ox)*out+co] = max(a, 0)
		}
	}
}

// Taps yields, for the output pixel (oy, ox) of a side×side map, each
// input pixel of its 3×3 window inside the map and the tap's index
// ky·3+kx, in that order (the order in which the forward pass sums).
func Taps(side, oy, ox int) iter.Seq2[int, int] {
	return func(yield func(pixel, tap int) bool) {
		for ky := 0; ky < 3; ky++ {
			iy := oy + ky - 1
			if iy < 0 || iy >= side {
				continue
			}
			for kx := 0; kx < 3; kx++ {
				ix := ox + kx - 1
				if ix >= 0 && ix < side && !yield(iy*side+ix, ky*3+kx) {
					return
				}
			}
		}
	}
}
