package icrtrain

import "testing"

func TestPickCascade(t *testing.T) {
	t.Parallel()
	// score: n, right, cnn, accepted, acceptedWrong
	ch := func(gate, weight float32, right, accepted, wrong int) cascadeChoice {
		return cascadeChoice{gate: gate, weight: weight, temp: 1, score: cascadeScore{n: 1000, right: right, accepted: accepted, acceptedWrong: wrong}}
	}
	tests := []struct {
		name       string
		all        []cascadeChoice
		gate, wght float32
	}{
		{"fewest wrong among those accepting enough", []cascadeChoice{
			ch(0.8, 0.5, 990, 960, 6), ch(0.9, 0.5, 991, 970, 4), ch(0.99, 0.8, 992, 910, 1),
		}, 0.9, 0.5},
		{"equal error: better top-1", []cascadeChoice{
			ch(0.8, 0.5, 980, 950, 5), ch(0.9, 0.5, 985, 950, 5), ch(0.99, 0.5, 985, 950, 5),
		}, 0.9, 0.5},
		{"equal error and top-1: cheaper gate, smaller weight", []cascadeChoice{
			ch(0.8, 0.5, 985, 950, 5), ch(0.8, 0.65, 985, 950, 5), ch(0.9, 0.5, 985, 950, 5),
		}, 0.8, 0.5},
		{"none accepts enough: cheapest gate near the best top-1, its best weight", []cascadeChoice{
			ch(0.8, 0.5, 960, 850, 1), ch(0.9, 0.5, 968, 860, 9), ch(0.9, 0.65, 970, 870, 9), ch(0.99, 0.5, 971, 880, 2),
		}, 0.9, 0.65},
		{"none accepts enough: the cheapest gate when within tolerance", []cascadeChoice{
			ch(0.8, 0.5, 970, 850, 9), ch(0.9, 0.5, 971, 860, 1),
		}, 0.8, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := pickCascade(tt.all); got.gate != tt.gate || got.weight != tt.wght {
				t.Errorf("picked gate %v, weight %v; want %v, %v", got.gate, got.weight, tt.gate, tt.wght)
			}
		})
	}
}
