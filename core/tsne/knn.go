package tsne

// Approximate nearest neighbours for large inputs: a forest of random
// projection trees (Annoy-style splits by the hyperplane halfway between
// two random points of a node) proposes as candidates the members of each
// point's leaf in every tree; then rounds of neighbour-of-neighbour
// refinement (the local join of NN-descent) offer each point the
// neighbours of its nearest neighbours. The trees are built one after the
// other from the seed, and every row is then computed from the previous
// round's rows alone, so rows can be split over any number of goroutines
// and the result only depends on the seed.

// approxMin is the smallest n for which the neighbours are approximate.
const approxMin = 8192

// Parameters of the approximate search, chosen for recall ≥ 0.99 of the
// 3·perplexity+1 nearest neighbours on MNIST (TestApproxRecall).
const (
	forestTrees  = 8  // random projection trees
	refineRounds = 3  // neighbour-of-neighbour rounds
	refineFan    = 12 // nearest neighbours whose lists are offered
)

// forest holds, for every tree, a permutation of the points in which each
// leaf is contiguous, and each point's leaf as a range of it.
type forest struct {
	perm   [][]int32
	lo, hi [][]int32
}

// leafMax returns the most points a leaf holds for k neighbours.
func leafMax(k int) int { return max(2*k, 32) }

// plantTree builds tree number tr of the forest over the rows of z (n×m).
func (f *forest) plantTree(tr int, z []float32, n, m, k int, seed int64) {
	perm := make([]int32, n)
	for i := range perm {
		perm[i] = int32(i)
	}
	f.perm[tr], f.lo[tr], f.hi[tr] = perm, make([]int32, n), make([]int32, n)
	rng := uint64(seed)*0x9e3779b97f4a7c15 + uint64(tr+1)*0xbf58476d1ce4e5b9
	normal := make([]float64, m)
	f.split(tr, z, m, 0, n, leafMax(k), &rng, normal)
}

// split partitions perm[lo:hi] of tree tr by a random hyperplane and
// recurses, down to leaves of at most leaf points.
func (f *forest) split(tr int, z []float32, m, lo, hi, leaf int, rng *uint64, normal []float64) {
	perm := f.perm[tr]
	if hi-lo <= leaf {
		for _, i := range perm[lo:hi] {
			f.lo[tr][i], f.hi[tr][i] = int32(lo), int32(hi)
		}
		return
	}
	size := uint64(hi - lo)
	a := perm[lo+int(next(rng)%size)]
	b := perm[lo+int(next(rng)%size)]
	za, zb := z[int(a)*m:int(a+1)*m], z[int(b)*m:int(b+1)*m]
	offset := 0.0
	for c := range normal {
		normal[c] = float64(za[c]) - float64(zb[c])
		offset += float64(normal[c] * (float64(za[c]) + float64(zb[c])) / 2)
	}
	l, r := lo, hi
	for l < r {
		zi := z[int(perm[l])*m : int(perm[l]+1)*m]
		s := -offset
		for c, v := range zi {
			s += float64(normal[c] * float64(v))
		}
		if s > 0 {
			r--
			perm[l], perm[r] = perm[r], perm[l]
		} else {
			l++
		}
	}
	if l == lo || l == hi { // no split (e.g. equal points): halve
		l = (lo + hi) / 2
	}
	f.split(tr, z, m, lo, l, leaf, rng, normal)
	f.split(tr, z, m, l, hi, leaf, rng, normal)
}

// next advances a SplitMix64 state and returns its next value.
func next(x *uint64) uint64 {
	*x += 0x9e3779b97f4a7c15
	z := *x
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// sqdist returns the squared Euclidean distance of a and b, summed in the
// order of sqdist2x2 so both give the same value.
func sqdist(a, b []float32) float32 {
	b = b[:len(a)]
	var d float32
	for c, x := range a {
		e := x - b[c]
		d += float32(e * e)
	}
	return d
}

// knnScratch is one goroutine's scratch space for candidate rows.
type knnScratch struct {
	heap nbrHeap
	seen []int32 // seen[j] == i+1: j was offered to row i
}

func newScratch(n, k int) *knnScratch {
	return &knnScratch{heap: make(nbrHeap, 0, k), seen: make([]int32, n)}
}

// offer offers j as a neighbour of row i unless it is i or was offered.
func (s *knnScratch) offer(p *preparation, i int, j int32, zi []float32) {
	if int(j) == i || s.seen[j] == int32(i+1) {
		return
	}
	s.seen[j] = int32(i + 1)
	m := p.m
	s.heap.offer(cand{sqdist(zi, p.z[int(j)*m:int(j+1)*m]), j}, p.k)
}

// forestRows finds the neighbours of rows [lo, hi) among the members of
// their leaves in every tree.
func (p *preparation) forestRows(lo, hi int) {
	parallel(lo, hi, 8, func(lo, hi int) {
		s := newScratch(len(p.z)/p.m, p.k)
		for i := lo; i < hi; i++ {
			s.heap = s.heap[:0]
			zi := p.z[i*p.m : (i+1)*p.m]
			for tr := range p.trees.perm {
				for _, j := range p.trees.perm[tr][p.trees.lo[tr][i]:p.trees.hi[tr][i]] {
					s.offer(p, i, j, zi)
				}
			}
			p.keep(i, s.heap)
		}
	})
}

// refineRows improves rows [lo, hi) of the neighbours: each row's new
// neighbours are the best among its current ones and the current
// neighbours of its refineFan nearest, read from p.prevNbr.
func (p *preparation) refineRows(lo, hi int) {
	k := p.k
	parallel(lo, hi, 8, func(lo, hi int) {
		s := newScratch(len(p.z)/p.m, k)
		for i := lo; i < hi; i++ {
			s.heap = s.heap[:0]
			zi := p.z[i*p.m : (i+1)*p.m]
			row := p.prevNbr[i*k : (i+1)*k]
			for _, j := range row {
				s.offer(p, i, j, zi)
			}
			for _, j := range row[:min(refineFan, k)] {
				for _, l := range p.prevNbr[int(j)*k : int(j+1)*k] {
					s.offer(p, i, l, zi)
				}
			}
			p.keep(i, s.heap)
		}
	})
}

// approxTasks returns the tasks of the approximate neighbour search.
func (t *TSNE) approxTasks() []task {
	p, n := &t.prep, t.n
	tasks := []task{{units: forestTrees, chunk: 1, do: func(lo, hi int) {
		if p.trees.perm == nil {
			p.nbr = make([]int32, n*p.k)
			p.dist = make([]float64, n*p.k)
			p.trees = forest{perm: make([][]int32, forestTrees), lo: make([][]int32, forestTrees), hi: make([][]int32, forestTrees)}
		}
		for tr := lo; tr < hi; tr++ {
			p.trees.plantTree(tr, p.z, n, p.m, p.k, t.cfg.Seed)
		}
	}}, {units: n, chunk: chunkFor(forestTrees * leafMax(p.k) * p.m), do: p.forestRows, finish: func() { p.trees = forest{} }}}
	for range refineRounds {
		tasks = append(tasks, task{units: n, chunk: chunkFor((refineFan + 1) * p.k * p.m), do: func(lo, hi int) {
			if lo == 0 {
				p.prevNbr = append(p.prevNbr[:0], p.nbr...)
			}
			p.refineRows(lo, hi)
		}})
	}
	tasks[len(tasks)-1].finish = func() { p.prevNbr = nil; t.incoming() }
	return tasks
}
