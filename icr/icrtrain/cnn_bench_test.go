package icrtrain

import (
	"math/rand/v2"
	"os"
	"testing"

	"github.com/inkform/inkform/icr"
	"github.com/inkform/inkform/icr/internal/charnet"
)

// BenchmarkCNNForward times the CNN's forward pass alone (ink maps, convs,
// dense layers) on the first validation characters, per network layout: the
// embedded cnn.bin, He-initialised networks of the round-4 layouts (side
// 16 and side 24: random weights, so their ReLU sparsity is only roughly
// a trained network's), and the file named by INKFORM_ICR_CNN if set.
// Run it with GOMAXPROCS=1: chars/cpu-s is then per core.
func BenchmarkCNNForward(b *testing.B) {
	_, val, _ := corpus(b)
	rng := rand.New(rand.NewPCG(1, 1))
	nets := []struct {
		name string
		c    *charnet.CNN
	}{
		{"embedded", benchCNNFile(b, "../cnn.bin")},
		{"side16-random", charnet.NewCNN(rng, 16, []int{16, 32, 64}, []bool{true, true, false}, []int{128})},
		{"side24-random", charnet.NewCNN(rng, 24, []int{8, 8, 16, 16, 32}, []bool{false, true, false, true, true}, []int{256})},
	}
	if p := os.Getenv("INKFORM_ICR_CNN"); p != "" {
		nets = append(nets, struct {
			name string
			c    *charnet.CNN
		}{"file", benchCNNFile(b, p)})
	}
	for _, n := range nets {
		b.Run(n.name, func(b *testing.B) {
			sc := n.c.NewScratch()
			b.ReportAllocs()
			cpu := cpuTime()
			for i := 0; b.Loop(); i++ {
				n.c.Forward(sc, val[i%len(val)].Strokes)
			}
			if c := cpuTime() - cpu; c > 0 {
				b.ReportMetric(float64(b.N)/c.Seconds(), "chars/cpu-s")
			}
		})
	}
}

func benchCNNFile(b *testing.B, name string) *charnet.CNN {
	c, err := icr.DecodeCNN(readBench(b, name))
	if err != nil {
		b.Fatal(err)
	}
	return c
}
