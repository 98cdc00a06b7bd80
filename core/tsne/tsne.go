package tsne

import (
	"fmt"
	"math"
)

// maxAbs bounds input magnitudes so squared distances stay finite in
// float32.
const maxAbs = 1e15

// workUnit is the approximate number of multiply-adds one preparation
// Step performs: a few milliseconds natively, under ~20 ms in wasm.
const workUnit = 1 << 21

// TSNE is a t-SNE run that advances in small steps. Create it with New,
// call Step until it reports done (or Run), and read Positions and KL at
// any time. Stopping early is cancelling: drop the value.
type TSNE struct {
	cfg  Config
	n, d int
	x    []float32 // input, n×d

	tasks []task // preparation, in order
	task  int    // index of the current task
	next  int    // first unprocessed unit of the current task
	steps int    // Steps taken
	total int    // Steps a full run takes at most

	prep     preparation
	opt      optimizer
	done     bool
	adopted  *Affinities // preparation done elsewhere (Adopt)
	prepInit []float64   // the start layout prepared from the input, when Config.Init is nil
}

// New validates its arguments and returns a t-SNE run of the n rows of the
// row-major n×d matrix x. It copies x and does no other work: the
// preparation happens in Step.
func New(x []float32, n, d int, cfg Config) (*TSNE, error) {
	if n < 3 {
		return nil, fmt.Errorf("tsne: n = %d points, need at least 3", n)
	}
	if d < 1 {
		return nil, fmt.Errorf("tsne: d = %d dimensions, need at least 1", d)
	}
	if len(x) != n*d {
		return nil, fmt.Errorf("tsne: len(x) = %d, want n×d = %d×%d = %d", len(x), n, d, n*d)
	}
	for i, v := range x {
		if !(math.Abs(float64(v)) <= maxAbs) {
			return nil, fmt.Errorf("tsne: x[%d] (row %d, column %d) = %v, want finite with magnitude <= %g", i, i/d, i%d, v, maxAbs)
		}
	}
	c, err := cfg.resolve(n)
	if err != nil {
		return nil, err
	}
	t := &TSNE{cfg: c, n: n, d: d, x: append([]float32(nil), x...)}
	t.plan()
	for _, tk := range t.tasks {
		t.total += tk.steps()
	}
	t.total += c.Iterations * ((n + gradSlice - 1) / gradSlice)
	return t, nil
}

// Step does one small unit of work: a slice of the preparation
// (standardisation, PCA, nearest neighbours, perplexity calibration) or
// one gradient iteration (for more than 4096 points, a slice of one). It reports whether the run is complete. Stepping
// to completion gives exactly the result of Run.
func (t *TSNE) Step() (done bool) {
	if t.done {
		return true
	}
	t.steps++
	if t.task < len(t.tasks) && t.adopted != nil {
		t.adopt()
		return false
	}
	if t.task < len(t.tasks) {
		t.stepTask(1)
		return false
	}
	if t.opt.iter >= t.cfg.Iterations || t.opt.converged {
		t.done = true
		return true
	}
	if t.opt.slice(t.cfg) && (t.opt.iter >= t.cfg.Iterations || t.opt.converged) {
		t.done = true
	}
	return t.done
}

// stepTask processes up to scale chunks of the current preparation task.
func (t *TSNE) stepTask(scale int) {
	tk := &t.tasks[t.task]
	hi := min(t.next+scale*tk.chunk, tk.units)
	if tk.do != nil && hi > t.next {
		tk.do(t.next, hi)
	}
	t.next = hi
	if tk.over != nil && tk.over() {
		t.next = tk.units
	}
	if t.next >= tk.units {
		if tk.finish != nil {
			tk.finish()
		}
		t.task++
		t.next = 0
	}
}

// runScale is how many Step-sized chunks of preparation Run does at once
// (fewer, larger parallel sections natively; the result is the same).
const runScale = 16

// Run runs the t-SNE to completion, with the result of stepping, and
// returns it for chaining.
func (t *TSNE) Run() *TSNE {
	if t.adopted != nil && t.task < len(t.tasks) {
		t.adopt()
	}
	for t.task < len(t.tasks) {
		before := t.task
		t.stepTask(runScale)
		t.steps += min(runScale, t.tasks[before].steps())
	}
	for t.opt.part > 0 && !t.Step() { // finish an iteration begun by Step
	}
	for !t.done {
		if t.opt.iter >= t.cfg.Iterations || t.opt.converged {
			t.done = true
			break
		}
		t.opt.iterate(t.cfg, t.opt.anchor(t.cfg))
		t.steps += t.opt.slices()
	}
	t.steps = min(t.steps, t.total)
	return t
}

// Progress returns the fraction of the work done, 0..1, preparation
// included. It reaches 1 when Step reports done, also on early convergence.
func (t *TSNE) Progress() float64 {
	if t.done {
		return 1
	}
	return float64(t.steps) / float64(t.total)
}

// Done reports whether the run is complete (Step reported done).
func (t *TSNE) Done() bool { return t.done }

// Prepared reports whether preparation is complete, so that Positions
// returns a layout.
func (t *TSNE) Prepared() bool { return t.task >= len(t.tasks) }

// Iteration returns the number of gradient iterations done.
func (t *TSNE) Iteration() int { return t.opt.iter }

// Len returns the number of points.
func (t *TSNE) Len() int { return t.n }

// Positions appends the current layout (x0, y0, x1, y1, ...) to dst[:0]
// and returns it. Before preparation is complete the layout is all zeros.
func (t *TSNE) Positions(dst []float64) []float64 {
	dst = dst[:0]
	if !t.Prepared() {
		for range 2 * t.n {
			dst = append(dst, 0)
		}
		return dst
	}
	return append(dst, t.opt.y...)
}

// KL returns the Kullback-Leibler divergence KL(P‖Q) of the layout,
// computed every 50 iterations after early exaggeration and at the last
// iteration; NaN before the first.
func (t *TSNE) KL() float64 {
	if !t.Prepared() || t.opt.klIter < 0 {
		return math.NaN()
	}
	return t.opt.kl
}
