package tsne

import (
	"fmt"
	"math"
)

// Gradient selects how the repulsive part of the t-SNE gradient is computed.
type Gradient int

const (
	// Auto uses Exact for at most 250 points and BarnesHut otherwise;
	// from 8192 points it chooses at every iteration Interpolation while
	// the layout is compact (an FFT grid of fewer than 8 nodes per point,
	// early iterations), where it measured faster (BenchmarkRepulsion:
	// 1.4x at 10000 points, 6.6x at 20000 on a layout of extent 30, but
	// 15-100x slower than Barnes-Hut at the extents converged layouts of
	// 5000-20000 MNIST digits reach, 150-280).
	Auto Gradient = iota
	// Exact sums the repulsion over all pairs, O(n²) per iteration.
	Exact
	// BarnesHut approximates the repulsion with a quadtree, O(n log n)
	// per iteration, controlled by Config.Theta.
	BarnesHut
	// Interpolation interpolates the repulsion on a grid of about one box
	// per unit of the layout's extent (at least 10 a side, 3 nodes each)
	// and convolves it with FFTs (FIt-SNE): O(n + g² log g) per iteration
	// for a grid of g nodes a side.
	Interpolation
)

// exactMax is the largest n for which Auto chooses Exact.
const exactMax = 250

// hybridMin is the smallest n for which Auto may choose Interpolation.
const hybridMin = 8192

// String returns the name of the gradient method.
func (g Gradient) String() string {
	switch g {
	case Auto:
		return "auto"
	case Exact:
		return "exact"
	case BarnesHut:
		return "barnes-hut"
	case Interpolation:
		return "interpolation"
	}
	return fmt.Sprintf("Gradient(%d)", int(g))
}

// Config holds the parameters of a t-SNE run. The zero value gives
// scikit-learn's defaults (perplexity 30, 1000 iterations, early
// exaggeration 12 for 250 iterations, learning rate "auto", θ = 0.5,
// PCA initialisation, stopping as scikit-learn's _gradient_descent does),
// plus PCA to 50 dimensions.
type Config struct {
	// Perplexity is the effective number of neighbours; 0 → 30.
	Perplexity float64
	// Iterations is the maximum number of gradient iterations, early
	// exaggeration included; 0 → 1000.
	Iterations int
	// Exaggeration multiplies P during the first ExaggerationIters
	// iterations; 0 → 12.
	Exaggeration float64
	// ExaggerationIters is the length of the early exaggeration phase
	// (momentum 0.5); 0 → 250, negative → no such phase.
	ExaggerationIters int
	// LearningRate is the gradient descent step; 0 → "auto",
	// max(n/Exaggeration/4, 50).
	LearningRate float64
	// Theta is the Barnes-Hut accuracy, in (0, 2]: smaller is more exact,
	// larger faster; 0 → 0.5.
	Theta float64
	// PCA is the number of principal components the input is reduced to
	// when it is wider; 0 → 50, negative → no reduction.
	PCA int
	// Standardize z-scores every input feature before PCA.
	Standardize bool
	// Seed drives every random choice.
	Seed int64
	// Gradient selects the repulsion method; the zero value is Auto.
	Gradient Gradient
	// Init is an optional start layout of length 2n (x0, y0, x1, y1, ...).
	// Nil starts from the first two principal components scaled to a
	// standard deviation of 1e-4.
	Init []float64
	// Anchor is an optional layout of length 2n that every point is pulled
	// towards with the dynamic t-SNE's displacement cost
	// AnchorWeight/(2n) Σ_i ‖yᵢ − anchorᵢ‖²: a new stage joining a sequence
	// whose previous stage is final (the train view). Nil: no such term.
	Anchor []float64
	// AnchorWeight is λ of the Anchor term, ≥ 0.
	AnchorWeight float64
	// NoProgress stops the optimisation after early exaggeration when the
	// KL divergence, checked every 50 iterations, has not reached a new
	// minimum for more than this many iterations (scikit-learn's
	// n_iter_without_progress); 0 → 300, negative → never.
	NoProgress int
	// MinGradNorm stops the optimisation when the norm of the gradient,
	// checked with the KL divergence, is at most this (scikit-learn's
	// min_grad_norm); 0 → 1e-7, negative → never.
	MinGradNorm float64

	hybrid bool // Auto chooses between BarnesHut and Interpolation
}

// Defaults applied for zero fields.
const (
	defaultPerplexity   = 30
	defaultIterations   = 1000
	defaultExaggeration = 12
	defaultExagIters    = 250
	defaultTheta        = 0.5
	defaultPCA          = 50
	defaultNoProgress   = 300
	defaultMinGradNorm  = 1e-7
	checkEvery          = 50
)

// resolve validates cfg for n points and returns it with defaults filled in.
func (cfg Config) resolve(n int) (Config, error) {
	c := cfg
	bad := func(name string, v float64, rule string) error {
		return fmt.Errorf("tsne: %s %v %s", name, v, rule)
	}
	if c.Perplexity == 0 {
		c.Perplexity = defaultPerplexity
	}
	switch {
	case c.Perplexity < 0 || math.IsNaN(c.Perplexity):
		return c, bad("perplexity", c.Perplexity, "must be > 0")
	case c.Perplexity >= float64(n-1):
		return c, fmt.Errorf("tsne: perplexity %v must be < n-1 = %d", c.Perplexity, n-1)
	}
	if c.Iterations == 0 {
		c.Iterations = defaultIterations
	}
	if c.Iterations < 0 {
		return c, bad("iterations", float64(c.Iterations), "must be >= 0")
	}
	if c.Exaggeration == 0 {
		c.Exaggeration = defaultExaggeration
	}
	if !(c.Exaggeration > 0) || math.IsInf(c.Exaggeration, 0) {
		return c, bad("exaggeration", c.Exaggeration, "must be finite and > 0")
	}
	switch {
	case c.ExaggerationIters == 0:
		c.ExaggerationIters = defaultExagIters
	case c.ExaggerationIters < 0:
		c.ExaggerationIters = 0
	}
	c.ExaggerationIters = min(c.ExaggerationIters, c.Iterations)
	if c.LearningRate == 0 {
		c.LearningRate = max(float64(n)/c.Exaggeration/4, 50)
	}
	if !(c.LearningRate > 0) || math.IsInf(c.LearningRate, 0) {
		return c, bad("learning rate", c.LearningRate, "must be finite and > 0")
	}
	if c.Theta == 0 {
		c.Theta = defaultTheta
	}
	if !(c.Theta > 0 && c.Theta <= 2) {
		return c, bad("theta", c.Theta, "must be in (0, 2]")
	}
	if c.PCA == 0 {
		c.PCA = defaultPCA
	}
	if c.NoProgress == 0 {
		c.NoProgress = defaultNoProgress
	}
	if c.MinGradNorm == 0 {
		c.MinGradNorm = defaultMinGradNorm
	}
	if math.IsNaN(c.MinGradNorm) {
		return c, bad("minimum gradient norm", c.MinGradNorm, "must be a number")
	}
	switch c.Gradient {
	case Auto:
		c.Gradient = BarnesHut
		c.hybrid = n >= hybridMin
		if n <= exactMax {
			c.Gradient = Exact
		}
	case Exact, BarnesHut, Interpolation:
	default:
		return c, fmt.Errorf("tsne: unknown gradient method %d", int(c.Gradient))
	}
	if c.Init != nil {
		if len(c.Init) != 2*n {
			return c, fmt.Errorf("tsne: init has length %d, want 2n = %d", len(c.Init), 2*n)
		}
		for i, v := range c.Init {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return c, fmt.Errorf("tsne: init[%d] = %v is not finite", i, v)
			}
		}
		c.Init = append([]float64(nil), c.Init...)
	}
	return c.resolveAnchor(n)
}

// resolveAnchor validates and copies the Anchor layout and its weight.
func (c Config) resolveAnchor(n int) (Config, error) {
	if !(c.AnchorWeight >= 0) || math.IsInf(c.AnchorWeight, 0) {
		return c, fmt.Errorf("tsne: anchor weight %v must be finite and >= 0", c.AnchorWeight)
	}
	if c.Anchor == nil {
		return c, nil
	}
	if len(c.Anchor) != 2*n {
		return c, fmt.Errorf("tsne: anchor has length %d, want 2n = %d", len(c.Anchor), 2*n)
	}
	for i, v := range c.Anchor {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return c, fmt.Errorf("tsne: anchor[%d] = %v is not finite", i, v)
		}
	}
	c.Anchor = append([]float64(nil), c.Anchor...)
	return c, nil
}
