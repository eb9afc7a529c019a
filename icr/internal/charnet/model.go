package charnet

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// Model is a trained recogniser: feature standardisation and an ensemble of
// networks whose calibrated probabilities are averaged and calibrated once
// more. Each network, and the ensemble, has one softmax temperature per
// character set, fitted on held-out writers so that a character's
// probability means what it says.
type Model struct {
	Mean, InvStd []float32
	Nets         []Net
	// Temp sharpens (below 1) or softens the averaged probabilities.
	Temp [NumCharsets]float32
}

// Model file limits: DecodeModel refuses anything larger, so a corrupt or
// hostile file cannot make the engine allocate without bound.
const (
	MaxModelBytes = 8 << 20
	MaxNets       = 8
	MaxLayers     = 6
	maxLayerSide  = 4096
)

const modelMagic = "INKFORM-ICR\x00"
const modelVersion = 2

// Encode writes the model in its little-endian binary format (see
// DecodeModel).
func (m *Model) Encode() []byte {
	var b bytes.Buffer
	b.WriteString(modelMagic)
	u32, f32s := writers(&b)
	u32(modelVersion)
	u32(NumFeatures)
	u32(NumClasses)
	f32s(m.Temp[:])
	f32s(m.Mean)
	f32s(m.InvStd)
	u32(len(m.Nets))
	for _, n := range m.Nets {
		u32(n.From)
		u32(n.To)
		f32s(n.Temp[:])
		u32(len(n.Layers))
		for _, l := range n.Layers {
			u32(l.In)
			u32(l.Out)
			f32s(l.W)
			f32s(l.B)
		}
	}
	return b.Bytes()
}

// DecodeModel reads a model written by Encode: the magic
// "INKFORM-ICR\0", then uint32 version, feature count and class count, the
// ensemble's float32 temperatures (digits, upper, alnum), the float32
// feature means and inverse standard deviations, uint32 network
// count and per network the feature range it reads (uint32 from, to), its
// float32 temperatures (digits, upper, alnum) and its layers (uint32 in, out; float32 weights out×in row-major; float32 biases). It
// checks every size against the engine's feature layout and the limits.
func DecodeModel(data []byte) (*Model, error) {
	d, _, err := openModel(data, modelMagic, "icr model", modelVersion)
	if err != nil {
		return nil, fmt.Errorf("decode model: %w", err)
	}
	if nf, nc := d.u32(), d.u32(); d.err == nil && (nf != NumFeatures || nc != NumClasses) {
		return nil, fmt.Errorf("decode model: %d features and %d classes, engine has %d and %d", nf, nc, NumFeatures, NumClasses)
	}
	m := &Model{}
	copy(m.Temp[:], d.f32s(int(NumCharsets)))
	if err := checkTemps(m.Temp); d.err == nil && err != nil {
		return nil, fmt.Errorf("decode model: ensemble %w", err)
	}
	m.Mean = d.f32s(NumFeatures)
	m.InvStd = d.f32s(NumFeatures)
	nn := d.u32()
	if d.err == nil && (nn < 1 || nn > MaxNets) {
		return nil, fmt.Errorf("decode model: %d networks, want 1 to %d", nn, MaxNets)
	}
	for i := 0; i < nn && d.err == nil; i++ {
		var n Net
		n.From, n.To = d.u32(), d.u32()
		copy(n.Temp[:], d.f32s(int(NumCharsets)))
		if err := checkTemps(n.Temp); d.err == nil && err != nil {
			return nil, fmt.Errorf("decode model: network %d: %w", i, err)
		}
		nl := d.u32()
		if d.err == nil && (n.From >= n.To || n.To > NumFeatures) {
			return nil, fmt.Errorf("decode model: network %d reads features %d to %d of %d", i, n.From, n.To, NumFeatures)
		}
		if d.err == nil && (nl < 1 || nl > MaxLayers) {
			return nil, fmt.Errorf("decode model: network %d has %d layers", i, nl)
		}
		var err error
		if n.Layers, err = d.layers(nl, n.To-n.From); err != nil {
			return nil, fmt.Errorf("decode model: network %d: %w", i, err)
		}
		m.Nets = append(m.Nets, n)
	}
	if d.err != nil {
		return nil, fmt.Errorf("decode model: %w", d.err)
	}
	if d.r.Len() != 0 {
		return nil, fmt.Errorf("decode model: %d trailing bytes", d.r.Len())
	}
	return m, nil
}

// writers returns functions appending little-endian uint32 and float32
// values to b.
func writers(b *bytes.Buffer) (u32 func(int), f32s func([]float32)) {
	return func(v int) { _ = binary.Write(b, binary.LittleEndian, uint32(v)) },
		func(v []float32) { _ = binary.Write(b, binary.LittleEndian, v) }
}

// openModel checks a model file's size, magic and version (one of
// versions, the newest last) and returns a decoder positioned after the
// version, and the version.
func openModel(data []byte, magic, what string, versions ...int) (*decoder, int, error) {
	if len(data) > MaxModelBytes {
		return nil, 0, fmt.Errorf("%d bytes, limit %d", len(data), MaxModelBytes)
	}
	if !bytes.HasPrefix(data, []byte(magic)) {
		return nil, 0, fmt.Errorf("not an inkform %s", what)
	}
	d := &decoder{r: bytes.NewReader(data[len(magic):])}
	v := d.u32()
	if !slices.Contains(versions, v) {
		return nil, 0, fmt.Errorf("version %d, want %d", v, versions[len(versions)-1])
	}
	return d, v, nil
}

// checkTemps refuses temperatures that would make probabilities
// meaningless.
func checkTemps(t [NumCharsets]float32) error {
	for _, v := range t {
		if !(v > 0.01 && v < 100) {
			return fmt.Errorf("temperature %v out of range", v)
		}
	}
	return nil
}

// decoder reads little-endian values and remembers the first error, which
// keeps DecodeModel linear.
type decoder struct {
	r   *bytes.Reader
	err error
}

func (d *decoder) u32() int {
	if d.err != nil {
		return 0
	}
	var v uint32
	if err := binary.Read(d.r, binary.LittleEndian, &v); err != nil {
		d.err = fmt.Errorf("truncated: %w", err)
		return 0
	}
	return int(v)
}

// layers reads nl fully connected layers, the first with in inputs, the
// last with NumClasses outputs; a truncation is left in d.err.
func (d *decoder) layers(nl, in int) ([]Layer, error) {
	var out []Layer
	for j := 0; j < nl && d.err == nil; j++ {
		li, lo := d.u32(), d.u32()
		if d.err != nil {
			break
		}
		if li != in || lo < 1 || lo > maxLayerSide || (j == nl-1 && lo != NumClasses) {
			return nil, fmt.Errorf("layer %d is %d×%d", j, li, lo)
		}
		out = append(out, Layer{In: li, Out: lo, W: d.f32s(li * lo), B: d.f32s(lo)})
		in = lo
	}
	return out, nil
}

// f32s reads n finite floats; n was checked against the limits, and the
// remaining length is checked before allocating.
func (d *decoder) f32s(n int) []float32 {
	if d.err != nil {
		return nil
	}
	if n*4 > d.r.Len() {
		d.err = fmt.Errorf("truncated: want %d floats: %w", n, io.ErrUnexpectedEOF)
		return nil
	}
	v := make([]float32, n)
	if err := binary.Read(d.r, binary.LittleEndian, v); err != nil {
		d.err = fmt.Errorf("truncated: %w", err)
		return nil
	}
	for _, f := range v {
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			d.err = errors.New("non-finite weight")
			return nil
		}
	}
	return v
}
