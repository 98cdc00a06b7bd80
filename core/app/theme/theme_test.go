package theme

import (
	"fmt"
	"image/color"
	"math"
	"testing"
)

func TestSized(t *testing.T) {
	for _, tc := range []struct {
		w, h, scale       float64
		minBody, minTitle float64 // CSS pixels
	}{
		{1920, 1080, 1, 18, 24},
		{2560, 1600, 2, MinBody, MinBody},
		{640, 420, 1, MinBody, MinBody},
		{1170, 2532, 3, MinBody, MinBody},
	} {
		for _, th := range []Theme{Dark(), Light()} {
			s := th.Sized(tc.w, tc.h, tc.scale)
			name := fmt.Sprintf("%s %vx%v@%v", s.Name, tc.w, tc.h, tc.scale)
			if s.Body < tc.minBody*tc.scale || s.Title < tc.minTitle*tc.scale || s.Title <= s.Body {
				t.Errorf("%s: body %v, title %v device px, want ≥ %v, ≥ %v CSS px", name, s.Body, s.Title, tc.minBody, tc.minTitle)
			}
			if tc.w/tc.scale < 600 && s.Button < 40*tc.scale {
				t.Errorf("%s: buttons %v device px high, want ≥ 40 CSS px on a phone", name, s.Button)
			}
			if s.Pad <= 0 || s.Colours() != th.Colours() {
				t.Errorf("%s: pad %v, or Sized changed the colours", name, s.Pad)
			}
		}
	}
}

func TestNamed(t *testing.T) {
	for _, name := range append(Names, "") {
		if th, err := Named(name); err != nil || (name != "" && th.Name != name) {
			t.Errorf("Named(%q) = %v, %v", name, th.Name, err)
		}
	}
	if _, err := Named("sepia"); err == nil || err.Error() != `theme: unknown theme "sepia" (known: dark, light)` {
		t.Errorf("Named(sepia): %v", err)
	}
}

func TestBrightness(t *testing.T) {
	th := Dark()
	th.Dimmest = 0.5
	for _, tc := range []struct {
		k, n int
		want float64
	}{
		{0, 1, 1}, {0, 0, 1}, {0, 4, 0.5}, {3, 4, 1}, {9, 4, 1}, {-1, 4, 0.5}, {1, 3, 0.75},
	} {
		if got := th.Brightness(tc.k, tc.n); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Brightness(%d, %d) = %v, want %v", tc.k, tc.n, got, tc.want)
		}
	}
}

func TestShade(t *testing.T) {
	for _, th := range []Theme{Dark(), Light()} {
		r, g, b, a := th.Shade(4, 1, 0.25)
		if c := th.Classes[4]; r != float32(c.R)/255 || g != float32(c.G)/255 || b != float32(c.B)/255 || a != 0.25 {
			t.Errorf("%s: Shade at brightness 1 is not the class colour", th.Name)
		}
		r, g, b, _ = th.Shade(4, 0, 1)
		if bg := th.Background; r != float32(bg.R)/255 || g != float32(bg.G)/255 || b != float32(bg.B)/255 {
			t.Errorf("%s: Shade at brightness 0 is not the background", th.Name)
		}
		if r, g, b, _ := th.Shade(200, 1, 1); r != g || g != b {
			t.Errorf("%s: Shade of a non-class is not grey", th.Name)
		}
	}
}

// contrast returns the WCAG contrast ratio of a and b.
func contrast(a, b color.RGBA) float64 {
	lum := func(c color.RGBA) float64 {
		ch := func(v uint8) float64 {
			x := float64(v) / 255
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
	}
	la, lb := lum(a), lum(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// TestClassesVisible checks, in both themes, that every class colour, even
// at the earliest stage's brightness, stands out from the background, and
// that the classes stay distinct from one another.
func TestClassesVisible(t *testing.T) {
	for _, th := range []Theme{Dark(), Light()} {
		for i, c := range th.Classes {
			r, g, b, _ := th.Shade(uint8(i), th.Dimmest, 1)
			dim := color.RGBA{uint8(r * 255), uint8(g * 255), uint8(b * 255), 0xff}
			if k := contrast(dim, th.Background); k < 1.6 {
				t.Errorf("%s: class %d at the earliest stage %v: contrast %.2f with the background, want ≥ 1.6", th.Name, i, dim, k)
			}
			if k := contrast(c, th.Background); k < 2 {
				t.Errorf("%s: class %d %v: contrast %.2f with the background, want ≥ 2", th.Name, i, c, k)
			}
			for j, d := range th.Classes[:i] {
				dist := math.Abs(float64(c.R)-float64(d.R)) + math.Abs(float64(c.G)-float64(d.G)) + math.Abs(float64(c.B)-float64(d.B))
				if dist < 80 {
					t.Errorf("%s: classes %d and %d too similar: %v %v", th.Name, i, j, c, d)
				}
			}
		}
		if k := contrast(opaque(th.Text), th.Background); k < 7 {
			t.Errorf("%s: text contrast %.2f, want ≥ 7", th.Name, k)
		}
		if k := contrast(opaque(th.Muted), th.Background); k < 4.5 {
			t.Errorf("%s: muted text contrast %.2f, want ≥ 4.5", th.Name, k)
		}
	}
}

func opaque(c color.NRGBA) color.RGBA { return color.RGBA{c.R, c.G, c.B, 0xff} }

func TestPointSize(t *testing.T) {
	th := Dark().Sized(1920, 1080, 1)
	big, small := th.PointSize(1000*1000, 500), th.PointSize(300*300, 10000)
	if !(big > small) || small < 2 || big > 9 {
		t.Errorf("PointSize: %v for 500 digits on 1000², %v for 10000 on 300²", big, small)
	}
	if s := Dark().Sized(2560, 1600, 2).PointSize(300*300, 10000); s < 4 {
		t.Errorf("PointSize at scale 2 = %v, want ≥ 2 CSS px", s)
	}
}

func ExampleTheme_Sized() {
	th := Dark().Sized(1920, 1080, 1)
	fmt.Println(th.Name, th.Body, th.Title)
	th = Light().Sized(1170, 2532, 3) // a phone in portrait at devicePixelRatio 3
	fmt.Println(th.Name, th.Body, th.Title, th.Button)
	// Output:
	// dark 18 24
	// light 33 44 120
}

// TestClassesApartForColourBlindness checks the claim of palette.Classes in
// both themes: every two of the twenty classes lie at least 7.5 CIELAB ΔE
// apart for normal, protanope and deuteranope vision (Machado, Oliveira and
// Fernandes 2009, severity 1), the ten digits at least 13; and for normal
// vision a class 10–19 at any trail brightness is at least 7.5 ΔE from any
// other class at any brightness.
func TestClassesApartForColourBlindness(t *testing.T) {
	for _, th := range []Theme{Dark(), Light()} {
		for i, a := range th.Classes {
			for j, b := range th.Classes[:i] {
				want := 7.5
				if i < 10 {
					want = 13
				}
				if d, vision := deltaE(a, b); d < want {
					t.Errorf("%s: classes %d %v and %d %v are %.1f ΔE apart for %s vision, want ≥ %g", th.Name, j, b, i, a, d, vision, want)
				}
				if i < 10 {
					continue
				}
				for x := th.Dimmest; x <= 1+1e-9; x += 0.1 {
					for y := th.Dimmest; y <= 1+1e-9; y += 0.1 {
						ca, cb := shadeRGBA(th, i, x), shadeRGBA(th, j, y)
						if d := math.Sqrt(sq3(cielab(visions[0].m, ca), cielab(visions[0].m, cb))); d < 7.5 {
							t.Errorf("%s: class %d at brightness %.1f %v and class %d at %.1f %v are %.1f ΔE apart, want ≥ 7.5", th.Name, i, x, ca, j, y, cb, d)
						}
					}
				}
			}
		}
	}
}

// shadeRGBA returns class c at brightness b, opaque.
func shadeRGBA(th Theme, c int, b float64) color.RGBA {
	r, g, bl, _ := th.Shade(uint8(c), b, 1)
	return color.RGBA{uint8(math.Round(float64(r) * 255)), uint8(math.Round(float64(g) * 255)), uint8(math.Round(float64(bl) * 255)), 0xff}
}

func sq3(a, b [3]float64) float64 {
	return (a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2])
}

// visions simulates colour vision on linear RGB (Machado et al. 2009).
var visions = []struct {
	name string
	m    [3][3]float64
}{
	{"normal", [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}},
	{"protanope", [3][3]float64{{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}}},
	{"deuteranope", [3][3]float64{{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}}},
}

// deltaE returns the smallest CIE76 distance of a and b over visions, and
// the vision it is for.
func deltaE(a, b color.RGBA) (float64, string) {
	best, name := math.Inf(1), ""
	for _, v := range visions {
		la, lb := cielab(v.m, a), cielab(v.m, b)
		if d := math.Hypot(math.Hypot(la[0]-lb[0], la[1]-lb[1]), la[2]-lb[2]); d < best {
			best, name = d, v.name
		}
	}
	return best, name
}

// cielab returns the CIELAB coordinates (D65) of c seen through m.
func cielab(m [3][3]float64, c color.RGBA) [3]float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	rgb := [3]float64{lin(c.R), lin(c.G), lin(c.B)}
	var s [3]float64
	for i := range s {
		s[i] = min(max(m[i][0]*rgb[0]+m[i][1]*rgb[1]+m[i][2]*rgb[2], 0), 1)
	}
	xyz := [3]float64{
		(0.4124*s[0] + 0.3576*s[1] + 0.1805*s[2]) / 0.95047,
		0.2126*s[0] + 0.7152*s[1] + 0.0722*s[2],
		(0.0193*s[0] + 0.1192*s[1] + 0.9505*s[2]) / 1.08883,
	}
	for i, v := range xyz {
		if v > 0.008856 {
			xyz[i] = math.Cbrt(v)
		} else {
			xyz[i] = 7.787*v + 16.0/116
		}
	}
	return [3]float64{116*xyz[1] - 16, 500 * (xyz[0] - xyz[1]), 200 * (xyz[1] - xyz[2])}
}
