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

func tinyCNN() *CNN {
	c := NewCNN(rand.New(rand.NewPCG(3, 3)), 8, []int{4, 6}, []bool{true, false}, []int{8})
	c.Settings = "tiny"
	c.Gate = [NumCharsets]float32{0.99, 0.98, 0.8}
	c.MixWeight = [NumCharsets]float32{0.8, 0.5, 0.65}
	c.MixTemp = [NumCharsets]float32{0.5, 0.7, 0.9}
	return c
}

// encodeV1 writes c in the first format, whose gate and mix weight (the
// digits' here) serve every character set.
func encodeV1(c *CNN) []byte {
	b := c.Encode()
	// gates, weights, mix temperatures, settings length and text
	tail := 3*4*int(NumCharsets) + 4 + len(c.Settings)
	at := len(b) - tail
	v1 := append([]byte(nil), b[:at]...)
	binary.LittleEndian.PutUint32(v1[len(cnnMagic):], 1)
	v1 = binary.LittleEndian.AppendUint32(v1, math.Float32bits(c.Gate[Digits]))
	v1 = binary.LittleEndian.AppendUint32(v1, math.Float32bits(c.MixWeight[Digits]))
	return append(v1, b[at+2*4*int(NumCharsets):]...)
}

func TestDecodeCNNVersion1(t *testing.T) {
	t.Parallel()
	want := tinyCNN()
	c, err := DecodeCNN(encodeV1(want))
	if err != nil {
		t.Fatal(err)
	}
	for cs := range NumCharsets {
		if c.Gate[cs] != want.Gate[Digits] || c.MixWeight[cs] != want.MixWeight[Digits] {
			t.Errorf("charset %d: gate %v, weight %v, want the file's single %v and %v", cs, c.Gate[cs], c.MixWeight[cs], want.Gate[Digits], want.MixWeight[Digits])
		}
	}
	want.Gate = c.Gate
	want.MixWeight = c.MixWeight
	if !bytes.Equal(c.Encode(), want.Encode()) {
		t.Fatal("a version 1 file read otherwise than its version 2 equivalent")
	}
}

func TestCNNRoundTrip(t *testing.T) {
	b := tinyCNN().Encode()
	c, err := DecodeCNN(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.Encode(), b) || c.Settings != "tiny" || c.Gate[Upper] != 0.98 || c.MixWeight[Alnum] != 0.65 {
		t.Fatal("decode then encode changed the network")
	}
	sc := c.NewScratch()
	if !c.Probs(sc, icrtest.Four(0, 0), Digits) {
		t.Fatal("no reading")
	}
	var sum float32
	for _, p := range sc.Probs[:10] {
		sum += p
	}
	if sum < 0.999 || sum > 1.001 {
		t.Fatalf("digit probabilities sum to %v", sum)
	}
	four := icrtest.Four(0, 0)
	if n := testing.AllocsPerRun(100, func() { c.Forward(sc, four) }); n != 0 {
		t.Fatalf("%v allocations per forward pass", n)
	}
}

// tinyEnsemble is tinyCNN with two members of other seeds, one of another
// side.
func tinyEnsemble() *CNN {
	c := tinyCNN()
	m1 := NewCNN(rand.New(rand.NewPCG(4, 4)), 8, []int{4, 6}, []bool{true, false}, []int{8})
	m2 := NewCNN(rand.New(rand.NewPCG(5, 5)), 16, []int{4}, []bool{true}, nil)
	m1.Settings, m2.Settings = "tiny seed 4", "other side"
	c.Members = []*CNN{m1, m2}
	return c
}

func TestCNNMembersAverageLogits(t *testing.T) {
	e := tinyEnsemble()
	b := e.Encode()
	c, err := DecodeCNN(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.Encode(), b) || len(c.Members) != 2 || c.Members[1].Settings != "other side" {
		t.Fatal("decode then encode changed the ensemble")
	}
	four := icrtest.Four(0, 0)
	var want [NumClasses]float32
	for _, n := range []*CNN{tinyCNN(), c.Members[0], c.Members[1]} {
		sc := n.NewScratch()
		if !n.Forward(sc, four) {
			t.Fatal("no reading")
		}
		for j, v := range sc.Logits {
			want[j] += v / 3
		}
	}
	sc := c.NewScratch()
	if !c.Forward(sc, four) {
		t.Fatal("no reading")
	}
	for j, v := range sc.Logits {
		if math.Abs(float64(v-want[j])) > 1e-5*(1+math.Abs(float64(want[j]))) {
			t.Fatalf("logit %d is %v, the members' mean %v", j, v, want[j])
		}
	}
	if n := testing.AllocsPerRun(100, func() { c.Forward(sc, four) }); n != 0 {
		t.Fatalf("%v allocations per forward pass of an ensemble", n)
	}
}

func TestDecodeCNNRefuses(t *testing.T) {
	t.Parallel()
	good := tinyCNN().Encode()
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"magic", []byte("not a network at all"), "not an inkform"},
		{"truncated", good[:len(good)-10], "truncated"},
		{"trailing", append(append([]byte(nil), good...), 0), "trailing"},
		{"side", func() []byte { b := append([]byte(nil), good...); b[len(cnnMagic)+4] = 200; return b }(), "side"},
		{"too large", make([]byte, MaxModelBytes+1), "limit"},
		{"version", func() []byte { b := append([]byte(nil), good...); b[len(cnnMagic)] = 4; return b }(), "version 4, want 3"},
		{"no members", func() []byte { b := append([]byte(nil), good...); b[len(cnnMagic)] = 3; return append(b, 0, 0, 0, 0) }(), "0 members"},
		{"nested members", func() []byte {
			e := tinyEnsemble()
			e.Members[0].Members = []*CNN{tinyCNN()}
			return e.Encode()
		}(), "member 0: version 3, want 2"},
		{"member truncated", func() []byte { b := tinyEnsemble().Encode(); return b[:len(b)-7] }(), "bytes"},
		{"gate", func() []byte {
			c := tinyCNN()
			c.Gate[Alnum] = 3
			return c.Encode()
		}(), "gate"},
		{"weight", func() []byte {
			c := tinyCNN()
			c.MixWeight[Upper] = -0.5
			return c.Encode()
		}(), "mix weight"},
	}
	for _, tt := range tests {
		if _, err := DecodeCNN(tt.data); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want %q", tt.name, err, tt.want)
		}
	}
}

func FuzzDecodeCNN(f *testing.F) {
	good := tinyCNN().Encode()
	f.Add(good)
	f.Add(good[:60])
	f.Add(encodeV1(tinyCNN()))
	f.Add(tinyEnsemble().Encode())
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DecodeCNN(data)
		if err != nil {
			return
		}
		// A version 1 file re-encodes as version 2, which must read back
		// the same.
		b := c.Encode()
		if again, err := DecodeCNN(b); err != nil || !bytes.Equal(again.Encode(), b) {
			t.Fatalf("re-encoded network does not read back (%v)", err)
		}
		if v := binary.LittleEndian.Uint32(data[len(cnnMagic):]); (v == cnnVersion || v == cnnMembersVersion) && !bytes.Equal(b, data) {
			t.Fatal("accepted a network that does not re-encode to itself")
		}
		c.Forward(c.NewScratch(), icrtest.Line())
	})
}
