package charnet

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
)

const (
	cnnMagic = "INKFORM-CNN\x00"
	// cnnVersion 2 has a gate and a mix weight per character set; version
	// 1, one of each for all sets, is still read. Version 3 is version 2
	// followed by the network's members (written only when it has some).
	cnnVersion        = 2
	cnnMembersVersion = 3
	// MaxCNNMembers bounds the members of a network.
	MaxCNNMembers = 4
	// MaxCNNLayers bounds the conv and the dense layers each.
	MaxCNNLayers = 8
	maxSettings  = 4096
	maxSide      = 64
)

// NewCNN returns a He-initialised network over side×side ink maps with
// one conv layer per entry of convs (its width; a 2×2 pool follows the
// layers listed in pools) and dense hidden layers of the given widths.
func NewCNN(rng *rand.Rand, side int, convs []int, pools []bool, hidden []int) *CNN {
	c := &CNN{Side: side}
	c.ResetCalibration()
	in := MapChannels
	for i, out := range convs {
		cv := Conv{In: in, Out: out, Pool: pools[i], W: make([]float32, 9*in*out), B: make([]float32, out)}
		sd := math.Sqrt(2 / float64(9*in))
		for j := range cv.W {
			cv.W[j] = float32(rng.NormFloat64() * sd)
		}
		c.Convs = append(c.Convs, cv)
		in = out
	}
	in = c.FlatSize() + MapGlobals
	for _, out := range append(append([]int(nil), hidden...), NumClasses) {
		c.Dense = append(c.Dense, newLayer(rng, in, out))
		in = out
	}
	return c
}

// ResetCalibration sets the calibration and cascade fields as in a new
// network: temperatures and mix weight 1, the gate always open.
func (c *CNN) ResetCalibration() {
	ones := [NumCharsets]float32{1, 1, 1}
	c.Temp, c.Gate, c.MixWeight, c.MixTemp = ones, [NumCharsets]float32{2, 2, 2}, ones, ones
}

// Encode writes the network in its little-endian binary format (see
// DecodeCNN).
func (c *CNN) Encode() []byte {
	var b bytes.Buffer
	b.WriteString(cnnMagic)
	u32, f32s := writers(&b)
	if len(c.Members) > 0 {
		u32(cnnMembersVersion)
	} else {
		u32(cnnVersion)
	}
	u32(c.Side)
	u32(MapChannels)
	u32(NumClasses)
	u32(len(c.Convs))
	for _, cv := range c.Convs {
		u32(cv.In)
		u32(cv.Out)
		pool := 0
		if cv.Pool {
			pool = 1
		}
		u32(pool)
		f32s(cv.W)
		f32s(cv.B)
	}
	u32(len(c.Dense))
	for _, l := range c.Dense {
		u32(l.In)
		u32(l.Out)
		f32s(l.W)
		f32s(l.B)
	}
	f32s(c.Temp[:])
	f32s(c.Gate[:])
	f32s(c.MixWeight[:])
	f32s(c.MixTemp[:])
	u32(len(c.Settings))
	b.WriteString(c.Settings)
	if len(c.Members) > 0 {
		u32(len(c.Members))
		for _, m := range c.Members {
			mb := m.Encode()
			u32(len(mb))
			b.Write(mb)
		}
	}
	return b.Bytes()
}

// DecodeCNN reads a network written by Encode: the magic "INKFORM-CNN\0",
// then uint32 version, map side, channel and class counts; uint32 conv
// count and per conv its in and out widths, pool flag, float32 weights
// (9·in rows of out) and biases; uint32 dense count and per layer in, out,
// weights (out rows of in) and biases; then per character set (digits,
// upper, alnum) float32 temperatures, gates, mix weights and mix
// temperatures; uint32 length and the settings text. Version 1 files,
// with a single gate and mix weight (float32 each) for all sets, are read
// as if each set had them. Version 3 adds, after the settings, uint32 the
// number of members and per member its uint32 length and its own version 2
// file. It checks every size and refuses files over MaxModelBytes or with
// non-finite weights.
func DecodeCNN(data []byte) (*CNN, error) {
	d, version, err := openModel(data, cnnMagic, "cnn", 1, cnnVersion, cnnMembersVersion)
	if err != nil {
		return nil, fmt.Errorf("decode cnn: %w", err)
	}
	c := &CNN{Side: d.u32()}
	if ch, nc := d.u32(), d.u32(); d.err == nil && (ch != MapChannels || nc != NumClasses) {
		return nil, fmt.Errorf("decode cnn: %d channels and %d classes, engine has %d and %d", ch, nc, MapChannels, NumClasses)
	}
	nconv := d.u32()
	if d.err == nil && (c.Side < 4 || c.Side > maxSide || nconv < 1 || nconv > MaxCNNLayers) {
		return nil, fmt.Errorf("decode cnn: side %d with %d conv layers", c.Side, nconv)
	}
	in, side := MapChannels, c.Side
	for i := 0; i < nconv && d.err == nil; i++ {
		ci, co, pool := d.u32(), d.u32(), d.u32()
		if d.err != nil {
			break
		}
		if ci != in || co < 1 || co > 512 || pool > 1 || (pool == 1 && side%2 != 0) {
			return nil, fmt.Errorf("decode cnn: conv %d is %d→%d (pool %d) at side %d", i, ci, co, pool, side)
		}
		cv := Conv{In: ci, Out: co, Pool: pool == 1, W: d.f32s(9 * ci * co), B: d.f32s(co)}
		c.Convs = append(c.Convs, cv)
		if cv.Pool {
			side /= 2
		}
		in = co
	}
	if d.err == nil {
		in = c.FlatSize() + MapGlobals
	}
	nd := d.u32()
	if d.err == nil && (nd < 1 || nd > MaxCNNLayers) {
		return nil, fmt.Errorf("decode cnn: %d dense layers", nd)
	}
	if c.Dense, err = d.layers(nd, in); err != nil {
		return nil, fmt.Errorf("decode cnn: dense %w", err)
	}
	copy(c.Temp[:], d.f32s(int(NumCharsets)))
	if version == 1 {
		if gm := d.f32s(2); d.err == nil {
			for cs := range NumCharsets {
				c.Gate[cs], c.MixWeight[cs] = gm[0], gm[1]
			}
		}
	} else {
		copy(c.Gate[:], d.f32s(int(NumCharsets)))
		copy(c.MixWeight[:], d.f32s(int(NumCharsets)))
	}
	copy(c.MixTemp[:], d.f32s(int(NumCharsets)))
	n := d.u32()
	if d.err == nil && (n > maxSettings || n > d.r.Len()) {
		return nil, fmt.Errorf("decode cnn: settings of %d bytes", n)
	}
	if d.err != nil {
		return nil, fmt.Errorf("decode cnn: %w", d.err)
	}
	s := make([]byte, n)
	_, _ = d.r.Read(s)
	c.Settings = string(s)
	if version == cnnMembersVersion {
		if c.Members, err = d.members(); err != nil {
			return nil, fmt.Errorf("decode cnn: %w", err)
		}
	}
	if err := checkTemps(c.Temp); err != nil {
		return nil, fmt.Errorf("decode cnn: %w", err)
	}
	if err := checkTemps(c.MixTemp); err != nil {
		return nil, fmt.Errorf("decode cnn: mix %w", err)
	}
	for cs := range NumCharsets {
		if !(c.MixWeight[cs] >= 0 && c.MixWeight[cs] <= 1) || !(c.Gate[cs] >= 0 && c.Gate[cs] <= 2) {
			return nil, fmt.Errorf("decode cnn: gate %v, mix weight %v", c.Gate, c.MixWeight)
		}
	}
	if d.r.Len() != 0 {
		return nil, fmt.Errorf("decode cnn: %d trailing bytes", d.r.Len())
	}
	return c, nil
}

// members reads the members of a version 3 file: each a version 2 file
// of its own.
func (d *decoder) members() ([]*CNN, error) {
	n := d.u32()
	if d.err == nil && (n < 1 || n > MaxCNNMembers) {
		return nil, fmt.Errorf("%d members", n)
	}
	var out []*CNN
	for i := 0; i < n && d.err == nil; i++ {
		size := d.u32()
		if d.err != nil {
			break
		}
		if size > d.r.Len() || size < len(cnnMagic)+4 {
			return nil, fmt.Errorf("member %d of %d bytes", i, size)
		}
		b := make([]byte, size)
		_, _ = d.r.Read(b)
		if v := binary.LittleEndian.Uint32(b[len(cnnMagic):]); v != cnnVersion {
			return nil, fmt.Errorf("member %d: version %d, want %d", i, v, cnnVersion)
		}
		m, err := DecodeCNN(b)
		if err != nil {
			return nil, fmt.Errorf("member %d: %w", i, err)
		}
		out = append(out, m)
	}
	return out, d.err
}
