package ui

import (
	"fmt"
	"math"
	"testing"

	"annvis/core/app/theme"
)

func overlap(a, b Rect) bool {
	return a.W > 0 && b.W > 0 && a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

func TestRowAndHit(t *testing.T) {
	th := theme.Dark()
	rs := Row(th, []string{"MLP", "CNN", "layers"}, Rect{10, 5, 600, 20})
	for i, r := range rs {
		if got := Hit(rs, r.X+1, r.Y+1); got != i {
			t.Errorf("Hit inside button %d = %d", i, got)
		}
		if r.W < TextW([]string{"MLP", "CNN", "layers"}[i], th.Body) || r.H != th.Button {
			t.Errorf("button %d %v smaller than its label", i, r)
		}
	}
	for _, p := range [][2]float64{{5, 6}, {11, 5 + th.Button + 1}, {rs[0].X + rs[0].W + th.Pad/2, 6}} {
		if got := Hit(rs, p[0], p[1]); got != -1 {
			t.Errorf("Hit(%v) = %d outside every button", p, got)
		}
	}
}

func TestRowWraps(t *testing.T) {
	th := theme.Dark()
	labels := []string{"aaaa", "bbbb", "cccc", "dddd", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"}
	short := math.Ceil(TextW("aaaa", th.Body) + 2*th.Pad) // a short button's width
	for _, tc := range []struct {
		w    float64
		rows int
	}{{2000, 1}, {4*short + 3*th.Pad, 2}, {2*short + th.Pad, 3}, {short, 5}, {10, 5}} {
		rs := Row(th, labels, Rect{X: 5, Y: 7, W: tc.w})
		if got := Rows(th, labels, tc.w); got != tc.rows {
			t.Errorf("Rows(width %v) = %d, want %d", tc.w, got, tc.rows)
		}
		for i, r := range rs {
			if r.X < 5 || (r.X+r.W > 5+tc.w && r.X > 5) {
				t.Errorf("width %v: button %d at %v crosses the row", tc.w, i, r)
			}
			for _, q := range rs[:i] {
				if overlap(r, q) {
					t.Errorf("width %v: buttons overlap: %v %v", tc.w, r, q)
				}
			}
		}
	}
}

func TestFitPoints(t *testing.T) {
	r := Rect{10, 20, 200, 100}
	for _, tc := range []struct {
		name string
		pos  []float64
		want []float64 // screen coordinates
	}{
		{"wide", []float64{-1, 0, 1, 0.5}, []float64{10, 20 + 50 - 25, 210, 70 + 25}},
		{"tall", []float64{0, 0, 0, 10}, []float64{110, 20, 110, 120}},
		{"single point", []float64{5, 5}, []float64{110, 70}},
		{"empty", nil, nil},
	} {
		f := FitPoints(tc.pos, r)
		got := f.Apply(nil, tc.pos)
		for i := range tc.want {
			if math.Abs(got[i]-tc.want[i]) > 1e-9 {
				t.Errorf("%s: Apply = %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}
}

func TestNearest(t *testing.T) {
	pts := []float64{0, 0, 10, 0, 10, 1, 50, 50}
	odd := func(i int) bool { return i%2 == 1 }
	for _, tc := range []struct {
		x, y, r float64
		keep    func(int) bool
		want    int
	}{
		{1, 1, 5, nil, 0}, {10, 0.8, 5, nil, 2}, {10, 0.2, 5, nil, 1}, {30, 30, 5, nil, -1}, {1, 0, 20, odd, 1}, {49, 49, 2, odd, 3},
	} {
		if got := Nearest(pts, tc.x, tc.y, tc.r, tc.keep); got != tc.want {
			t.Errorf("Nearest(%v, %v, %v) = %d, want %d", tc.x, tc.y, tc.r, got, tc.want)
		}
	}
}

func ExampleFitPoints() {
	pos := []float64{-2, -1, 2, 1} // a 4×2 projection
	f := FitPoints(pos, Rect{0, 0, 100, 100})
	fmt.Println(f.Apply(nil, pos))
	// Output: [0 25 100 75]
}

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		s    string
		cols int
		want []string
	}{
		{"hello world", 20, []string{"hello world"}},
		{"hello world", 5, []string{"hello", "world"}},
		{"a bb ccc dddd", 6, []string{"a bb", "ccc", "dddd"}},
		{"abcdefghij x", 4, []string{"abcd", "efgh", "ij x"}},
		{"one\ntwo three", 9, []string{"one", "two three"}},
		{"", 5, []string{""}},
		{"xy", 0, []string{"x", "y"}},
	} {
		got := Wrap(tc.s, tc.cols)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("Wrap(%q, %d) = %q, want %q", tc.s, tc.cols, got, tc.want)
		}
		for _, l := range got {
			if len(l) > max(tc.cols, 1) {
				t.Errorf("Wrap(%q, %d): line %q too long", tc.s, tc.cols, l)
			}
		}
	}
}
