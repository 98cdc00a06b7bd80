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
		p.sin[k], p.cos[k] = twiddle(k, n)
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

// twiddle returns sin and cos of 2πk/n for 0 ≤ k < n/2, n a multiple of
// 8, from series on [0, π/4] and symmetries: math.Sincos may fuse
// multiply-adds on some builds (GOAMD64=v3), these never do.
func twiddle(k, n int) (sin, cos float64) {
	angle := func(j int) float64 { return 2 * math.Pi * float64(j) / float64(n) }
	switch {
	case n < 8:
		return math.Sincos(angle(k)) // 0, π/2 and π: exact everywhere
	case 8*k <= n:
		return sincos(angle(k))
	case 4*k <= n:
		c, s := sincos(angle(n/4 - k))
		return s, c
	}
	s, c := twiddle(n/2-k, n) // k < n/2: the first quadrant
	return s, -c
}

// sincos returns sin x and cos x for 0 ≤ x ≤ π/4 by their Taylor series,
// to within a few ulps.
func sincos(x float64) (sin, cos float64) {
	x2 := float64(x * x)
	ts, tc := x, 1.0
	sin, cos = x, 1
	for k := 1; k <= 12; k++ {
		ts = float64(-ts*x2) / float64((2*k)*(2*k+1))
		tc = float64(-tc*x2) / float64((2*k-1)*(2*k))
		sin += ts
		cos += tc
	}
	return sin, cos
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
