package ink

import (
	"math"
	"testing"

	"github.com/inkform/inkform"
)

// poly builds a stroke through the waypoints with a point every step mm, the
// way a pen samples a path; time advances 13 ms (75 Hz) per point.
func geoPoly(step float64, xy ...float64) inkform.Stroke {
	var s inkform.Stroke
	var t int64
	add := func(x, y float64) {
		s.Points = append(s.Points, inkform.Point{X: x, Y: y, T: t, F: 0.5})
		t += 13
	}
	add(xy[0], xy[1])
	for i := 2; i+1 < len(xy); i += 2 {
		ax, ay, bx, by := xy[i-2], xy[i-1], xy[i], xy[i+1]
		n := max(1, int(math.Ceil(math.Hypot(bx-ax, by-ay)/step)))
		for k := 1; k <= n; k++ {
			f := float64(k) / float64(n)
			add(ax+f*(bx-ax), ay+f*(by-ay))
		}
	}
	return s
}

func geoDot(x, y float64) inkform.Stroke {
	return inkform.Stroke{Points: []inkform.Point{{X: x, Y: y}}}
}

func geoNear(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestGeometryLength(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		stroke inkform.Stroke
		want   float64
	}{
		{"no points", inkform.Stroke{}, 0},
		{"dot", geoDot(3, 4), 0},
		{"dot repeated", inkform.Stroke{Points: []inkform.Point{{X: 1, Y: 1}, {X: 1, Y: 1}}}, 0},
		{"3-4-5", geoPoly(100, 0, 0, 3, 4), 5},
		{"L shape sampled", geoPoly(0.3, 0, 0, 10, 0, 10, 7), 17},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Length(&tt.stroke); !geoNear(got, tt.want, 1e-9) {
				t.Errorf("Length = %v, want %v", got, tt.want)
			}
		})
	}
	all := []inkform.Stroke{geoPoly(1, 0, 0, 3, 4), geoPoly(1, 0, 0, 0, 2)}
	if got := TotalLength(all); !geoNear(got, 7, 1e-9) {
		t.Errorf("TotalLength = %v, want 7", got)
	}
}

func TestGeometryBounds(t *testing.T) {
	t.Parallel()
	if _, ok := Bounds(nil); ok {
		t.Error("Bounds(nil) reported ink")
	}
	if _, ok := Bounds([]inkform.Stroke{{}}); ok {
		t.Error("Bounds of a stroke without points reported ink")
	}
	got, ok := Bounds([]inkform.Stroke{geoPoly(1, 2, 3, 4, 3), geoDot(-1, 8)})
	want := inkform.Box{X: -1, Y: 3, W: 5, H: 5}
	if !ok || got != want {
		t.Errorf("Bounds = %+v, %v; want %+v, true", got, ok, want)
	}
}

func TestGeometryBoxes(t *testing.T) {
	t.Parallel()
	b := inkform.Box{X: 10, Y: 20, W: 4, H: 2}
	if got, want := Expand(b, 1), (inkform.Box{X: 9, Y: 19, W: 6, H: 4}); got != want {
		t.Errorf("Expand(+1) = %+v, want %+v", got, want)
	}
	if got, want := Expand(b, -1.5), (inkform.Box{X: 11.5, Y: 21, W: 1, H: 0}); got != want {
		t.Errorf("Expand(-1.5) = %+v, want %+v (height collapses on the centre)", got, want)
	}
	if Area(b) != 8 {
		t.Errorf("Area = %v, want 8", Area(b))
	}
	if x, y := Centre(b); x != 12 || y != 21 {
		t.Errorf("Centre = %v,%v, want 12,21", x, y)
	}
	if !ContainsBox(b, b) || !ContainsBox(b, inkform.Box{X: 11, Y: 21, W: 1, H: 1}) || ContainsBox(b, inkform.Box{X: 11, Y: 21, W: 4, H: 1}) {
		t.Error("ContainsBox is wrong about a box inside, on, or over the edge")
	}
	tests := []struct {
		name  string
		other inkform.Box
		want  inkform.Box
		ok    bool
	}{
		{"overlap", inkform.Box{X: 13, Y: 21, W: 5, H: 5}, inkform.Box{X: 13, Y: 21, W: 1, H: 1}, true},
		{"inside", inkform.Box{X: 11, Y: 20.5, W: 1, H: 1}, inkform.Box{X: 11, Y: 20.5, W: 1, H: 1}, true},
		{"touching", inkform.Box{X: 14, Y: 20, W: 1, H: 1}, inkform.Box{X: 14, Y: 20, W: 0, H: 1}, true},
		{"apart", inkform.Box{X: 15, Y: 20, W: 1, H: 1}, inkform.Box{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := Intersection(b, tt.other)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Intersection = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
			if Intersects(b, tt.other) != tt.ok || Intersects(tt.other, b) != tt.ok {
				t.Errorf("Intersects disagrees with Intersection (%v)", tt.ok)
			}
		})
	}
}

func TestGeometryTranslate(t *testing.T) {
	t.Parallel()
	in := []inkform.Stroke{geoPoly(1, 0, 0, 2, 0), geoDot(5, 5)}
	out := Translate(in, 1.5, -2)
	if in[0].Points[0].X != 0 || in[1].Points[0].Y != 5 {
		t.Fatal("Translate modified its input")
	}
	if len(out) != 2 || len(out[0].Points) != 3 || len(out[1].Points) != 1 {
		t.Fatalf("Translate changed the shape: %+v", out)
	}
	if p := out[0].Points[2]; p.X != 3.5 || p.Y != -2 || p.T != in[0].Points[2].T || p.F != 0.5 {
		t.Errorf("translated point = %+v", p)
	}
	// The strokes share a backing array; appending to one must not
	// overwrite the next.
	out[0].Points = append(out[0].Points, inkform.Point{X: 99})
	if out[1].Points[0].X != 6.5 {
		t.Errorf("appending to a translated stroke changed its neighbour: %+v", out[1].Points[0])
	}
}
