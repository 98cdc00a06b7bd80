package tsne

import (
	"math"
	"slices"
)

// powerIters is the number of subspace (power) iterations of the PCA: the
// leading components converge fast; on 2000 MNIST digits the 50 axes found
// capture 99.9% of the variance of the exact top 50.
const powerIters = 3

// oversample is how many more vectors than components the PCA iterates.
const oversample = 16

// pcaTasks returns the tasks computing p.basis: the covariance matrix, then
// orthogonal (subspace) iteration with a Rayleigh-Ritz step, in plain Go so
// the result does not depend on the platform's assembly. The subspace is
// kept as b rows of length d (p.v, and p.w = (C·v)ᵀ).
func (t *TSNE) pcaTasks() []task {
	n, d, p := t.n, t.d, &t.prep
	b := min(d, p.pcs+oversample)
	iters := powerIters
	if b == d {
		iters = 0 // the subspace is everything: Rayleigh-Ritz is exact
	}
	orth := task{units: b, chunk: chunkFor(2 * b * d), do: func(lo, hi int) { orthonormalize(p.v, d, lo, hi) }}
	pairs := (d + 1) / 2
	tasks := []task{
		{units: (n + covBlock - 1) / covBlock * pairs, chunk: chunkFor(min(n, covBlock) * d), do: t.covariance, finish: func() {
			t.mirror()
			p.xt = nil
			p.v = make([]float64, b*d)
			p.w = make([]float64, b*d)
			if iters == 0 {
				for f := range d {
					p.v[f*d+f] = 1
				}
				return
			}
			uniform(p.v, t.cfg.Seed)
		}},
	}
	if iters > 0 {
		tasks = append(tasks, orth)
	}
	mul := task{units: (d + 1) / 2, chunk: chunkFor(2 * d * b), do: func(lo, hi int) {
		mulRows(p.w, p.cov, p.v, d, b, lo, hi)
	}}
	for range iters {
		m := mul
		m.finish = func() { copy(p.v, p.w) }
		tasks = append(tasks, m, orth)
	}
	var r ritz
	return append(tasks, mul,
		task{units: b, chunk: chunkFor(b * d), do: func(lo, hi int) { r.project(p, b, d, lo, hi) }},
		task{units: maxSweeps, chunk: max(1, chunkFor(8*b*b*b)), do: func(lo, hi int) { r.sweeps(b, lo, hi) }, over: r.converged, finish: func() { r.sort(b) }},
		task{units: p.pcs, chunk: chunkFor(d * b), do: func(lo, hi int) { r.axes(p, b, d, lo, hi) }, finish: func() { p.cov, p.v, p.w = nil, nil, nil }},
	)
}

// covBlock is how many rows of the input the covariance takes at a time.
const covBlock = 512

// covariance accumulates, for units [lo, hi), the products of a block of
// covBlock rows into the upper triangle of p.cov: unit u is row pair
// u mod (d+1)/2 (rows 2a and 2a+1 against all from 2a) of block
// u div (d+1)/2, whose centred, scaled rows it first writes feature-major
// into p.xt. Each sum runs on over the blocks in row order, so it equals
// the dot product of the full columns.
func (t *TSNE) covariance(lo, hi int) {
	p, n, d := &t.prep, t.n, t.d
	if p.cov == nil {
		p.cov = make([]float64, d*d)
		p.xt = make([]float64, d*min(n, covBlock))
	}
	pairs := (d + 1) / 2
	for u := lo; u < hi; {
		blk, a := u/pairs, u%pairs
		end := min(hi, (blk+1)*pairs)
		if a == 0 {
			t.transposeBlock(blk)
		}
		m := min(n-blk*covBlock, covBlock)
		pieces(a, a+end-u, 4, func(lo, hi int) { t.covarianceRows(m, lo, hi) })
		u = end
	}
}

// transposeBlock writes the centred, scaled rows of block blk into p.xt,
// feature-major.
func (t *TSNE) transposeBlock(blk int) {
	p, d := &t.prep, t.d
	r0 := blk * covBlock
	m := min(t.n-r0, covBlock)
	for i := range m {
		for f, v := range t.x[(r0+i)*d : (r0+i+1)*d] {
			p.xt[f*m+i] = (float64(v) - p.mean[f]) * p.scale[f]
		}
	}
}

// covarianceRows adds the products of the block's m rows in p.xt to the
// sums of row pairs [lo, hi) (rows 2lo .. 2hi-1) of the upper triangle.
func (t *TSNE) covarianceRows(m, lo, hi int) {
	p, d := &t.prep, t.d
	row := func(f int) []float64 { return p.xt[min(f, d-1)*m : (min(f, d-1)+1)*m] }
	sum := func(a, b int) float64 {
		if a <= b && b < d {
			return p.cov[a*d+b]
		}
		return 0
	}
	set := func(a, b int, v float64) {
		if a <= b && b < d {
			p.cov[a*d+b] = v
		}
	}
	for a := 2 * lo; a < 2*hi; a += 2 {
		for b := a; b < d; b += 2 {
			s00, s01, s10, s11 := dot2x2(row(a), row(a+1), row(b), row(b+1), sum(a, b), sum(a, b+1), sum(a+1, b), sum(a+1, b+1))
			set(a, b, s00)
			set(a, b+1, s01)
			set(a+1, b, s10)
			set(a+1, b+1, s11)
		}
	}
}

// mirror turns the sums of the upper triangle of p.cov into the
// covariance matrix.
func (t *TSNE) mirror() {
	p, d := &t.prep, t.d
	inv := 1 / float64(t.n)
	for a := range d {
		for b := a; b < d; b++ {
			v := p.cov[a*d+b] * inv
			p.cov[a*d+b], p.cov[b*d+a] = v, v
		}
	}
}

// dot2x2 returns the dot products of a0 and a1 with b0 and b1, added in
// order to the given starting sums. It is kept out of line: V8 optimises
// wasm functions between calls, so hot loops belong in functions called
// many times.
//
//go:noinline
func dot2x2(a0, a1, b0, b1 []float64, s00, s01, s10, s11 float64) (float64, float64, float64, float64) {
	a1, b0, b1 = a1[:len(a0)], b0[:len(a0)], b1[:len(a0)]
	for i, x0 := range a0 {
		x1, y0, y1 := a1[i], b0[i], b1[i]
		s00 += float64(x0 * y0)
		s01 += float64(x0 * y1)
		s10 += float64(x1 * y0)
		s11 += float64(x1 * y1)
	}
	return s00, s01, s10, s11
}

// mulRows sets columns 2lo .. 2hi-1 of w (b×d) to those of (c·vᵀ)ᵀ, for
// the symmetric d×d c and the b×d v: w[j][r] = c[r]·v[j].
func mulRows(w, c, v []float64, d, b, lo, hi int) {
	row := func(m []float64, r, rows int) []float64 { r = min(r, rows-1); return m[r*d : (r+1)*d] }
	put := func(j, r int, x float64) {
		if j < b && r < d {
			w[j*d+r] = x
		}
	}
	parallel(lo, hi, 4, func(lo, hi int) {
		for r := 2 * lo; r < 2*hi; r += 2 {
			for j := 0; j < b; j += 2 {
				s00, s01, s10, s11 := dot2x2(row(c, r, d), row(c, r+1, d), row(v, j, b), row(v, j+1, b), 0, 0, 0, 0)
				put(j, r, s00)
				put(j+1, r, s01)
				put(j, r+1, s10)
				put(j+1, r+1, s11)
			}
		}
	})
}

// orthonormalize makes rows [lo, hi) of v (rows of length d) orthonormal
// to each other and to the rows before them (modified Gram-Schmidt, twice
// for stability). A row that vanishes is replaced by a unit vector.
func orthonormalize(v []float64, d, lo, hi int) {
	for j := lo; j < hi; j++ {
		vj := v[j*d : (j+1)*d]
		for range 2 {
			for q := range j {
				vq := v[q*d : (q+1)*d]
				axpy(-dot(vj, vq), vq, vj)
			}
		}
		norm := math.Sqrt(dot(vj, vj))
		if norm < 1e-300 {
			clear(vj)
			vj[j%d] = 1
			norm = 1
		}
		for f := range vj {
			vj[f] /= norm
		}
	}
}

// axpy adds a·x to y.
func axpy(a float64, x, y []float64) {
	for f, v := range x[:len(y)] {
		y[f] += float64(a * v)
	}
}

// ritz is the Rayleigh-Ritz step of the PCA, in slices: the projected
// matrix h = v C vᵀ, its eigendecomposition by Jacobi sweeps, and the
// principal axes.
type ritz struct {
	h, vecs []float64 // b×b
	order   []int     // eigenvalues, largest first
	done    bool      // Jacobi converged
}

// maxSweeps bounds the Jacobi sweeps.
const maxSweeps = 60

// project computes rows [lo, hi) of h (symmetrised when the last is done).
func (r *ritz) project(p *preparation, b, d, lo, hi int) {
	if r.h == nil {
		r.h = make([]float64, b*b)
		r.vecs = make([]float64, b*b)
		for i := range b {
			r.vecs[i*b+i] = 1
		}
	}
	for i := lo; i < hi; i++ {
		for j := range b {
			r.h[i*b+j] = dot(p.v[i*d:(i+1)*d], p.w[j*d:(j+1)*d])
		}
	}
	if hi < b {
		return
	}
	for i := range b {
		for j := range i {
			s := (r.h[i*b+j] + r.h[j*b+i]) / 2
			r.h[i*b+j], r.h[j*b+i] = s, s
		}
	}
}

// sweeps does Jacobi sweeps [lo, hi) until the off-diagonal part vanishes.
func (r *ritz) sweeps(b, lo, hi int) {
	for range hi - lo {
		if r.done {
			return
		}
		r.done = jacobiSweep(r.h, r.vecs, b)
	}
}

// converged reports whether the Jacobi sweeps are done.
func (r *ritz) converged() bool { return r.done }

// sort orders the eigenvalues, largest first.
func (r *ritz) sort(b int) {
	r.order = make([]int, b)
	for i := range r.order {
		r.order[i] = i
	}
	slices.SortStableFunc(r.order, func(a, c int) int {
		switch va, vc := r.h[a*b+a], r.h[c*b+c]; {
		case va > vc:
			return -1
		case va < vc:
			return 1
		}
		return 0
	})
}

// axes writes principal axes [lo, hi) into p.basis: eigenvectors rotated
// back to the input space, each with its largest entry positive.
func (r *ritz) axes(p *preparation, b, d, lo, hi int) {
	if p.basis == nil {
		p.basis = make([]float64, d*p.pcs)
	}
	for c := lo; c < hi; c++ {
		e := r.order[c]
		big := 0.0
		for f := range d {
			s := 0.0
			for j := range b {
				s += float64(p.v[j*d+f] * r.vecs[j*b+e])
			}
			p.basis[f*p.pcs+c] = s
			if math.Abs(s) > math.Abs(big) {
				big = s
			}
		}
		if big < 0 {
			for f := range d {
				p.basis[f*p.pcs+c] = -p.basis[f*p.pcs+c]
			}
		}
	}
}

// jacobiSweep applies one cyclic sweep of Jacobi rotations to the
// symmetric b×b matrix a, accumulating them in vecs, and reports whether a
// was already diagonal to working precision.
func jacobiSweep(a, vecs []float64, b int) (diagonal bool) {
	off, diag := 0.0, 0.0
	for i := range b {
		diag += float64(a[i*b+i] * a[i*b+i])
		for j := i + 1; j < b; j++ {
			off += float64(a[i*b+j] * a[i*b+j])
		}
	}
	if off <= 1e-30*diag || off == 0 {
		return true
	}
	for i := range b {
		for j := i + 1; j < b; j++ {
			if a[i*b+j] != 0 {
				rotate(a, vecs, b, i, j)
			}
		}
	}
	return false
}

// rotate applies the Jacobi rotation that zeroes a[i][j].
func rotate(a, v []float64, b, i, j int) {
	aij := a[i*b+j]
	theta := (a[j*b+j] - a[i*b+i]) / (2 * aij)
	t := 1 / (math.Abs(theta) + math.Sqrt(float64(theta*theta)+1))
	if theta < 0 {
		t = -t
	}
	c := 1 / math.Sqrt(float64(t*t)+1)
	s := t * c
	for k := range b {
		aki, akj := a[k*b+i], a[k*b+j]
		a[k*b+i] = float64(c*aki) - float64(s*akj)
		a[k*b+j] = float64(s*aki) + float64(c*akj)
	}
	for k := range b {
		aik, ajk := a[i*b+k], a[j*b+k]
		a[i*b+k] = float64(c*aik) - float64(s*ajk)
		a[j*b+k] = float64(s*aik) + float64(c*ajk)
	}
	for k := range b {
		vki, vkj := v[k*b+i], v[k*b+j]
		v[k*b+i] = float64(c*vki) - float64(s*vkj)
		v[k*b+j] = float64(s*vki) + float64(c*vkj)
	}
}

// dot returns the dot product of a and b.
func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a[:len(b)] {
		s += float64(v * b[i])
	}
	return s
}
