package neurons

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// TSNEConfig sets up ProjectTSNE. The zero value works.
type TSNEConfig struct {
	Perplexity float64 // 0 → min(30, (d−1)/3)
	Iterations int     // 0 → 1000, the first 250 with early exaggeration 12
	Seed       int64   // seeds the random start
}

// ProjectTSNE places d points in the plane by exact t-SNE on the d×d
// row-major dissimilarities dis (used as distances), the alternative to
// Project's MDS. Suited to a layer's neurons (d up to a few thousand).
func ProjectTSNE(dis []float64, d int, cfg TSNEConfig) (*Projection, error) {
	if err := checkDissimilarities(dis, d); err != nil {
		return nil, err
	}
	r, err := newTSNERun(d, cfg)
	if err != nil {
		return nil, err
	}
	r.begin(dis)
	for !r.step() {
	}
	return r.projection(), nil
}

// tsneRun runs ProjectTSNE in steps: begin, then step until it reports
// done.
type tsneRun struct {
	d, it                 int
	cfg                   TSNEConfig
	lr                    float64
	p, q                  []float64
	pos, grad, vel, gains []float64
}

// Early exaggeration, as in scikit-learn.
const exIters, exaggeration = 250, 12.0

// newTSNERun checks cfg and applies its defaults.
func newTSNERun(d int, cfg TSNEConfig) (*tsneRun, error) {
	if cfg.Perplexity == 0 {
		cfg.Perplexity = min(30, float64(d-1)/3)
	}
	if !(cfg.Perplexity > 0) || cfg.Perplexity > float64(d-1) {
		return nil, fmt.Errorf("neurons: perplexity %g must be > 0 and ≤ %d (points − 1)", cfg.Perplexity, d-1)
	}
	if cfg.Iterations < 0 {
		return nil, fmt.Errorf("neurons: t-SNE iterations %d must be ≥ 0", cfg.Iterations)
	}
	if cfg.Iterations == 0 {
		cfg.Iterations = 1000
	}
	return &tsneRun{d: d, cfg: cfg, lr: max(float64(d)/exaggeration/4, 50)}, nil
}

// begin computes the affinities of dis and the random start.
func (r *tsneRun) begin(dis []float64) {
	d := r.d
	r.p = affinities(dis, d, r.cfg.Perplexity)
	r.q = make([]float64, d*d)
	r.pos, r.grad, r.vel, r.gains = make([]float64, 2*d), make([]float64, 2*d), make([]float64, 2*d), make([]float64, 2*d)
	rng := rand.New(rand.NewPCG(uint64(r.cfg.Seed), 0x74736e65))
	for i := range r.pos {
		r.pos[i] = 1e-4 * rng.NormFloat64()
		r.gains[i] = 1
	}
}

// ops estimates the work of one step.
func (r *tsneRun) ops() float64 { return 8 * float64(r.d) * float64(r.d) }

// bound bounds the work of all steps.
func (r *tsneRun) bound() float64 { return float64(r.cfg.Iterations) * r.ops() }

// step makes one gradient descent iteration (momentum and gains) and
// reports whether the iterations are done.
func (r *tsneRun) step() bool {
	if r.it == r.cfg.Iterations {
		return true
	}
	ex, mom := 1.0, 0.8
	if r.it < exIters {
		ex, mom = exaggeration, 0.5
	}
	gradient(r.pos, r.p, r.q, r.d, ex, r.grad)
	for k, g := range r.grad {
		if (g > 0) == (r.vel[k] > 0) {
			r.gains[k] = max(r.gains[k]*0.8, 0.01)
		} else {
			r.gains[k] += 0.2
		}
		r.vel[k] = mom*r.vel[k] - r.lr*r.gains[k]*g
		r.pos[k] += r.vel[k]
	}
	r.it++
	return r.it == r.cfg.Iterations
}

// projection returns the current layout, centred and oriented, with its
// KL divergence.
func (r *tsneRun) projection() *Projection {
	pos := append([]float64(nil), r.pos...)
	kl := divergence(pos, r.p, r.q, r.d)
	orient(pos)
	return &Projection{Pos: pos, KL: kl}
}

// affinities returns the symmetric joint probabilities P of t-SNE, each
// row's Gaussian bandwidth found by bisection to match the perplexity.
func affinities(dis []float64, d int, perplexity float64) []float64 {
	p := make([]float64, d*d)
	target := math.Log(perplexity)
	for i := range d {
		row := p[i*d : (i+1)*d]
		lo, hi, beta := 0.0, math.Inf(1), 1.0
		for range 100 {
			h := rowEntropy(dis[i*d:(i+1)*d], i, beta, row)
			if math.Abs(h-target) < 1e-5 {
				break
			}
			if h > target {
				lo = beta
				if math.IsInf(hi, 1) {
					beta *= 2
				} else {
					beta = (beta + hi) / 2
				}
			} else {
				hi = beta
				beta = (beta + lo) / 2
			}
		}
	}
	for i := range d {
		for j := i + 1; j < d; j++ {
			v := max((p[i*d+j]+p[j*d+i])/float64(2*d), 1e-12)
			p[i*d+j], p[j*d+i] = v, v
		}
	}
	return p
}

// rowEntropy writes the conditional probabilities of point i at precision
// beta (on squared dissimilarities) into row and returns their entropy.
func rowEntropy(dis []float64, i int, beta float64, row []float64) float64 {
	minD := math.Inf(1)
	for j, v := range dis {
		if j != i && v*v < minD {
			minD = v * v
		}
	}
	sum, h := 0.0, 0.0
	for j, v := range dis {
		row[j] = 0
		if j != i {
			row[j] = math.Exp(-beta * (v*v - minD))
			sum += row[j]
		}
	}
	for j, v := range dis {
		if j != i {
			row[j] /= sum
			h += beta * (v*v - minD) * row[j]
		}
	}
	return h + math.Log(sum)
}

// gradient writes the t-SNE gradient into grad, using q as scratch for the
// Student-t kernel values.
func gradient(pos, p, q []float64, d int, ex float64, grad []float64) {
	z := 0.0
	for i := range d {
		for j := i + 1; j < d; j++ {
			dx, dy := pos[2*i]-pos[2*j], pos[2*i+1]-pos[2*j+1]
			k := 1 / (1 + dx*dx + dy*dy)
			q[i*d+j], q[j*d+i] = k, k
			z += 2 * k
		}
	}
	for i := range d {
		var gx, gy float64
		for j := range d {
			if j == i {
				continue
			}
			k := q[i*d+j]
			m := (ex*p[i*d+j] - k/z) * k
			gx += m * (pos[2*i] - pos[2*j])
			gy += m * (pos[2*i+1] - pos[2*j+1])
		}
		grad[2*i], grad[2*i+1] = 4*gx, 4*gy
	}
}

// divergence returns KL(P‖Q) of the layout pos.
func divergence(pos, p, q []float64, d int) float64 {
	z := 0.0
	for i := range d {
		for j := range d {
			if j != i {
				dx, dy := pos[2*i]-pos[2*j], pos[2*i+1]-pos[2*j+1]
				q[i*d+j] = 1 / (1 + dx*dx + dy*dy)
				z += q[i*d+j]
			}
		}
	}
	kl := 0.0
	for i := range d {
		for j := range d {
			if j != i {
				kl += p[i*d+j] * math.Log(p[i*d+j]/max(q[i*d+j]/z, 1e-300))
			}
		}
	}
	return kl
}
