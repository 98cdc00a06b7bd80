package tsne

import (
	"math"
	"slices"
)

// powerIters is the number of subspace (power) iterations of the PCA; the
// leading components converge fast, the trailing ones well enough for
// neighbour search.
const powerIters = 6

// oversample is how many more vectors than components the PCA iterates.
const oversample = 16

// pcaTasks returns the tasks computing p.basis: the covariance matrix, then
// orthogonal (subspace) iteration with a Rayleigh-Ritz step, in plain Go so
// the result does not depend on the platform's assembly.
func (t *TSNE) pcaTasks() []task {
	n, d, p := t.n, t.d, &t.prep
	b := min(d, p.pcs+oversample)
	iters := powerIters
	if b == d {
		iters = 0 // the subspace is everything: Rayleigh-Ritz is exact
	}
	tasks := []task{
		{units: n, chunk: chunkFor(d), do: t.transpose},
		{units: (d + 1) / 2, chunk: chunkFor(n * d), do: t.covariance, finish: func() {
			p.xt = nil
			p.v = make([]float64, d*b)
			p.w = make([]float64, d*b)
			if iters == 0 {
				for f := range d {
					p.v[f*b+f] = 1
				}
				return
			}
			uniform(p.v, t.cfg.Seed)
			orthonormalize(p.v, d, b)
		}},
	}
	for it := 0; it <= iters; it++ {
		finish := func() {
			copy(p.v, p.w)
			orthonormalize(p.v, d, b)
		}
		if it == iters {
			finish = func() { t.rayleighRitz(b) }
		}
		tasks = append(tasks, task{units: d, chunk: chunkFor(d * b), do: func(lo, hi int) {
			mulRows(p.w, p.cov, p.v, d, b, lo, hi)
		}, finish: finish})
	}
	return tasks
}

// transpose writes rows [lo, hi) of the centred, scaled input into the
// feature-major p.xt.
func (t *TSNE) transpose(lo, hi int) {
	p, n, d := &t.prep, t.n, t.d
	if p.xt == nil {
		p.xt = make([]float64, d*n)
	}
	for i := lo; i < hi; i++ {
		for f, v := range t.x[i*d : (i+1)*d] {
			p.xt[f*n+i] = (float64(v) - p.mean[f]) * p.scale[f]
		}
	}
}

// covariance computes the row pairs [lo, hi) (rows 2lo .. 2hi-1) of the
// upper triangle of the covariance matrix and mirrors them.
func (t *TSNE) covariance(lo, hi int) {
	p, n, d := &t.prep, t.n, t.d
	if p.cov == nil {
		p.cov = make([]float64, d*d)
	}
	inv := 1 / float64(n)
	row := func(f int) []float64 { return p.xt[min(f, d-1)*n : (min(f, d-1)+1)*n] }
	set := func(a, b int, v float64) {
		if a < d && b < d {
			p.cov[a*d+b], p.cov[b*d+a] = v*inv, v*inv
		}
	}
	parallel(lo, hi, 1, func(lo, hi int) {
		for a := 2 * lo; a < 2*hi; a += 2 {
			for b := a; b < d; b += 2 {
				s00, s01, s10, s11 := dot2x2(row(a), row(a+1), row(b), row(b+1))
				set(a, b, s00)
				set(a, b+1, s01)
				set(a+1, b, s10)
				set(a+1, b+1, s11)
			}
		}
	})
}

// dot2x2 returns the dot products of a0 and a1 with b0 and b1.
func dot2x2(a0, a1, b0, b1 []float64) (s00, s01, s10, s11 float64) {
	a1, b0, b1 = a1[:len(a0)], b0[:len(a0)], b1[:len(a0)]
	for i, x0 := range a0 {
		x1, y0, y1 := a1[i], b0[i], b1[i]
		s00 += x0 * y0
		s01 += x0 * y1
		s10 += x1 * y0
		s11 += x1 * y1
	}
	return s00, s01, s10, s11
}

// mulRows sets rows [lo, hi) of w (d×b) to those of c·v, c d×d, v d×b.
func mulRows(w, c, v []float64, d, b, lo, hi int) {
	parallel(lo, hi, 8, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			wr := w[r*b : (r+1)*b]
			clear(wr)
			for f, cf := range c[r*d : (r+1)*d] {
				if cf == 0 {
					continue
				}
				for j, vf := range v[f*b : (f+1)*b] {
					wr[j] += cf * vf
				}
			}
		}
	})
}

// orthonormalize makes the b columns of the row-major d×b matrix v
// orthonormal (modified Gram-Schmidt, twice for stability). A column that
// vanishes is replaced by a unit vector.
func orthonormalize(v []float64, d, b int) {
	col := make([]float64, d)
	for j := range b {
		for f := range d {
			col[f] = v[f*b+j]
		}
		for range 2 {
			for q := range j {
				s := 0.0
				for f := range d {
					s += col[f] * v[f*b+q]
				}
				for f := range d {
					col[f] -= s * v[f*b+q]
				}
			}
		}
		norm := math.Sqrt(dot(col, col))
		if norm < 1e-300 {
			clear(col)
			col[j%d] = 1
			norm = 1
		}
		for f := range d {
			v[f*b+j] = col[f] / norm
		}
	}
}

// rayleighRitz turns the orthonormal subspace p.v (with p.w = C·p.v) into
// principal axes: the eigenvectors of vᵀCv, rotated back and sorted by
// eigenvalue, each with its largest entry positive.
func (t *TSNE) rayleighRitz(b int) {
	p, d := &t.prep, t.d
	h := make([]float64, b*b)
	for i := range b {
		for j := range b {
			s := 0.0
			for f := range d {
				s += p.v[f*b+i] * p.w[f*b+j]
			}
			h[i*b+j] = s
		}
	}
	for i := range b {
		for j := range i {
			s := (h[i*b+j] + h[j*b+i]) / 2
			h[i*b+j], h[j*b+i] = s, s
		}
	}
	vals, vecs := jacobiEigen(h, b)
	order := make([]int, b)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, c int) int {
		switch {
		case vals[a] > vals[c]:
			return -1
		case vals[a] < vals[c]:
			return 1
		}
		return 0
	})
	p.basis = make([]float64, d*p.pcs)
	for c := range p.pcs {
		e := order[c]
		big := 0.0
		for f := range d {
			s := 0.0
			for j := range b {
				s += p.v[f*b+j] * vecs[j*b+e]
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
	p.cov = nil
}

// jacobiEigen returns the eigenvalues and eigenvectors (columns of the
// row-major b×b result) of the symmetric b×b matrix a, which it destroys,
// by cyclic Jacobi rotations.
func jacobiEigen(a []float64, b int) (vals, vecs []float64) {
	vecs = make([]float64, b*b)
	for i := range b {
		vecs[i*b+i] = 1
	}
	for sweep := 0; sweep < 100; sweep++ {
		off, diag := 0.0, 0.0
		for i := range b {
			diag += a[i*b+i] * a[i*b+i]
			for j := i + 1; j < b; j++ {
				off += a[i*b+j] * a[i*b+j]
			}
		}
		if off <= 1e-30*diag || off == 0 {
			break
		}
		for i := range b {
			for j := i + 1; j < b; j++ {
				if a[i*b+j] != 0 {
					rotate(a, vecs, b, i, j)
				}
			}
		}
	}
	vals = make([]float64, b)
	for i := range b {
		vals[i] = a[i*b+i]
	}
	return vals, vecs
}

// rotate applies the Jacobi rotation that zeroes a[i][j].
func rotate(a, v []float64, b, i, j int) {
	aij := a[i*b+j]
	theta := (a[j*b+j] - a[i*b+i]) / (2 * aij)
	t := 1 / (math.Abs(theta) + math.Sqrt(theta*theta+1))
	if theta < 0 {
		t = -t
	}
	c := 1 / math.Sqrt(t*t+1)
	s := t * c
	for k := range b {
		aki, akj := a[k*b+i], a[k*b+j]
		a[k*b+i] = c*aki - s*akj
		a[k*b+j] = s*aki + c*akj
	}
	for k := range b {
		aik, ajk := a[i*b+k], a[j*b+k]
		a[i*b+k] = c*aik - s*ajk
		a[j*b+k] = s*aik + c*ajk
	}
	for k := range b {
		vki, vkj := v[k*b+i], v[k*b+j]
		v[k*b+i] = c*vki - s*vkj
		v[k*b+j] = s*vki + c*vkj
	}
}

// dot returns the dot product of a and b.
func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a[:len(b)] {
		s += v * b[i]
	}
	return s
}
