package tsne

import "math"

// optimizer is the gradient descent state of scikit-learn's t-SNE:
// momentum, per-parameter gains, early exaggeration.
type optimizer struct {
	n           int
	start       []int32   // CSR row starts of P
	col         []int32   // CSR columns
	val         []float64 // CSR values, summing to 1
	plogp       float64   // Σ p log p
	y           []float64 // layout, 2n
	pts         []point   // the layout as points, for the gradient
	grad        []float64 // gradient, 2n
	upd, gains  []float64 // momentum term and gains, 2n
	attr, rep   []float64 // attractive and repulsive forces, 2n
	zsum        []float64 // per-point sums of the Student-t kernel
	klRow       []float64 // per-row terms of KL(P‖Q)
	tree        quadtree
	grid        interp
	iter        int
	kl          float64 // last computed KL(P‖Q)
	klIter      int     // iteration kl was computed at; -1 before
	best        float64 // lowest KL at a convergence check after exaggeration
	bestIter    int     // iteration best was reached at
	converged   bool
	gradNormSq  float64 // squared norm of the last gradient times the gains
	exact       bool
	interpolate bool // always interpolate the repulsion
	hybrid      bool // interpolate it while the grid is small
	onGrid      bool // this gradient's repulsion is interpolated
	gridIters   int  // gradients interpolated
	theta2      float64
	exagIters   int
	exaggerated float64
	lastZ       float64 // kernel sum of the last gradient
	part        int     // points whose forces are done in this iteration
	helper      *shared // computes the forces of the last points elsewhere (Share), or nil
	split       int     // this iteration's forces from split on are computed by helper
}

// init allocates the state for n points; y is already set.
func (o *optimizer) init(n int, cfg Config) {
	o.n = n
	o.grad = make([]float64, 2*n)
	o.upd = make([]float64, 2*n)
	o.gains = make([]float64, 2*n)
	o.attr = make([]float64, 2*n)
	o.rep = make([]float64, 2*n)
	o.zsum = make([]float64, n)
	for i := range o.gains {
		o.gains[i] = 1
	}
	o.klIter = -1
	o.best = math.Inf(1)
	o.bestIter = cfg.ExaggerationIters
	o.exact = cfg.Gradient == Exact
	o.interpolate = cfg.Gradient == Interpolation
	o.hybrid = cfg.hybrid
	o.theta2 = cfg.Theta * cfg.Theta
	o.exagIters = cfg.ExaggerationIters
	o.exaggerated = cfg.Exaggeration
}

// forcePiece is how many points' forces a goroutine computes at a time:
// pieces taken in turn keep every core busy to the end of a gradient.
const forcePiece = 256

// gradSlice is the most points whose forces one Step computes: larger
// layouts spread an iteration over several Steps.
const gradSlice = 4096

// slices returns the Steps one iteration takes.
func (o *optimizer) slices() int { return (o.n + gradSlice - 1) / gradSlice }

// slice computes the forces of the next gradSlice points of the current
// iteration and, after the last, completes it (see iterate); it reports
// whether the iteration completed. With a helper (Share), the forces of the
// second half of the points are computed elsewhere meanwhile (only their
// attraction when the repulsion is interpolated: the grid's repulsion of
// every point is computed in begin).
func (o *optimizer) slice(cfg Config) bool {
	if o.part == 0 {
		o.begin()
		o.split = o.n
		if o.helper != nil && o.n >= shareMin {
			o.split = o.n / 2
			o.ask(o.split, o.n)
		}
	}
	hi := min(o.part+gradSlice, o.split)
	pieces(o.part, hi, forcePiece, o.forces)
	o.part = hi
	if hi < o.split {
		return false
	}
	if o.split < o.n {
		o.receive(o.split, o.n)
	}
	o.part = 0
	o.finish(cfg, o.anchor(cfg))
	return true
}

// anchor returns the gradient of cfg's Anchor term, λ/n (yᵢ − anchorᵢ),
// or nil without an anchor.
func (o *optimizer) anchor(cfg Config) func(grad []float64) {
	if cfg.Anchor == nil || cfg.AnchorWeight == 0 {
		return nil
	}
	c := cfg.AnchorWeight / float64(o.n)
	return func(grad []float64) {
		for i, v := range o.y {
			grad[i] += float64(c * (v - cfg.Anchor[i]))
		}
	}
}

// iterate does one gradient descent iteration. extra, when not nil, adds
// further terms to the gradient before the update (dynamic t-SNE).
func (o *optimizer) iterate(cfg Config, extra func(grad []float64)) {
	o.gradient()
	o.finish(cfg, extra)
}

// finish completes an iteration whose forces are computed.
func (o *optimizer) finish(cfg Config, extra func(grad []float64)) {
	o.evaluate(cfg)
	o.apply(cfg, extra)
}

// evaluate combines the forces into the gradient and computes KL when
// checking.
func (o *optimizer) evaluate(cfg Config) {
	o.combine()
	if o.checking(cfg) {
		o.kl = o.divergence()
		o.klIter = o.iter + 1
	}
}

// apply adds the extra terms, updates the layout and checks convergence.
func (o *optimizer) apply(cfg Config, extra func(grad []float64)) {
	checking := o.checking(cfg)
	if extra != nil {
		extra(o.grad)
	}
	o.descend(cfg)
	if checking {
		o.check(cfg)
	}
}

// checking reports whether this iteration computes the KL divergence:
// every checkEvery iterations after early exaggeration, and the last.
func (o *optimizer) checking(cfg Config) bool {
	next := o.iter + 1
	return next >= cfg.Iterations || next > o.exagIters && (next-o.exagIters)%checkEvery == 0
}

// gradient computes the forces at o.y, to be combined into o.grad.
func (o *optimizer) gradient() {
	o.begin()
	pieces(0, o.n, forcePiece, o.forces)
}

// begin prepares a gradient evaluation: the points and the quadtree, or
// the interpolated repulsion of every point.
func (o *optimizer) begin() {
	o.points()
	o.onGrid = o.interpolate || o.hybrid && gridPays(o.y)
	switch {
	case o.onGrid:
		o.grid.repel(o.y, o.rep, o.zsum)
		o.gridIters++
	case !o.exact:
		o.tree.build(o.y)
	}
}

// points copies the layout into pts.
func (o *optimizer) points() {
	if len(o.pts) != o.n {
		o.pts = make([]point, o.n)
	}
	for i := range o.pts {
		o.pts[i] = point{o.y[2*i], o.y[2*i+1]}
	}
}

// gridPerPoint is the most FFT grid nodes per point for which the hybrid
// gradient interpolates (BenchmarkRepulsion).
const gridPerPoint = 8

// gridPays reports whether interpolating the repulsion of layout y is
// cheaper than Barnes-Hut: whether its FFT grid has fewer than
// gridPerPoint nodes per point.
func gridPays(y []float64) bool {
	_, side := extent(y)
	l := fftSize(side)
	return l*l < gridPerPoint*len(y)/2
}

// combine turns the forces into o.grad, the KL gradient, with early
// exaggeration while it lasts.
func (o *optimizer) combine() {
	exag := 1.0
	if o.iter < o.exagIters {
		exag = o.exaggerated
	}
	z := 0.0
	for _, s := range o.zsum {
		z += s
	}
	z = max(z, 1e-300)
	for i := range o.grad {
		o.grad[i] = 4 * (float64(exag*o.attr[i]) - o.rep[i]/z)
	}
	o.lastZ = z
}

// forces computes the attractive forces of points [lo, hi) and the
// (unnormalised) repulsive forces and kernel sums of as many: with
// Barnes-Hut, of the points at positions [lo, hi) of the quadtree's order,
// where neighbours in the layout, one after the other, walk much the same
// nodes, which stay in cache (the attraction reads P row by row, in index
// order).
func (o *optimizer) forces(lo, hi int) {
	for i := lo; i < hi; i++ {
		o.attract(i)
	}
	switch {
	case o.onGrid: // done for all points in begin
	case o.exact:
		for i := lo; i < hi; i++ {
			o.repelExact(i)
		}
	default:
		for k, i := range o.tree.idx[lo:hi] {
			o.repelTree(int(i), lo+k)
		}
	}
}

// point is a position in the layout.
type point struct{ x, y float64 }

// attract computes Σ_j p_ij (y_i - y_j) / (1 + |y_i - y_j|²).
func (o *optimizer) attract(i int) {
	pi := o.pts[i]
	var fx, fy float64
	a, b := o.start[i], o.start[i+1]
	cols, vals := o.col[a:b], o.val[a:b]
	vals = vals[:len(cols)]
	for e, j := range cols {
		pj := o.pts[j]
		dx, dy := pi.x-pj.x, pi.y-pj.y
		w := vals[e] / (1 + float64(dx*dx) + float64(dy*dy))
		fx += float64(w * dx)
		fy += float64(w * dy)
	}
	o.attr[2*i], o.attr[2*i+1] = fx, fy
}

// repelExact computes Σ_j w_ij² (y_i - y_j) and Σ_j w_ij over all j ≠ i,
// w_ij = 1 / (1 + |y_i - y_j|²).
func (o *optimizer) repelExact(i int) {
	pi := o.pts[i]
	var fx, fy, z float64
	for j, pj := range o.pts {
		if j == i {
			continue
		}
		dx, dy := pi.x-pj.x, pi.y-pj.y
		w := 1 / (1 + float64(dx*dx) + float64(dy*dy))
		z += w
		w *= w
		fx += float64(w * dx)
		fy += float64(w * dy)
	}
	o.rep[2*i], o.rep[2*i+1], o.zsum[i] = fx, fy, z
}

// repelTree approximates repelExact with the Barnes-Hut quadtree for
// point i, at position k of the tree's order.
func (o *optimizer) repelTree(i, k int) {
	fx, fy, z := o.tree.repel(k, o.y[2*i], o.y[2*i+1], o.theta2)
	o.rep[2*i], o.rep[2*i+1], o.zsum[i] = fx, fy, z
}

// descend applies the momentum and gains update of scikit-learn's
// _gradient_descent; momentum and gains restart when exaggeration ends.
func (o *optimizer) descend(cfg Config) {
	momentum := 0.8
	if o.iter < o.exagIters {
		momentum = 0.5
	}
	if o.iter == o.exagIters && o.iter > 0 {
		clear(o.upd)
		for i := range o.gains {
			o.gains[i] = 1
		}
	}
	lr := cfg.LearningRate
	norm := 0.0
	for i, g := range o.grad {
		gain := o.gains[i]
		if o.upd[i]*g < 0 {
			gain += 0.2
		} else {
			gain *= 0.8
		}
		gain = max(gain, 0.01)
		o.gains[i] = gain
		o.upd[i] = float64(momentum*o.upd[i]) - float64(lr*gain*g)
		o.y[i] += o.upd[i]
		gg := float64(gain * g) // sklearn's min_grad_norm sees the gradient times the gains
		norm += float64(gg * gg)
	}
	o.gradNormSq = norm
	o.iter++
}

// check stops the optimisation as scikit-learn's _gradient_descent does:
// after exaggeration, when the KL divergence has not reached a new minimum
// for more than cfg.NoProgress iterations, or when the gradient norm is at
// most cfg.MinGradNorm.
func (o *optimizer) check(cfg Config) {
	if o.iter > o.exagIters {
		o.converged = noProgress(o.kl, &o.best, o.iter, &o.bestIter, cfg.NoProgress)
	}
	if cfg.MinGradNorm > 0 && o.gradNormSq <= float64(cfg.MinGradNorm*cfg.MinGradNorm) {
		o.converged = true
	}
}

// noProgress records kl, measured at iteration iter, as the best so far
// when it is lower, and reports whether the best is more than limit
// iterations old (never for a negative limit).
func noProgress(kl float64, best *float64, iter int, bestIter *int, limit int) bool {
	if kl < *best {
		*best, *bestIter = kl, iter
		return false
	}
	return limit >= 0 && iter-*bestIter > limit
}

// divergence returns KL(P‖Q) at the layout and kernel sum of the last
// gradient: the rows' sums of p log(1 + d²), computed on every core, are
// added in row order.
func (o *optimizer) divergence() float64 {
	if len(o.klRow) != o.n {
		o.klRow = make([]float64, o.n)
	}
	pieces(0, o.n, forcePiece, o.klRows)
	s := 0.0
	for _, v := range o.klRow {
		s += v
	}
	return o.plogp + s + log(o.lastZ)
}

// klRows sets klRow[i] = Σ_j p_ij log(1 + |y_i - y_j|²) for rows [lo, hi).
func (o *optimizer) klRows(lo, hi int) {
	y := o.y
	for i := lo; i < hi; i++ {
		xi, yi, s := y[2*i], y[2*i+1], 0.0
		for e := o.start[i]; e < o.start[i+1]; e++ {
			j := o.col[e]
			dx, dy := xi-y[2*j], yi-y[2*j+1]
			s += float64(o.val[e] * log(1+float64(dx*dx)+float64(dy*dy)))
		}
		o.klRow[i] = s
	}
}
