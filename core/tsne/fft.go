package tsne

import "math"

// fftPlan is an in-place radix-2 complex FFT of one power-of-two size, in
// plain Go with products kept unfused, so every platform rounds alike.
type fftPlan struct {
	n        int
	cos, sin []float64 // cos and sin of 2πk/n, k < n/2
	rev      []int32   // bit-reversal permutation
}

// newFFT returns the plan for size n, a power of two ≥ 2.
func newFFT(n int) *fftPlan {
	p := &fftPlan{n: n, cos: make([]float64, n/2), sin: make([]float64, n/2), rev: make([]int32, n)}
	for k := range n / 2 {
		p.sin[k], p.cos[k] = math.Sincos(2 * math.Pi * float64(k) / float64(n))
	}
	bits := 0
	for 1<<bits < n {
		bits++
	}
	for i := range n {
		r := 0
		for b := range bits {
			r |= (i >> b & 1) << (bits - 1 - b)
		}
		p.rev[i] = int32(r)
	}
	return p
}

// transform replaces (re, im) by its discrete Fourier transform,
// Σ_j x_j e^(∓2πi jk/n) (minus forward, plus inverse; unscaled).
func (p *fftPlan) transform(re, im []float64, inverse bool) {
	n := p.n
	re, im = re[:n], im[:n]
	for i, j := range p.rev {
		if i < int(j) {
			re[i], re[j] = re[j], re[i]
			im[i], im[j] = im[j], im[i]
		}
	}
	sign := -1.0
	if inverse {
		sign = 1
	}
	for size := 2; size <= n; size <<= 1 {
		half, step := size/2, n/size
		for k := range half {
			c, s := p.cos[k*step], sign*p.sin[k*step]
			for a := k; a < n; a += size {
				b := a + half
				xr, xi := re[b], im[b]
				tr := float64(c*xr) - float64(s*xi)
				ti := float64(c*xi) + float64(s*xr)
				re[b], im[b] = re[a]-tr, im[a]-ti
				re[a] += tr
				im[a] += ti
			}
		}
	}
}

// fft2 transforms the l×l row-major complex grid (re, im) in place: the
// rows [0, rows) (the others must be zero when forward), then every
// column. The inverse transforms every column, then the rows [0, rows),
// leaving the other rows partly transformed.
func (p *fftPlan) fft2(re, im []float64, rows int, inverse bool) {
	l := p.n
	doRows := func() {
		parallel(0, rows, 8, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				p.transform(re[r*l:(r+1)*l], im[r*l:(r+1)*l], inverse)
			}
		})
	}
	if !inverse {
		doRows()
	}
	parallel(0, l, 8, func(lo, hi int) {
		cr, ci := make([]float64, l), make([]float64, l)
		for c := lo; c < hi; c++ {
			for r := range l {
				cr[r], ci[r] = re[r*l+c], im[r*l+c]
			}
			p.transform(cr, ci, inverse)
			for r := range l {
				re[r*l+c], im[r*l+c] = cr[r], ci[r]
			}
		}
	})
	if inverse {
		doRows()
	}
}
