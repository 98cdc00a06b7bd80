package tsne

import (
	"fmt"
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

// spreadLayout returns n points in 10 Gaussian blobs around a circle, of
// about the given extent: the shape of a converged MNIST layout.
func spreadLayout(n int, ext float64) []float64 {
	r := rand.New(rand.NewPCG(uint64(n), 5))
	y := make([]float64, 2*n)
	for i := range n {
		a := 2 * math.Pi * float64(i%10) / 10
		y[2*i] = 0.35*ext*math.Cos(a) + 0.06*ext*r.NormFloat64()
		y[2*i+1] = 0.35*ext*math.Sin(a) + 0.06*ext*r.NormFloat64()
	}
	return y
}

// BenchmarkRepulsion times one evaluation of the repulsive forces of
// every point by Barnes-Hut (θ = 0.5) and by interpolation, on layouts of
// the extent converged MNIST layouts reach (150 at n = 5000, 200 at
// 10000, 280 at 20000), and on a compact one (extent 30, as during early
// exaggeration).
func BenchmarkRepulsion(b *testing.B) {
	for _, c := range []struct {
		n   int
		ext float64
	}{{5000, 30}, {5000, 150}, {10000, 30}, {10000, 200}, {20000, 30}, {20000, 280}} {
		y := spreadLayout(c.n, c.ext)
		rep, z := make([]float64, 2*c.n), make([]float64, c.n)
		b.Run(fmt.Sprintf("n=%d/extent=%g/barnes-hut", c.n, c.ext), func(b *testing.B) {
			var q quadtree
			for b.Loop() {
				q.build(y)
				parallel(0, c.n, 64, func(lo, hi int) {
					for k := lo; k < hi; k++ {
						i := q.idx[k]
						rep[2*i], rep[2*i+1], z[i] = q.repel(k, y[2*i], y[2*i+1], 0.25)
					}
				})
			}
		})
		b.Run(fmt.Sprintf("n=%d/extent=%g/interpolation", c.n, c.ext), func(b *testing.B) {
			var g interp
			for b.Loop() {
				g.repel(y, rep, z)
			}
		})
	}
}

func TestHybridSwitches(t *testing.T) {
	// Auto's choice for large n: interpolation while the layout is
	// compact, Barnes-Hut once it has spread; the classes still separate.
	const n = 1200
	x, labels := blobs(n, 30, 6, 8)
	r, err := New(x, n, 30, Config{Seed: 3, Iterations: 500})
	if err != nil {
		t.Fatal(err)
	}
	if r.cfg.hybrid {
		t.Fatal("hybrid chosen below hybridMin")
	}
	for !r.Prepared() {
		r.Step()
	}
	r.opt.hybrid = true
	y := r.Run().Positions(nil)
	grid := r.opt.gridIters
	t.Logf("interpolated %d of %d gradients", grid, r.Iteration())
	if grid == 0 || grid == r.Iteration() {
		t.Errorf("interpolated %d of %d gradients, want some but not all", grid, r.Iteration())
	}
	if hit := NeighborhoodHit(y, labels, 6); hit < 0.95 {
		t.Errorf("neighbourhood hit %.3f, want >= 0.95", hit)
	}
	big, err := New(make([]float32, hybridMin), hybridMin, 1, Config{})
	if err != nil || !big.cfg.hybrid {
		t.Errorf("Auto at n = %d: hybrid %v, error %v; want hybrid", hybridMin, big != nil && big.cfg.hybrid, err)
	}
}

func TestTwiddles(t *testing.T) {
	for _, n := range []int{2, 4, 8, 64, 2048} {
		for k := range n / 2 {
			s, c := twiddle(k, n)
			ws, wc := math.Sincos(2 * math.Pi * float64(k) / float64(n))
			if math.Abs(s-ws) > 5e-16 || math.Abs(c-wc) > 5e-16 {
				t.Fatalf("n=%d k=%d: sin, cos = %v, %v; math.Sincos %v, %v", n, k, s, c, ws, wc)
			}
		}
	}
}
