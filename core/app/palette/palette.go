// Package palette holds the colours of annvis: one hue per class (the ten
// digits, or up to twenty classes of a user's data set) and a sequential
// colour map for scalar values. Package theme builds the
// dark and light themes, and the brightness ramp of the stages, on them.
package palette

import (
	"cmp"
	"image/color"
	"math"
	"slices"
)

// Background is the canvas colour; the class hues are chosen to stand out on it.
var Background = color.RGBA{0x16, 0x18, 0x1d, 0xff}

// Classes maps a class to its hue. The ten digits take the Okabe–Ito
// colour-blind-safe set (its seven hues and, in place of black, which
// vanishes on the dark canvas, a light grey), extended with Paul Tol's rose
// and a violet so that all ten classes differ in hue or lightness for the
// common colour-vision deficiencies. A user's data set may have up to
// twenty classes; no twenty hues stay apart for every reader, so classes
// 10–19 were picked one by one, each from Paul Tol's muted, light, bright
// and vibrant sets, Kelly's 22 colours, Tableau 20 and lighter or darker
// versions of the first ten, as the candidate farthest from every class
// before it: in CIELAB ΔE, the smaller of its distance under normal,
// protanope and deuteranope vision (Machado et al. 2009) and, for normal
// vision, of the distance between the two classes at any trail brightness
// (theme.Theme.Brightness: a darker class must not pass for an earlier
// stage of another). The classes stay at least 7.5 ΔE apart, where the
// first ten are at least 13 apart. Legends and hover cards carry the class
// names too.
var Classes = [20]color.RGBA{
	{0xe6, 0x9f, 0x00, 0xff}, // 0 orange
	{0x56, 0xb4, 0xe9, 0xff}, // 1 sky blue
	{0x00, 0x9e, 0x73, 0xff}, // 2 bluish green
	{0xf0, 0xe4, 0x42, 0xff}, // 3 yellow
	{0x00, 0x72, 0xb2, 0xff}, // 4 blue
	{0xd5, 0x5e, 0x00, 0xff}, // 5 vermillion
	{0xcc, 0x79, 0xa7, 0xff}, // 6 reddish purple
	{0xbb, 0xbb, 0xbb, 0xff}, // 7 light grey
	{0xee, 0x66, 0x77, 0xff}, // 8 rose
	{0x99, 0x77, 0xff, 0xff}, // 9 violet
	{0xff, 0xbb, 0x78, 0xff}, // 10 light orange (Tableau 20)
	{0xfa, 0xf6, 0xbd, 0xff}, // 11 cream (3 lighter)
	{0xdb, 0xcf, 0xff, 0xff}, // 12 lavender (9 lighter)
	{0x11, 0x77, 0x33, 0xff}, // 13 green (Tol muted)
	{0x17, 0xbe, 0xcf, 0xff}, // 14 cyan (Tableau 20)
	{0x5e, 0x5e, 0x5e, 0xff}, // 15 dark grey (7 darker)
	{0x87, 0x56, 0x92, 0xff}, // 16 purple (Kelly)
	{0xee, 0x77, 0x33, 0xff}, // 17 orange (Tol vibrant)
	{0xbb, 0xcc, 0x33, 0xff}, // 18 pear (Tol light)
	{0x44, 0xbb, 0x99, 0xff}, // 19 mint (Tol light)
}

// viridis holds the viridis colour map at 9 evenly spaced points.
var viridis = [...]color.RGBA{
	{0x44, 0x01, 0x54, 0xff}, {0x48, 0x28, 0x78, 0xff}, {0x3e, 0x4a, 0x89, 0xff},
	{0x31, 0x68, 0x8e, 0xff}, {0x26, 0x82, 0x8e, 0xff}, {0x1f, 0x9e, 0x89, 0xff},
	{0x35, 0xb7, 0x79, 0xff}, {0x6d, 0xcd, 0x59, 0xff}, {0xfd, 0xe7, 0x25, 0xff},
}

// Sequential maps v in 0..1 (clamped; NaN as 0) to the viridis colour map,
// perceptually uniform and readable with colour-vision deficiencies.
func Sequential(v float64) color.RGBA {
	if !(v > 0) {
		v = 0
	}
	v = math.Min(v, 1) * float64(len(viridis)-1)
	i := min(int(v), len(viridis)-2)
	f := v - float64(i)
	a, b := viridis[i], viridis[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-f) + float64(y)*f)) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

// Ranks writes into dst (grown to len(v)) each value's rank among v scaled
// to 0..1: 0 for the smallest, 1 for the largest, ties sharing their mean
// rank, a single value at 0.5. Coloured by Sequential, ranks spread skewed
// values such as neuron importances, most near zero and a few large, over
// the whole colour map, so that their order shows where a linear scale
// shows one colour.
func Ranks(dst, v []float64) []float64 {
	dst = slices.Grow(dst[:0], len(v))[:len(v)]
	if len(v) == 1 {
		dst[0] = 0.5
		return dst
	}
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(v[a], v[b]) })
	for lo := 0; lo < len(idx); {
		hi := lo + 1
		for hi < len(idx) && v[idx[hi]] == v[idx[lo]] {
			hi++
		}
		r := float64(lo+hi-1) / 2 / float64(len(v)-1)
		for _, i := range idx[lo:hi] {
			dst[i] = r
		}
		lo = hi
	}
	return dst
}

// Quantile returns the value of v below which a fraction q (0..1) of v
// lies, interpolating between the sorted values: the tick labels of a rank
// colour scale. v must not be empty; it is not changed.
func Quantile(v []float64, q float64) float64 {
	s := slices.Sorted(slices.Values(v))
	x := max(0, min(q, 1)) * float64(len(s)-1)
	i := min(int(x), len(s)-1)
	if i+1 == len(s) {
		return s[i]
	}
	return s[i] + (x-float64(i))*(s[i+1]-s[i])
}
