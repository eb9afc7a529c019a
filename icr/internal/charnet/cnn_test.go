package charnet

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/inkform/inkform/icr/internal/icrtest"
)

func tinyCNN() *CNN {
	c := NewCNN(rand.New(rand.NewPCG(3, 3)), 8, []int{4, 6}, []bool{true, false}, []int{8})
	c.Settings = "tiny"
	return c
}

func TestCNNRoundTrip(t *testing.T) {
	b := tinyCNN().Encode()
	c, err := DecodeCNN(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.Encode(), b) || c.Settings != "tiny" {
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
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DecodeCNN(data)
		if err != nil {
			return
		}
		if !bytes.Equal(c.Encode(), data) {
			t.Fatal("accepted a network that does not re-encode to itself")
		}
		c.Forward(c.NewScratch(), icrtest.Line())
	})
}
