package tsne

import (
	"math"
	"runtime"
	"slices"
)

// task is one phase of the preparation, cut into units processed a chunk
// per Step.
type task struct {
	units  int              // units of work (usually rows)
	chunk  int              // units per Step
	do     func(lo, hi int) // processes units [lo, hi); may be nil
	finish func()           // runs after the last unit; may be nil
	over   func() bool      // reports early completion; may be nil
}

// steps returns the number of Steps the task takes.
func (tk task) steps() int {
	if tk.units == 0 {
		return 1
	}
	return (tk.units + tk.chunk - 1) / tk.chunk
}

// chunkFor returns how many units of the given cost make one Step.
func chunkFor(cost int) int { return max(1, workUnit/max(cost, 1)) }

// preparation holds the intermediate results before optimisation.
type preparation struct {
	mean, scale []float64 // per feature: x' = (x - mean) * scale
	xt          []float64 // centred, scaled input, feature-major d×n
	cov         []float64 // covariance d×d
	v, w        []float64 // subspace basis and C·basis, d×b
	basis       []float64 // principal axes, d×pcs, columns by variance
	pcs         int       // columns of basis
	m           int       // dimensions of z
	z           []float32 // reduced input, n×m
	k           int       // neighbours per point
	once        bool      // compute each neighbour distance once (one thread)
	heaps       []nbrHeap // per point, the nearest so far (once)
	nbr         []int32   // n×k nearest neighbours
	dist        []float64 // n×k squared distances, then conditional P
	rows        [][]entry // symmetrised rows of P
	in          [][]int32 // in[j]: points i with j among their neighbours
	trees       forest    // random projection trees (approximate search)
	prevNbr     []int32   // nbr before a refinement round
}

// entry is one non-zero of a sparse row.
type entry struct {
	j int32
	v float64
}

// plan lays out the preparation tasks.
func (t *TSNE) plan() {
	n, d, p := t.n, t.d, &t.prep
	reduce := t.cfg.PCA > 0 && d > t.cfg.PCA
	p.m = d
	if reduce {
		p.m = t.cfg.PCA
	}
	switch {
	case reduce && t.cfg.Init == nil:
		p.pcs = p.m
	case reduce:
		p.pcs = p.m
	case t.cfg.Init == nil:
		p.pcs = min(2, d)
	}
	p.k = min(n-1, int(3*t.cfg.Perplexity+1))
	p.once = runtime.GOMAXPROCS(0) == 1
	t.tasks = append(t.tasks, task{units: n, chunk: chunkFor(2 * d), do: t.moments, finish: t.scales})
	if p.pcs > 0 {
		t.tasks = append(t.tasks, t.pcaTasks()...)
	}
	t.tasks = append(t.tasks, task{units: n, chunk: chunkFor(d * max(p.pcs, 1)), do: t.project, finish: t.initLayout})
	if n >= approxMin {
		t.tasks = append(t.tasks, t.approxTasks()...)
	} else {
		t.tasks = append(t.tasks, task{units: n, chunk: (chunkFor(n*p.m) + 1) &^ 1, do: t.neighbours, finish: t.incoming})
	}
	t.tasks = append(t.tasks,
		task{units: n, chunk: chunkFor(p.k * 250), do: t.calibrate},
		task{units: n, chunk: chunkFor(p.k * 200), do: t.symmetrize, finish: t.finishP},
	)
}

// moments accumulates per-feature sums of rows [lo, hi) into mean and scale.
func (t *TSNE) moments(lo, hi int) {
	p, d := &t.prep, t.d
	if p.mean == nil {
		p.mean = make([]float64, d)
		p.scale = make([]float64, d)
	}
	for i := lo; i < hi; i++ {
		row := t.x[i*d : (i+1)*d]
		for f, v := range row {
			p.mean[f] += float64(v)
			p.scale[f] += float64(float64(v) * float64(v))
		}
	}
}

// scales turns the sums into means and scale factors (1/std when
// standardising; features with zero variance get scale 1).
func (t *TSNE) scales() {
	p, n := &t.prep, float64(t.n)
	for f := range p.mean {
		mu := p.mean[f] / n
		vr := p.scale[f]/n - float64(mu*mu)
		p.mean[f] = mu
		p.scale[f] = 1
		if t.cfg.Standardize && vr > 1e-12*max(1, mu*mu) {
			p.scale[f] = 1 / math.Sqrt(vr)
		}
	}
}

// centred writes row i of the centred, scaled input into dst.
func (t *TSNE) centred(i int, dst []float64) {
	p, d := &t.prep, t.d
	for f, v := range t.x[i*d : (i+1)*d] {
		dst[f] = (float64(v) - p.mean[f]) * p.scale[f]
	}
}

// project computes z and the principal components for rows [lo, hi).
func (t *TSNE) project(lo, hi int) {
	p := &t.prep
	if p.z == nil {
		p.z = make([]float32, t.n*p.m)
		t.opt.y = make([]float64, 2*t.n)
	}
	parallel(lo, hi, 16, func(lo, hi int) {
		row := make([]float64, t.d)
		pc := make([]float64, max(p.pcs, 1))
		for i := lo; i < hi; i++ {
			t.centred(i, row)
			t.projectRow(i, row, pc)
		}
	})
}

// projectRow writes row i of z, and the start layout's principal
// components, from the centred row (pc is scratch of length pcs).
//
//go:noinline
func (t *TSNE) projectRow(i int, row, pc []float64) {
	p := &t.prep
	for c := range p.pcs {
		pc[c] = 0
	}
	for f, v := range row {
		for c, b := range p.basis[f*p.pcs : (f+1)*p.pcs] {
			pc[c] += float64(v * b)
		}
	}
	z := p.z[i*p.m : (i+1)*p.m]
	if p.m == t.d {
		for f, v := range row {
			z[f] = float32(v)
		}
	} else {
		for c := range z {
			z[c] = float32(pc[c])
		}
	}
	switch {
	case p.pcs >= 2:
		t.opt.y[2*i], t.opt.y[2*i+1] = pc[0], pc[1]
	case p.pcs == 1:
		t.opt.y[2*i] = pc[0]
	}
}

// initLayout sets the start layout: Config.Init, or the first two principal
// components scaled to a standard deviation of 1e-4 along the first.
func (t *TSNE) initLayout() {
	p := &t.prep
	p.xt, p.cov, p.v, p.w = nil, nil, nil, nil
	if t.cfg.Init != nil {
		copy(t.opt.y, t.cfg.Init)
	} else {
		s := 0.0
		for i := range t.n {
			s += float64(t.opt.y[2*i] * t.opt.y[2*i])
		}
		sd := math.Sqrt(s / float64(t.n))
		if sd == 0 {
			sd = 1
		}
		for i := range t.opt.y {
			t.opt.y[i] *= 1e-4 / sd
		}
		t.prepInit = slices.Clone(t.opt.y)
	}
	t.opt.init(t.n, t.cfg)
}

// neighbours finds the k nearest neighbours of rows [lo, hi) in z,
// two rows against two at a time: with one thread each pair once (see
// neighboursOnce), else each row against all.
func (t *TSNE) neighbours(lo, hi int) {
	p, n, m, k := &t.prep, t.n, t.prep.m, t.prep.k
	if p.nbr == nil {
		p.nbr = make([]int32, n*k)
		p.dist = make([]float64, n*k)
	}
	row := func(i int) []float32 { return p.z[min(i, n-1)*m : (min(i, n-1)+1)*m] }
	if p.once {
		t.neighboursOnce(lo, hi, row)
		return
	}
	parallel(lo, hi, 8, func(lo, hi int) {
		h0, h1 := make(nbrHeap, 0, k), make(nbrHeap, 0, k)
		for i := lo; i < hi; i += 2 {
			h0, h1 = h0[:0], h1[:0]
			i1 := min(i+1, hi-1)
			zi0, zi1 := row(i), row(i1)
			for j := 0; j < n; j += 2 {
				d00, d01, d10, d11 := sqdist2x2(zi0, zi1, row(j), row(j+1))
				h0.offerOther(i, j, d00, k)
				h1.offerOther(i1, j, d10, k)
				if j+1 < n {
					h0.offerOther(i, j+1, d01, k)
					h1.offerOther(i1, j+1, d11, k)
				}
			}
			p.keep(i, h0)
			p.keep(i1, h1)
		}
	})
}

// neighboursOnce does the work of neighbours for rows [lo, hi) (lo even)
// computing each distance once, for both points of the pair: the
// distances of rows i and i+1 to all rows after them, the earlier ones
// having been offered by earlier rows. Squared differences are symmetric
// and summed in the same order, so the result equals that of neighbours.
func (t *TSNE) neighboursOnce(lo, hi int, row func(int) []float32) {
	p, n, k := &t.prep, t.n, t.prep.k
	if p.heaps == nil {
		p.heaps = make([]nbrHeap, n)
		for i := range p.heaps {
			p.heaps[i] = make(nbrHeap, 0, k)
		}
	}
	offer := func(a, b int, d float32) {
		if a < b && b < n {
			p.heaps[a].offer(cand{d, int32(b)}, k)
			p.heaps[b].offer(cand{d, int32(a)}, k)
		}
	}
	for i := lo; i < hi; i += 2 {
		zi0, zi1 := row(i), row(i+1)
		for j := i; j < n; j += 2 {
			d00, d01, d10, d11 := sqdist2x2(zi0, zi1, row(j), row(j+1))
			offer(i, j, d00)
			offer(i, j+1, d01)
			offer(i+1, j, d10)
			offer(i+1, j+1, d11)
		}
		for _, r := range []int{i, i + 1} {
			if r < n {
				p.keep(r, p.heaps[r])
				p.heaps[r] = nil
			}
		}
	}
}

// offerOther offers point j at squared distance d as a neighbour of i.
func (h *nbrHeap) offerOther(i, j int, d float32, k int) {
	if i != j {
		h.offer(cand{d, int32(j)}, k)
	}
}

// keep stores the neighbours in h as row i of nbr and dist, nearest first.
func (p *preparation) keep(i int, h nbrHeap) {
	slices.SortFunc(h, func(a, b cand) int { return a.compare(b) })
	for a, c := range h {
		p.nbr[i*p.k+a] = c.j
		p.dist[i*p.k+a] = float64(c.d)
	}
}

// sqdist2x2 returns the squared Euclidean distances of a0 and a1 to b0
// and b1 (out of line, see dot2x2).
//
//go:noinline
func sqdist2x2(a0, a1, b0, b1 []float32) (d00, d01, d10, d11 float32) {
	a1, b0, b1 = a1[:len(a0)], b0[:len(a0)], b1[:len(a0)]
	for c, x0 := range a0 {
		x1, y0, y1 := a1[c], b0[c], b1[c]
		e00, e01, e10, e11 := x0-y0, x0-y1, x1-y0, x1-y1
		d00 += float32(e00 * e00)
		d01 += float32(e01 * e01)
		d10 += float32(e10 * e10)
		d11 += float32(e11 * e11)
	}
	return d00, d01, d10, d11
}

// cand is a neighbour candidate.
type cand struct {
	d float32
	j int32
}

// compare orders candidates by distance, then index.
func (a cand) compare(b cand) int {
	switch {
	case a.d < b.d:
		return -1
	case a.d > b.d:
		return 1
	}
	return int(a.j - b.j)
}

// nbrHeap is a max-heap of the best candidates so far.
type nbrHeap []cand

// offer adds c if fewer than k candidates are held or c beats the worst.
func (h *nbrHeap) offer(c cand, k int) {
	s := *h
	if len(s) < k {
		s = append(s, c)
		for i := len(s) - 1; i > 0; {
			up := (i - 1) / 2
			if s[up].compare(s[i]) >= 0 {
				break
			}
			s[up], s[i] = s[i], s[up]
			i = up
		}
		*h = s
		return
	}
	if c.compare(s[0]) >= 0 {
		return
	}
	s[0] = c
	for i := 0; ; {
		l, big := 2*i+1, i
		if l < len(s) && s[l].compare(s[big]) > 0 {
			big = l
		}
		if r := l + 1; r < len(s) && s[r].compare(s[big]) > 0 {
			big = r
		}
		if big == i {
			return
		}
		s[i], s[big] = s[big], s[i]
		i = big
	}
}

// incoming lists, for every point, the points that have it as a neighbour.
func (t *TSNE) incoming() {
	p, k := &t.prep, t.prep.k
	p.in = make([][]int32, t.n)
	for i := range t.n {
		for _, j := range p.nbr[i*k : (i+1)*k] {
			p.in[j] = append(p.in[j], int32(i))
		}
	}
}

// calibrate turns the squared distances of rows [lo, hi) into conditional
// probabilities p(j|i) whose entropy is log(perplexity).
func (t *TSNE) calibrate(lo, hi int) {
	p, k := &t.prep, t.prep.k
	parallel(lo, hi, 32, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			calibrateRow(p.dist[i*k:(i+1)*k], t.cfg.Perplexity)
		}
	})
}

// calibrateRow replaces the squared distances in row by conditional
// probabilities exp(-β d) / Σ exp(-β d), with β found so the entropy is
// log(perplexity) within 1e-5 (scikit-learn's tolerance): Newton steps on
// H(β), dH/dβ = -β Var(d), kept inside a bisection bracket.
func calibrateRow(row []float64, perplexity float64) {
	const (
		tol     = 1e-5
		steps   = 200
		maxBeta = 1e300 // finite: 0·β must stay 0
	)
	want := log(perplexity)
	d0 := row[0]
	for _, v := range row {
		d0 = min(d0, v)
	}
	beta, lo, hi := 1.0, 0.0, math.Inf(1)
	if span := row[len(row)-1] - d0; span > 0 {
		beta = 1 / span
	}
	for range steps {
		sum, s1, s2 := 0.0, 0.0, 0.0
		for _, v := range row {
			dv := v - d0
			e := exp(-dv * beta)
			sum += e
			s1 += float64(dv * e)
			s2 += float64(dv * dv * e)
		}
		m1 := s1 / sum
		diff := log(sum) + float64(beta*m1) - want
		if math.Abs(diff) <= tol {
			break
		}
		if diff > 0 {
			if beta >= maxBeta {
				break // more than perplexity points at the nearest distance
			}
			lo = beta
		} else {
			hi = beta
		}
		next := beta + diff/(beta*(s2/sum-float64(m1*m1)))
		if !(next > lo && next < hi) {
			next = (lo + hi) / 2
			if math.IsInf(hi, 1) {
				next = 2 * beta
			}
		}
		beta = min(next, maxBeta)
	}
	sum := 0.0
	for a, v := range row {
		row[a] = exp(-(v - d0) * beta)
		sum += row[a]
	}
	for a := range row {
		row[a] /= sum
	}
}

// symmetrize builds rows [lo, hi) of P = p(j|i) + p(i|j) (normalised
// later): the neighbours of i, then the points having i as a neighbour.
func (t *TSNE) symmetrize(lo, hi int) {
	p, k := &t.prep, t.prep.k
	if p.rows == nil {
		p.rows = make([][]entry, t.n)
	}
	parallel(lo, hi, 32, func(lo, hi int) {
		slot := make([]int32, t.n) // slot[j] - 1: position of j in the row
		for i := lo; i < hi; i++ {
			r := make([]entry, 0, k+len(p.in[i]))
			for a, j := range p.nbr[i*k : (i+1)*k] {
				slot[j] = int32(len(r) + 1)
				r = append(r, entry{j, p.dist[i*k+a]})
			}
			for _, j := range p.in[i] {
				a := slices.Index(p.nbr[int(j)*k:(int(j)+1)*k], int32(i))
				v := p.dist[int(j)*k+a]
				if s := slot[j]; s > 0 {
					r[s-1].v += v
				} else {
					r = append(r, entry{j, v})
				}
			}
			for _, e := range r {
				slot[e.j] = 0
			}
			p.rows[i] = r
		}
	})
}

// finishP packs the symmetric rows into the optimiser's sparse P,
// normalised to sum 1, and frees the preparation.
func (t *TSNE) finishP() {
	p, o := &t.prep, &t.opt
	o.start = make([]int32, t.n+1)
	total := 0.0
	for i, r := range p.rows {
		o.start[i+1] = o.start[i] + int32(len(r))
		for _, e := range r {
			total += e.v
		}
	}
	o.col = make([]int32, 0, o.start[t.n])
	o.val = make([]float64, 0, o.start[t.n])
	o.plogp = 0
	for _, r := range p.rows {
		for _, e := range r {
			v := e.v / total
			o.col = append(o.col, e.j)
			o.val = append(o.val, v)
			if v > 0 {
				o.plogp += float64(v * log(v))
			}
		}
	}
	t.prep = preparation{}
}

// uniform fills v with uniform values in [-1, 1) from seed (SplitMix64:
// plain 64-bit arithmetic, cheap also in wasm).
func uniform(v []float64, seed int64) {
	x := uint64(seed)
	for i := range v {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		z ^= z >> 31
		v[i] = float64(z>>11)/(1<<52) - 1
	}
}
