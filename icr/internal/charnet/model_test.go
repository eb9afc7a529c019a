package charnet

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/inkform/inkform/icr/internal/icrtest"
)

// tinyModel is a valid model with random weights: enough to test the file
// format and the plumbing, not recognition.
func tinyModel() *Model {
	rng := rand.New(rand.NewPCG(7, 7))
	m := &Model{Mean: make([]float32, NumFeatures), InvStd: make([]float32, NumFeatures), Temp: [NumCharsets]float32{0.8, 0.9, 1}}
	for i := range m.InvStd {
		m.InvStd[i] = 1
	}
	from, to, _ := ViewRange("dir")
	m.Nets = append(m.Nets, NewNet(rng, from, to, []int{6}))
	from, to, _ = ViewRange("traj")
	m.Nets = append(m.Nets, NewNet(rng, from, to, []int{5, 4}))
	m.Nets[0].Temp = [NumCharsets]float32{1, 1.5, 2}
	m.Nets[1].Temp = [NumCharsets]float32{0.5, 1, 1.25}
	return m
}

func TestModelRoundTrip(t *testing.T) {
	t.Parallel()
	m := tinyModel()
	b := m.Encode()
	got, err := DecodeModel(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Encode(), b) {
		t.Fatal("decode then encode changed the model")
	}
	if got.Temp != m.Temp || got.Nets[1].Temp != m.Nets[1].Temp || got.Nets[1].From != m.Nets[1].From || len(got.Nets[1].Layers) != 3 {
		t.Fatalf("decoded %+v", got.Nets[1].Temp)
	}
}

func TestDecodeModelRefuses(t *testing.T) {
	t.Parallel()
	good := tinyModel().Encode()
	mutate := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	// Offsets: magic, version, features, classes (4 bytes each), then the
	// ensemble's temperatures.
	const tempOff = len(modelMagic) + 12
	nan := math.Float32bits(float32(math.NaN()))
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not an inkform"},
		{"magic", []byte("hello world, not a model"), "not an inkform"},
		{"version", mutate(func(b []byte) []byte { b[len(modelMagic)] = 9; return b }), "version"},
		{"features", mutate(func(b []byte) []byte { b[len(modelMagic)+4]++; return b }), "features"},
		{"truncated", good[:len(good)-3], "truncated"},
		{"trailing", append(append([]byte(nil), good...), 0), "trailing"},
		{"temperature", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[tempOff:], 0); return b }), "temperature"},
		{"nan", mutate(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[len(b)-4:], nan); return b }), "non-finite"},
		{"too large", make([]byte, MaxModelBytes+1), "limit"},
	}
	for _, tt := range tests {
		_, err := DecodeModel(tt.data)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want %q", tt.name, err, tt.want)
		}
	}
}

func FuzzDecodeModel(f *testing.F) {
	good := tinyModel().Encode()
	f.Add(good)
	f.Add(good[:100])
	f.Add([]byte(modelMagic + "\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeModel(data)
		if err != nil {
			return
		}
		if !bytes.Equal(m.Encode(), data) {
			t.Fatal("accepted a model that does not re-encode to itself")
		}
		// A model that decodes must be usable.
		m.EnsembleProbs(m.NewScorer(), icrtest.Line(), Digits)
	})
}
