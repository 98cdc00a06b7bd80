package palette

import (
	"fmt"
	"image/color"
	"math"
	"testing"
)

// hue returns the hue of c in degrees and its chroma in 0..1.
func hue(c color.RGBA) (h, chroma float64) {
	r, g, b := float64(c.R)/255, float64(c.G)/255, float64(c.B)/255
	hi, lo := math.Max(r, math.Max(g, b)), math.Min(r, math.Min(g, b))
	chroma = hi - lo
	switch {
	case chroma == 0:
		return 0, 0
	case hi == r:
		h = math.Mod((g-b)/chroma+6, 6)
	case hi == g:
		h = (b-r)/chroma + 2
	default:
		h = (r-g)/chroma + 4
	}
	return 60 * h, chroma
}

func luminance(c color.RGBA) float64 {
	return 0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)
}

func TestClassesDistinctAndVisible(t *testing.T) {
	bg := luminance(Background)
	for i, a := range Classes {
		if l := luminance(a); l < bg+60 {
			t.Errorf("class %d %v: luminance %.0f too close to the background's %.0f", i, a, l, bg)
		}
		for j, b := range Classes[:i] {
			d := math.Abs(float64(a.R)-float64(b.R)) + math.Abs(float64(a.G)-float64(b.G)) + math.Abs(float64(a.B)-float64(b.B))
			if d < 80 {
				t.Errorf("classes %d and %d too similar: %v %v", i, j, a, b)
			}
		}
	}
	// The browser test counts hues: at least 9 classes must be chromatic,
	// and no two chromatic classes may share both hue (±12°) and lightness.
	chromatic := 0
	for _, c := range Classes {
		if _, ch := hue(c); ch > 0.2 {
			chromatic++
		}
	}
	if chromatic < 9 {
		t.Errorf("%d chromatic classes, want ≥ 9", chromatic)
	}
}

func TestSequential(t *testing.T) {
	if got := Sequential(0); got != viridis[0] {
		t.Errorf("Sequential(0) = %v", got)
	}
	if got := Sequential(1); got != viridis[len(viridis)-1] {
		t.Errorf("Sequential(1) = %v", got)
	}
	if Sequential(math.NaN()) != Sequential(0) || Sequential(-3) != Sequential(0) || Sequential(7) != Sequential(1) {
		t.Error("out-of-range values are not clamped")
	}
	prev := -1.0
	for v := 0.0; v <= 1; v += 0.01 {
		l := luminance(Sequential(v))
		if l < prev-0.5 {
			t.Errorf("luminance falls at %.2f: %.1f after %.1f", v, l, prev)
		}
		prev = l
	}
}

func ExampleSequential() {
	fmt.Println(Sequential(0), Sequential(0.5), Sequential(1))
	// Output: {68 1 84 255} {38 130 142 255} {253 231 37 255}
}

func TestRanks(t *testing.T) {
	for _, tc := range []struct {
		v, want []float64
	}{
		{nil, []float64{}},
		{[]float64{7}, []float64{0.5}},
		{[]float64{0.3, 0.1, 0.2}, []float64{1, 0, 0.5}},
		{[]float64{0, 0, 0, 1}, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3, 1}},
		{[]float64{2, 2}, []float64{0.5, 0.5}},
	} {
		got := Ranks(nil, tc.v)
		if len(got) != len(tc.want) {
			t.Errorf("Ranks(%v) = %v, want %v", tc.v, got, tc.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i]-tc.want[i]) > 1e-12 {
				t.Errorf("Ranks(%v) = %v, want %v", tc.v, got, tc.want)
				break
			}
		}
	}
	// Skewed values, as importances are (most near 0, a few large), cover
	// the colour map evenly: each tenth of it gets a tenth of the values.
	v := make([]float64, 1000)
	for i := range v {
		v[i] = math.Pow(float64((i*7919)%1000)/1000, 8)
	}
	var bins [10]int
	for _, r := range Ranks(make([]float64, 3), v) {
		bins[min(int(r*10), 9)]++
	}
	for b, n := range bins {
		if n < 95 || n > 105 {
			t.Errorf("tenth %d of the scale holds %d of 1000 values, want about 100", b, n)
		}
	}
}

func TestQuantile(t *testing.T) {
	v := []float64{4, 0, 2, 1, 3}
	for _, tc := range []struct{ q, want float64 }{
		{0, 0}, {0.5, 2}, {1, 4}, {0.125, 0.5}, {-1, 0}, {2, 4},
	} {
		if got := Quantile(v, tc.q); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if v[0] != 4 {
		t.Error("Quantile sorted its input")
	}
}

func ExampleRanks() {
	importance := []float64{0.001, 0.09, 0.002, 0.004, 0.0005}
	fmt.Println(Ranks(nil, importance))
	fmt.Println(Quantile(importance, 0.5))
	// Output:
	// [0.25 1 0.5 0.75 0]
	// 0.002
}
