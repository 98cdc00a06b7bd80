package tsne

import (
	"fmt"
	"math"
)

// SeqMethod is how a Sequence keeps consecutive layouts coherent.
type SeqMethod int

const (
	// Chained runs one t-SNE per stage, each initialised from the previous
	// stage's layout, without early exaggeration and with ChainIterations
	// iterations at most (the lab's inter-layer method).
	Chained SeqMethod = iota
	// Joint runs one t-SNE of all stages stacked (n·stages points; the
	// stages must have equal dimensions; the lab's inter-epoch method).
	Joint
	// Dynamic optimises all stages together, all starting from the first
	// stage's PCA layout, minimising Σ_t KL(Pᵗ‖Qᵗ) + λ/(2n) Σ_t Σ_i |yᵢᵗ - yᵢᵗ⁺¹|² (Rauber et
	// al. 2016).
	Dynamic
)

// ChainIterations is the number of iterations of each chained stage after
// the first, when Config.Iterations is the default: starting from a
// converged layout it needs no early exaggeration and far fewer
// iterations. Non-default Iterations are scaled by the same 3/10.
const ChainIterations = 300

// String returns the method's name as used in URLs.
func (m SeqMethod) String() string {
	switch m {
	case Chained:
		return "chained"
	case Joint:
		return "joint"
	case Dynamic:
		return "dynamic"
	}
	return fmt.Sprintf("SeqMethod(%d)", int(m))
}

// Sequence projects the same n samples seen at several stages (layers or
// epochs) into coherent 2-D layouts. It advances in small steps like TSNE.
type Sequence struct {
	method SeqMethod
	n      int
	lambda float64
	runs   []*TSNE // one per stage, or one stacked run for Joint
	cur    int     // chained: the stage being computed; dynamic: next gradient
	steps  int
	done   bool
	best   float64 // dynamic: lowest total KL at a check
	bestAt int     // dynamic: iteration best was reached at
}

// NewSequence validates its arguments and returns a sequence over the
// stages xs[t] (row-major n×dims[t]). lambda weighs the Dynamic method's
// displacement cost (typically 0.01..0.1) and must be 0 for the others.
// cfg applies to every stage; cfg.Init must be nil.
func NewSequence(xs [][]float32, n int, dims []int, method SeqMethod, lambda float64, cfg Config) (*Sequence, error) {
	if len(xs) == 0 || len(xs) != len(dims) {
		return nil, fmt.Errorf("tsne: sequence has %d stages and %d dims, want the same number, at least 1", len(xs), len(dims))
	}
	if cfg.Init != nil {
		return nil, fmt.Errorf("tsne: a sequence computes its own init, cfg.Init must be nil")
	}
	if lambda < 0 || math.IsNaN(lambda) || math.IsInf(lambda, 0) {
		return nil, fmt.Errorf("tsne: lambda %v must be finite and >= 0", lambda)
	}
	s := &Sequence{method: method, n: n, lambda: lambda, best: math.Inf(1)}
	switch method {
	case Chained, Dynamic:
		for t := range xs {
			r, err := New(xs[t], n, dims[t], stageConfig(method, t, n, cfg))
			if err != nil {
				return nil, fmt.Errorf("%w (stage %d)", err, t)
			}
			s.runs = append(s.runs, r)
		}
	case Joint:
		x, err := stack(xs, n, dims)
		if err != nil {
			return nil, err
		}
		r, err := New(x, n*len(xs), dims[0], cfg)
		if err != nil {
			return nil, err
		}
		s.runs = []*TSNE{r}
	default:
		return nil, fmt.Errorf("tsne: unknown sequence method %d", int(method))
	}
	if method != Dynamic && lambda != 0 {
		return nil, fmt.Errorf("tsne: lambda %v is only for the dynamic method, not %v", lambda, method)
	}
	return s, nil
}

// stageConfig returns the Config of stage t of a Chained or Dynamic
// sequence of n points configured with cfg.
func stageConfig(method SeqMethod, t, n int, cfg Config) Config {
	if method == Chained && t > 0 {
		cfg.Init = make([]float64, 2*n) // set when the stage starts
		cfg.ExaggerationIters = -1
		cfg.Iterations = chainIters(cfg.Iterations)
	}
	return cfg
}

// StageAffinities prepares stage t (row-major n×d x) of a sequence of the
// given method and cfg alone and returns its affinities, for that
// sequence to Adopt: the stages of a Chained or Dynamic sequence prepare
// independently, so other goroutines or programs can prepare some while
// the sequence works on the others.
func StageAffinities(x []float32, n, d int, method SeqMethod, cfg Config, t int) (*Affinities, error) {
	if method != Chained && method != Dynamic {
		return nil, fmt.Errorf("tsne: the stages of a %v sequence do not prepare alone", method)
	}
	if cfg.Init != nil {
		return nil, fmt.Errorf("tsne: a sequence computes its own init, cfg.Init must be nil")
	}
	r, err := New(x, n, d, stageConfig(method, t, n, cfg))
	if err != nil {
		return nil, fmt.Errorf("%w (stage %d)", err, t)
	}
	return r.Affinities(), nil
}

// Adopt gives stage t the affinities a, prepared by StageAffinities with
// the sequence's arguments: the stage does not prepare, with the same
// result. It fails once the stage has begun.
func (s *Sequence) Adopt(t int, a *Affinities) error {
	if s.method == Joint || t < 0 || t >= len(s.runs) {
		return fmt.Errorf("tsne: stage %d of a %v sequence of %d stages adopts no affinities", t, s.method, s.Len())
	}
	return s.runs[t].Adopt(a)
}

// chainIters returns the iterations of chained stages after the first.
func chainIters(iterations int) int {
	if iterations == 0 {
		return ChainIterations
	}
	return max(1, iterations*3/10)
}

// stack concatenates the stages' rows for the Joint method.
func stack(xs [][]float32, n int, dims []int) ([]float32, error) {
	var x []float32
	for t, xt := range xs {
		if dims[t] != dims[0] {
			return nil, fmt.Errorf("tsne: joint sequence needs equal dims, stage %d has %d, stage 0 has %d", t, dims[t], dims[0])
		}
		if len(xt) != n*dims[t] {
			return nil, fmt.Errorf("tsne: stage %d has %d values, want n×d = %d×%d", t, len(xt), n, dims[t])
		}
		x = append(x, xt...)
	}
	return x, nil
}

// Len returns the number of stages.
func (s *Sequence) Len() int {
	if s.method == Joint {
		return len(s.runs[0].x) / s.n / s.runs[0].d
	}
	return len(s.runs)
}

// Step does one small unit of work and reports whether the whole sequence
// is complete.
func (s *Sequence) Step() (done bool) {
	if s.done {
		return true
	}
	s.steps++
	switch s.method {
	case Joint:
		s.done = s.runs[0].Step()
	case Chained:
		s.stepChained()
	case Dynamic:
		s.stepDynamic()
	}
	return s.done
}

// stepChained advances the current stage, starting the next from its
// result when it completes.
func (s *Sequence) stepChained() {
	if !s.runs[s.cur].Step() {
		return
	}
	s.cur++
	if s.cur == len(s.runs) {
		s.done = true
		return
	}
	s.runs[s.cur].cfg.Init = s.runs[s.cur-1].Positions(s.runs[s.cur].cfg.Init)
}

// stepDynamic prepares the stages one after the other, then computes one
// stage's gradient (and KL) per step; after the last stage's, it couples
// the gradients and updates every layout.
func (s *Sequence) stepDynamic() {
	for _, r := range s.runs {
		if !r.Prepared() {
			r.Step()
			if r.Prepared() && r == s.runs[len(s.runs)-1] {
				s.shareInit()
			}
			return
		}
	}
	r := s.runs[s.cur]
	r.opt.gradient()
	r.opt.evaluate(r.cfg)
	s.cur++
	if s.cur < len(s.runs) {
		return
	}
	s.cur = 0
	for t, r := range s.runs {
		r.opt.apply(r.cfg, func(grad []float64) { s.couple(t, grad) })
	}
	s.check()
}

// shareInit starts every stage from the first stage's layout, and the
// progress count at the end of early exaggeration.
func (s *Sequence) shareInit() {
	s.bestAt = s.runs[0].cfg.ExaggerationIters
	for _, r := range s.runs[1:] {
		copy(r.opt.y, s.runs[0].opt.y)
	}
}

// couple adds to grad, stage t's, the gradient of the displacement cost
// λ/(2n) Σ_t Σ_i |yᵢᵗ - yᵢᵗ⁺¹|²: λ/n (2yᵢᵗ - yᵢᵗ⁻¹ - yᵢᵗ⁺¹) inside. It
// runs before any stage moves: stages before t have moved already, so it
// reads their layouts as they were, from pts.
func (s *Sequence) couple(t int, grad []float64) {
	c := s.lambda / float64(s.n)
	y := s.runs[t].opt.pts
	for _, u := range []int{t - 1, t + 1} {
		if u < 0 || u >= len(s.runs) {
			continue
		}
		yu := s.runs[u].opt.pts
		for i, p := range y {
			grad[2*i] += float64(c * (p.x - yu[i].x))
			grad[2*i+1] += float64(c * (p.y - yu[i].y))
		}
	}
}

// check ends the dynamic optimisation after all iterations, or when the
// total KL has made no progress for more than Config.NoProgress
// iterations, the rule of a single run.
func (s *Sequence) check() {
	r0 := s.runs[0]
	if r0.opt.iter >= r0.cfg.Iterations {
		s.done = true
		return
	}
	if r0.opt.klIter != r0.opt.iter || r0.opt.iter <= r0.cfg.ExaggerationIters {
		return
	}
	total := 0.0
	for _, r := range s.runs {
		total += r.opt.kl
	}
	s.done = noProgress(total, &s.best, r0.opt.iter, &s.bestAt, r0.cfg.NoProgress)
}

// Progress returns the fraction of the work done, 0..1.
func (s *Sequence) Progress() float64 {
	if s.done {
		return 1
	}
	total := 0
	for _, r := range s.runs {
		total += r.total
	}
	return min(float64(s.steps)/float64(total), 1)
}

// Ready reports whether stage has a layout to draw: for Chained once that
// stage is prepared (it starts from the previous layout), for the other
// methods once everything is prepared. It is false for stages out of range.
func (s *Sequence) Ready(stage int) bool {
	switch {
	case stage < 0 || stage >= s.Len():
		return false
	case s.method == Chained:
		return s.runs[stage].Prepared()
	}
	return s.runs[len(s.runs)-1].Prepared()
}

// Positions appends the current layout of stage to dst[:0] and returns it:
// 2n values, all zeros while the stage is not Ready; none for a stage out
// of range.
func (s *Sequence) Positions(stage int, dst []float64) []float64 {
	dst = dst[:0]
	switch {
	case stage < 0 || stage >= s.Len():
		return dst
	case !s.Ready(stage):
		for range 2 * s.n {
			dst = append(dst, 0)
		}
		return dst
	case s.method == Joint:
		return append(dst, s.runs[0].opt.y[2*s.n*stage:2*s.n*(stage+1)]...)
	}
	return s.runs[stage].Positions(dst)
}
