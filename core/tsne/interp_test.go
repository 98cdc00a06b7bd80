package tsne

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestFFTMatchesDFT(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{2, 8, 64} {
		re, im := make([]float64, n), make([]float64, n)
		for i := range re {
			re[i], im[i] = r.NormFloat64(), r.NormFloat64()
		}
		for _, inverse := range []bool{false, true} {
			gr, gi := slices.Clone(re), slices.Clone(im)
			newFFT(n).transform(gr, gi, inverse)
			sign := -1.0
			if inverse {
				sign = 1
			}
			for k := range n {
				var sr, si float64
				for j := range n {
					s, c := math.Sincos(sign * 2 * math.Pi * float64(j*k) / float64(n))
					sr += re[j]*c - im[j]*s
					si += re[j]*s + im[j]*c
				}
				if math.Abs(sr-gr[k])+math.Abs(si-gi[k]) > 1e-9*float64(n) {
					t.Fatalf("n=%d inverse=%v k=%d: FFT %v%+vi, DFT %v%+vi", n, inverse, k, gr[k], gi[k], sr, si)
				}
			}
		}
	}
}

func TestInterpolationMatchesExact(t *testing.T) {
	// Stated tolerance: the interpolated repulsive gradient's L2 error
	// relative to the exact one stays below 1.5% (Barnes-Hut's at θ = 0.5)
	// on a compact (early) and a spread (late) layout, and Z agrees within
	// 0.1%.
	for _, iters := range []int{10, 400} {
		r := prepared(t, 800, iters, Config{Gradient: Interpolation})
		o := &r.opt
		o.gradient()
		o.combine()
		got, z := slices.Clone(o.grad), o.lastZ
		o.interpolate, o.exact = false, true
		o.gradient()
		o.combine()
		diff, norm := 0.0, 0.0
		for i, g := range o.grad {
			diff += sq(got[i] - g)
			norm += sq(4 * o.rep[i] / o.lastZ)
		}
		lo, side := extent(o.y)
		t.Logf("after %d iterations: extent %.1f from %.1f, FFT size %d", iters, side, lo, o.grid.lastSize)
		rel := math.Sqrt(diff / norm)
		t.Logf("after %d iterations: relative gradient error %.2g, of Z %.2g", iters, rel, math.Abs(z/o.lastZ-1))
		if !(rel < 0.015) {
			t.Errorf("after %d iterations: relative gradient error %.2g, want < 0.015", iters, rel)
		}
		if rel := math.Abs(z/o.lastZ - 1); !(rel < 0.001) {
			t.Errorf("after %d iterations: relative error of Z %.2g, want < 0.001", iters, rel)
		}
	}
}
