package e2e

import (
	"image"
	"image/color"

	"annvis/core/app/palette"
)

// distinctColors counts the distinct RGB colours of img.
func distinctColors(img image.Image) int {
	seen := map[[3]uint32]bool{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			R, G, B, _ := img.At(x, y).RGBA()
			seen[[3]uint32{R >> 8, G >> 8, B >> 8}] = true
		}
	}
	return len(seen)
}

// classHues counts, for each of the ten digits' classes of palette.Classes,
// the pixels of img whose colour is that class's colour at some brightness
// from minBright to 1 (trails are drawn dimmer at early stages), within tol
// per channel.
func classHues(img image.Image) []int { return huesOf(img, 10) }

// huesOf is classHues for the first n classes of palette.Classes.
func huesOf(img image.Image, n int) []int {
	const minBright, tol = 0.3, 6.0
	counts := make([]int, n)
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c, ok := classAmong(img.At(x, y), minBright, tol, n); ok {
				counts[c]++
			}
		}
	}
	return counts
}

// countHues counts the classes with at least minPixels pixels.
func countHues(counts []int) int {
	n := 0
	for _, c := range counts {
		if c >= minPixels {
			n++
		}
	}
	return n
}

// classOf returns the digit class whose colour, scaled by the best
// brightness in [minBright, 1], is nearest to px, if it is within tol on
// every channel.
func classOf(px color.Color, minBright, tol float64) (int, bool) {
	return classAmong(px, minBright, tol, 10)
}

// classAmong is classOf among the first n classes of palette.Classes.
func classAmong(px color.Color, minBright, tol float64, n int) (int, bool) {
	R, G, B, _ := px.RGBA()
	p := [3]float64{float64(R >> 8), float64(G >> 8), float64(B >> 8)}
	best, bestErr := -1, tol
	for c, col := range palette.Classes[:n] {
		k := [3]float64{float64(col.R), float64(col.G), float64(col.B)}
		b := (p[0]*k[0] + p[1]*k[1] + p[2]*k[2]) / (k[0]*k[0] + k[1]*k[1] + k[2]*k[2])
		if b < minBright || b > 1.02 {
			continue
		}
		worst := 0.0
		for i := range p {
			worst = max(worst, abs(p[i]-b*k[i]))
		}
		if worst <= bestErr {
			best, bestErr = c, worst
		}
	}
	return best, best >= 0
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
