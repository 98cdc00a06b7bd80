package neurons

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// classical computes classical (Torgerson) MDS, the start of SMACOF, in
// steps: the top eigenvectors of the double-centred matrix B = −½JΔ²J by
// orthogonal (subspace) iteration, then Rayleigh-Ritz. It gives what gonum's
// stat/mds.TorgersonScaling gives for the first two axes (the tests check
// it) without a full O(d³) eigendecomposition in one piece.
type classical struct {
	d, k  int
	b     []float64 // d×d row-major B
	q, z  []float64 // k columns of length d: the subspace, and B times it
	prev  []float64 // the previous Rayleigh quotients
	iters int
	rng   *rand.Rand
}

// Subspace iteration parameters: the subspace is wider than the two axes
// wanted so that it converges at the rate |λ₇/λ₂|; the tolerance is on the
// Rayleigh quotients of the two leading columns.
const (
	subspace       = 6
	classicalIters = 500
	classicalTol   = 1e-14
)

func newClassical(dis []float64, d int, seed int64) *classical {
	c := &classical{d: d, k: min(subspace, d), b: make([]float64, d*d),
		rng: rand.New(rand.NewPCG(uint64(seed), 0x6d6473))}
	rows := make([]float64, d)
	all := 0.0
	for i := range d {
		for j := range d {
			v := dis[i*d+j] * dis[i*d+j]
			c.b[i*d+j] = v
			rows[i] += v / float64(d)
		}
		all += rows[i] / float64(d)
	}
	for i := range d {
		for j := range d {
			c.b[i*d+j] = -0.5 * (c.b[i*d+j] - rows[i] - rows[j] + all)
		}
	}
	c.q = make([]float64, c.k*d)
	c.z = make([]float64, c.k*d)
	c.prev = make([]float64, c.k)
	for i := range c.q {
		c.q[i] = c.rng.NormFloat64()
	}
	orthonormalise(c.q, c.k, d)
	return c
}

// ops estimates the work of one iterate call.
func (c *classical) ops() float64 { return float64(c.k) * float64(c.d) * float64(c.d) }

// iterate replaces the subspace by B times it, orthonormalised, and reports
// whether the two leading Rayleigh quotients settled (or the iterations ran
// out).
func (c *classical) iterate() bool {
	c.multiply()
	done := c.iters > 0
	for a := range c.k {
		r := dot(c.q[a*c.d:(a+1)*c.d], c.z[a*c.d:(a+1)*c.d])
		if a < 2 && math.Abs(r-c.prev[a]) > classicalTol*math.Abs(r) {
			done = false
		}
		c.prev[a] = r
	}
	c.q, c.z = c.z, c.q
	orthonormalise(c.q, c.k, c.d)
	c.iters++
	return done || c.iters >= classicalIters
}

// multiply sets z = B·q, column by column.
func (c *classical) multiply() {
	d := c.d
	for a := range c.k {
		qa, za := c.q[a*d:(a+1)*d], c.z[a*d:(a+1)*d]
		for i := range d {
			za[i] = dot(c.b[i*d:(i+1)*d], qa)
		}
	}
}

// positions returns the classical MDS layout, x0, y0, x1, …: the Ritz
// vectors of the two largest positive Ritz values λ, scaled by √λ (an axis
// without a positive value stays at 0).
func (c *classical) positions() []float64 {
	c.multiply()
	h := mat.NewSymDense(c.k, nil)
	for a := range c.k {
		for e := a; e < c.k; e++ {
			h.SetSym(a, e, dot(c.q[a*c.d:(a+1)*c.d], c.z[e*c.d:(e+1)*c.d]))
		}
	}
	var eig mat.EigenSym
	pos := make([]float64, 2*c.d)
	if !eig.Factorize(h, true) {
		return pos
	}
	vals := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	for axis := range 2 {
		col := c.k - 1 - axis
		if vals[col] <= 0 {
			continue
		}
		s := math.Sqrt(vals[col])
		for a := range c.k {
			w := s * vecs.At(a, col)
			for i := range c.d {
				pos[2*i+axis] += w * c.q[a*c.d+i]
			}
		}
	}
	return pos
}

// orthonormalise makes the k columns of length d in q orthonormal by
// modified Gram-Schmidt, run twice ("twice is enough") because columns
// from a rank-deficient B are rounding noise that one pass leaves far from
// orthogonal; a column that vanishes is left at zero.
func orthonormalise(q []float64, k, d int) {
	for a := range k {
		qa := q[a*d : (a+1)*d]
		for range 2 {
			for e := range a {
				qe := q[e*d : (e+1)*d]
				r := dot(qa, qe)
				for i := range qa {
					qa[i] -= r * qe[i]
				}
			}
			if n := math.Sqrt(dot(qa, qa)); n > 0 {
				for i := range qa {
					qa[i] /= n
				}
			}
		}
	}
}
