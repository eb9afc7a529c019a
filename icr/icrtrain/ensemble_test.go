package icrtrain

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/inkform/inkform/icr/internal/charnet"
)

func TestEnsemble(t *testing.T) {
	t.Parallel()
	net := func(seed uint64) *charnet.CNN {
		c := charnet.NewCNN(rand.New(rand.NewPCG(seed, seed)), 8, []int{4}, []bool{true}, nil)
		c.Gate = [charnet.NumCharsets]float32{0.9, 0.9, 0.9}
		c.Temp = [charnet.NumCharsets]float32{1.5, 1.5, 1.5}
		return c
	}
	a, b, c := net(1), net(2), net(3)
	// b is itself an ensemble: its member joins as a network of its own.
	b.Members = []*charnet.CNN{c}
	e, err := Ensemble([]*charnet.CNN{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if e != a || len(e.Members) != 2 || e.Members[0] != b || e.Members[1] != c || len(b.Members) != 0 {
		t.Fatalf("ensemble of %d members, want a with members b and c, none nested", len(e.Members))
	}
	fresh := charnet.NewCNN(rand.New(rand.NewPCG(9, 9)), 8, []int{4}, []bool{true}, nil)
	for i, n := range []*charnet.CNN{a, b, c} {
		if n.Temp != fresh.Temp || n.Gate != fresh.Gate || n.MixWeight != fresh.MixWeight || n.MixTemp != fresh.MixTemp {
			t.Errorf("network %d keeps its calibration (temperatures %v, gates %v)", i, n.Temp, n.Gate)
		}
	}
	if one, err := Ensemble([]*charnet.CNN{net(4)}); err != nil || one.Members != nil {
		t.Errorf("one network: members %v, err %v", one.Members, err)
	}
	many := make([]*charnet.CNN, charnet.MaxCNNMembers+2)
	for i := range many {
		many[i] = net(uint64(10 + i))
	}
	if _, err := Ensemble(many); err == nil || !strings.Contains(err.Error(), "at most") {
		t.Errorf("%d networks: err %v", len(many), err)
	}
	if _, err := Ensemble(nil); err == nil {
		t.Error("no networks: no error")
	}
}
