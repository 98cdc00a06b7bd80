package neurons

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// MDSConfig sets up Project. The zero value works.
type MDSConfig struct {
	Iterations int     // SMACOF iterations at most; 0 → 300
	Tolerance  float64 // stop when stress falls by less than this fraction; 0 → 1e-6
	Seed       int64   // seeds the start of the subspace iteration and a tiny jitter
}

// Projection is a 2-D layout of d points.
type Projection struct {
	// Pos holds the positions interleaved: x0, y0, x1, y1, ….
	Pos []float64
	// Stress is the raw stress Σ_{i<j} (δij − ‖pi − pj‖)² of the start
	// (Stress[0]) and after each SMACOF iteration; it never increases.
	// Nil for ProjectTSNE.
	Stress []float64
	// KL is the final Kullback-Leibler divergence of ProjectTSNE; 0 for MDS.
	KL float64
}

// Project places d points in the plane so that their distances match the
// d×d row-major dissimilarities dis, by metric MDS: classical (Torgerson)
// scaling gives the start (computed by subspace iteration, equal to gonum's
// stat/mds.TorgersonScaling on its two axes), then SMACOF (Guttman
// transforms) minimises the stress. The layout is centred, with deterministic axis signs.
func Project(dis []float64, d int, cfg MDSConfig) (*Projection, error) {
	if err := checkDissimilarities(dis, d); err != nil {
		return nil, err
	}
	m, err := newSmacof(d, cfg)
	if err != nil {
		return nil, err
	}
	m.begin(dis)
	for !m.step() {
	}
	return m.projection(), nil
}

// smacof runs Project in steps: begin, then step until it reports done
// (the classical MDS start, then SMACOF).
type smacof struct {
	dis             []float64
	d               int
	cfg             MDSConfig
	cl              *classical
	pos, next, dist []float64 // dist holds the ratios of distances()
	stress          []float64
}

// newSmacof checks cfg and applies its defaults.
func newSmacof(d int, cfg MDSConfig) (*smacof, error) {
	if cfg.Iterations < 0 || cfg.Tolerance < 0 || math.IsNaN(cfg.Tolerance) {
		return nil, fmt.Errorf("neurons: MDS iterations %d and tolerance %g must be ≥ 0", cfg.Iterations, cfg.Tolerance)
	}
	if cfg.Iterations == 0 {
		cfg.Iterations = 300
	}
	if cfg.Tolerance == 0 {
		cfg.Tolerance = 1e-6
	}
	return &smacof{d: d, cfg: cfg}, nil
}

// begin sets up the classical MDS start of the dissimilarities dis.
func (m *smacof) begin(dis []float64) {
	m.dis = dis
	m.cl = newClassical(dis, m.d, m.cfg.Seed)
}

// step makes one iteration of the classical start or of SMACOF and reports
// whether SMACOF is done.
func (m *smacof) step() bool {
	if m.cl != nil {
		m.startStep()
		return false
	}
	return m.iterate()
}

// ops estimates the work of the next step.
func (m *smacof) ops() float64 {
	if m.cl != nil {
		return m.cl.ops()
	}
	return 4 * float64(m.d) * float64(m.d)
}

// bound bounds the work of all steps.
func (m *smacof) bound() float64 {
	k := float64(min(subspace, m.d))
	return (classicalIters*k + 4*float64(m.cfg.Iterations)) * float64(m.d) * float64(m.d)
}

// startStep advances the classical MDS start; once it converged, it sets
// the start layout (jittered) and its stress and reports true.
func (m *smacof) startStep() bool {
	if !m.cl.iterate() {
		return false
	}
	m.pos = m.cl.positions()
	jitter(m.pos, m.dis, m.cl.rng)
	m.cl = nil
	m.dist = make([]float64, m.d*m.d)
	m.next = make([]float64, 2*m.d)
	m.stress = append(m.stress, distances(m.pos, m.dis, m.d, m.dist))
	return true
}

// iterate makes one Guttman transform and reports whether SMACOF is done:
// out of iterations, or the stress fell by less than the tolerance.
func (m *smacof) iterate() bool {
	if len(m.stress) > m.cfg.Iterations {
		return true
	}
	guttman(m.pos, m.dist, m.d, m.next)
	m.pos, m.next = m.next, m.pos
	s := distances(m.pos, m.dis, m.d, m.dist)
	prev := m.stress[len(m.stress)-1]
	m.stress = append(m.stress, s)
	return len(m.stress) > m.cfg.Iterations || prev-s <= m.cfg.Tolerance*prev
}

// projection returns the current layout, centred and oriented.
func (m *smacof) projection() *Projection {
	pos := append([]float64(nil), m.pos...)
	orient(pos)
	return &Projection{Pos: pos, Stress: append([]float64(nil), m.stress...)}
}

// jitter adds a seeded noise of 1e-6 of the mean dissimilarity to pos so
// that SMACOF can pull apart points the start puts on top of each other.
func jitter(pos, dis []float64, r *rand.Rand) {
	mean := 0.0
	for _, v := range dis {
		mean += v
	}
	mean /= float64(len(dis))
	for i := range pos {
		pos[i] += 1e-6 * mean * r.NormFloat64()
	}
}

// distances fills ratio with δij/‖pi − pj‖ for every pair of points of pos
// (0 for coincident points) and returns the raw stress against dis.
func distances(pos, dis []float64, d int, ratio []float64) float64 {
	s := 0.0
	for i := range d {
		xi, yi := pos[2*i], pos[2*i+1]
		row := dis[i*d : (i+1)*d]
		for j := i + 1; j < d; j++ {
			dx, dy := xi-pos[2*j], yi-pos[2*j+1]
			e := math.Sqrt(dx*dx + dy*dy)
			q := 0.0
			if e > 0 {
				q = row[j] / e
			}
			ratio[i*d+j], ratio[j*d+i] = q, q
			r := row[j] - e
			s += r * r
		}
	}
	return s
}

// guttman writes the Guttman transform B(X)·X/d of pos into next, given
// the ratios of distances.
func guttman(pos, ratio []float64, d int, next []float64) {
	for i := range d {
		var bx, by, bii float64
		row := ratio[i*d : (i+1)*d]
		for j, q := range row {
			bx += q * pos[2*j]
			by += q * pos[2*j+1]
			bii += q
		}
		// The diagonal ratio is 0, so row i adds nothing for j = i.
		next[2*i] = (bii*pos[2*i] - bx) / float64(d)
		next[2*i+1] = (bii*pos[2*i+1] - by) / float64(d)
	}
}

// orient centres pos and flips each axis so that the point farthest along
// it lies on the positive side, making layouts comparable across runs.
func orient(pos []float64) {
	d := len(pos) / 2
	for a := range 2 {
		mean := 0.0
		for i := range d {
			mean += pos[2*i+a]
		}
		mean /= float64(d)
		far := 0.0
		for i := range d {
			pos[2*i+a] -= mean
			if math.Abs(pos[2*i+a]) > math.Abs(far) {
				far = pos[2*i+a]
			}
		}
		if far < 0 {
			for i := range d {
				pos[2*i+a] = -pos[2*i+a]
			}
		}
	}
}

// checkDissimilarities validates a d×d dissimilarity matrix: finite,
// non-negative, symmetric, zero diagonal.
func checkDissimilarities(dis []float64, d int) error {
	if d < 2 {
		return fmt.Errorf("neurons: %d points; need at least 2", d)
	}
	if len(dis) != d*d {
		return fmt.Errorf("neurons: dissimilarity matrix has %d values, want %d×%d = %d", len(dis), d, d, d*d)
	}
	for i := range d {
		if dis[i*d+i] != 0 {
			return fmt.Errorf("neurons: dissimilarity (%d,%d) = %g on the diagonal must be 0", i, i, dis[i*d+i])
		}
		for j := i + 1; j < d; j++ {
			v := dis[i*d+j]
			if !(v >= 0) || math.IsInf(v, 0) {
				return fmt.Errorf("neurons: dissimilarity (%d,%d) = %g must be finite and ≥ 0", i, j, v)
			}
			if math.Abs(v-dis[j*d+i]) > 1e-9*(1+v) {
				return fmt.Errorf("neurons: dissimilarities (%d,%d) = %g and (%d,%d) = %g differ; the matrix must be symmetric", i, j, v, j, i, dis[j*d+i])
			}
		}
	}
	return nil
}
