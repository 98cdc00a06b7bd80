package neurons

// builder grows extremely randomized trees; it owns the scratch memory of
// one goroutine so that growing a tree allocates only its node slice.
type builder struct {
	cols  []float32 // column-major features, d×n
	lab   []uint8   // 1 for positive samples
	n, d  int
	cfg   ForestConfig
	idx   []int32 // sample indices, partitioned in place node by node
	feat  []int32 // feature permutation for candidate draws
	known []int32 // constant features known from ancestors, in order
	vals  []float32
	labs  []uint8
	stack []pending
	rng   rng
}

// pending is a node waiting to be grown: samples idx[start:end], pos of them
// positive, the first consts features of feat constant in it, to be linked
// from parent (−1 for the root).
type pending struct {
	start, end, pos, depth, parent, consts int32
	left                                   bool
}

// split is a candidate split of a node.
type split struct {
	feature   int32
	threshold float32
	nl, pl    int32   // samples and positives going left
	score     float64 // Σ over children of pos·neg/count (lower is better)
}

func newBuilder(cols []float32, lab []uint8, n, d int, cfg ForestConfig) *builder {
	return &builder{cols: cols, lab: lab, n: n, d: d, cfg: cfg,
		idx: make([]int32, n), feat: make([]int32, d), known: make([]int32, d),
		vals: make([]float32, n), labs: make([]uint8, n)}
}

// grow builds tree number t, adding its unnormalised Gini importances into
// imp, and returns its nodes.
func (b *builder) grow(t uint64, imp []float64) []node {
	b.rng = newRNG(b.cfg.Seed, t)
	pos := int32(0)
	for i := range b.idx {
		b.idx[i] = int32(i)
		pos += int32(b.lab[i])
	}
	for j := range b.feat {
		b.feat[j] = int32(j)
	}
	var nodes []node
	b.stack = append(b.stack[:0], pending{end: int32(b.n), pos: pos, parent: -1})
	for len(b.stack) > 0 {
		p := b.stack[len(b.stack)-1]
		b.stack = b.stack[:len(b.stack)-1]
		k := int32(len(nodes))
		if p.parent >= 0 {
			if p.left {
				nodes[p.parent].left = k
			} else {
				nodes[p.parent].right = k
			}
		}
		m := p.end - p.start
		nd := node{feature: -1, p: float32(p.pos) / float32(m)}
		if m >= 2 && p.pos > 0 && p.pos < m && int(p.depth) < b.cfg.MaxDepth {
			if s, ok := b.bestSplit(&p); ok {
				nd.feature, nd.threshold = s.feature, s.threshold
				imp[s.feature] += 2 * (gini(p.pos, m) - s.score)
				b.partition(p.start, p.end, s)
				mid := p.start + s.nl
				b.stack = append(b.stack,
					pending{start: mid, end: p.end, pos: p.pos - s.pl, depth: p.depth + 1, parent: k, consts: p.consts},
					pending{start: p.start, end: mid, pos: s.pl, depth: p.depth + 1, parent: k, consts: p.consts, left: true})
			}
		}
		nodes = append(nodes, nd)
	}
	return nodes
}

// gini returns count·(Gini impurity)/2 = pos·neg/count of a binary node.
func gini(pos, count int32) float64 {
	return float64(pos) * float64(count-pos) / float64(count)
}

// bestSplit draws candidate features without replacement until it has
// MaxFeatures that are not constant in the node (Geurts et al.'s rule;
// scikit-learn counts the constant ones drawn too) or runs out, draws a
// uniform threshold in each one's range and keeps the split of lowest
// weighted Gini impurity. It reports false when every feature is constant.
//
// Like scikit-learn, it skips features known to be constant in an ancestor:
// feat[:p.consts] holds them on entry and, on return, also those found
// constant here, with p.consts updated for the children.
func (b *builder) bestSplit(p *pending) (split, bool) {
	ids := b.idx[p.start:p.end]
	m := len(ids)
	labs := b.labs[:m]
	for i, s := range ids {
		labs[i] = b.lab[s]
	}
	best := split{feature: -1}
	known, total := int(p.consts), int(p.consts)
	found, drawn, tried := 0, 0, 0
	for f := b.d; f > total && tried < b.cfg.MaxFeatures; {
		j := drawn + b.rng.intn(f-found-drawn)
		if j < known {
			b.feat[drawn], b.feat[j] = b.feat[j], b.feat[drawn]
			drawn++
			continue
		}
		j += found
		lo, hi := b.gather(b.feat[j], ids)
		if hi <= lo+featureThreshold {
			b.feat[j], b.feat[total] = b.feat[total], b.feat[j]
			found++
			total++
			continue
		}
		f--
		tried++
		b.feat[f], b.feat[j] = b.feat[j], b.feat[f]
		// In float64: hi − lo can overflow float32.
		thr := float32(float64(lo) + float64(b.rng.float32())*(float64(hi)-float64(lo)))
		if thr >= hi {
			thr = lo
		}
		nl, pl := countLeft(b.vals[:m], labs, thr)
		score := gini(pl, nl) + gini(p.pos-pl, int32(m)-nl)
		if best.feature < 0 || score < best.score {
			best = split{feature: b.feat[f], threshold: thr, nl: nl, pl: pl, score: score}
		}
	}
	copy(b.feat[:known], b.known[:known])
	copy(b.known[known:total], b.feat[known:total])
	p.consts = int32(total)
	return best, best.feature >= 0
}

// gather copies feature f of the samples ids into vals and returns its
// range. (Comparisons, not the min and max builtins: with their NaN rules
// those are several times slower under js/wasm.)
func (b *builder) gather(f int32, ids []int32) (lo, hi float32) {
	col := b.cols[int(f)*b.n : (int(f)+1)*b.n]
	vals := b.vals[:len(ids)]
	lo, hi = col[ids[0]], col[ids[0]]
	for i, s := range ids {
		v := col[s]
		vals[i] = v
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	return lo, hi
}

// countLeft counts the samples with vals ≤ thr and the positives among them.
func countLeft(vals []float32, labs []uint8, thr float32) (n, pos int32) {
	labs = labs[:len(vals)]
	for i, v := range vals {
		// Branch-free: thresholds are random, a branch would mispredict.
		var l int32
		if v <= thr {
			l = 1
		}
		n += l
		pos += l & int32(labs[i])
	}
	return n, pos
}

// partition reorders idx[start:end] so that the samples going left of s come
// first.
func (b *builder) partition(start, end int32, s split) {
	col := b.cols[int(s.feature)*b.n : (int(s.feature)+1)*b.n]
	i, j := start, end-1
	for i <= j {
		if col[b.idx[i]] <= s.threshold {
			i++
		} else {
			b.idx[i], b.idx[j] = b.idx[j], b.idx[i]
			j--
		}
	}
}

// rng is a small, fast xorshift64* generator; one per tree, seeded from the
// forest seed and the tree number so results do not depend on scheduling.
type rng struct{ s uint64 }

func newRNG(seed int64, stream uint64) rng {
	z := uint64(seed) + (stream+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	if z == 0 {
		z = 1
	}
	return rng{z}
}

func (r *rng) next() uint64 {
	r.s ^= r.s >> 12
	r.s ^= r.s << 25
	r.s ^= r.s >> 27
	return r.s * 2685821657736338717
}

// intn returns a uniform integer in [0, n) for 0 < n < 2³².
func (r *rng) intn(n int) int {
	return int((r.next() >> 32) * uint64(n) >> 32)
}

// float32 returns a uniform float in [0, 1).
func (r *rng) float32() float32 {
	return float32(r.next()>>40) / (1 << 24)
}
