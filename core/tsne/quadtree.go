package tsne

// leafSize is the most points a quadtree leaf holds.
const leafSize = 2

// maxDepth bounds the quadtree depth (coincident points share a leaf).
const maxDepth = 40

// quadtree is a Barnes-Hut quadtree over a 2-D layout, rebuilt every
// iteration into reused memory. Its non-empty nodes are stored in
// depth-first order, each with the index just past its subtree, so a
// traversal needs no stack: descend to i+1, or skip to next.
type quadtree struct {
	nodes []qnode
	idx   []int32   // point indices, each node's points contiguous
	pos   []float64 // positions in idx order, x, y interleaved
	tmp   []int32
}

// qnode is a non-empty quadtree cell.
type qnode struct {
	cx, cy float64 // centre of mass
	w2     float64 // squared side of the cell; 0 for a leaf
	count  float64
	lo, hi int32 // points in idx[lo:hi]
	next   int32 // index of the node after this subtree
	leaf   bool
}

// build rebuilds the tree over the layout y.
func (q *quadtree) build(y []float64) {
	n := len(y) / 2
	if cap(q.idx) < n {
		q.idx = make([]int32, n)
		q.tmp = make([]int32, n)
		q.pos = make([]float64, 2*n)
	}
	q.idx, q.tmp, q.pos = q.idx[:n], q.tmp[:n], q.pos[:2*n]
	x0, y0, x1, y1 := y[0], y[1], y[0], y[1]
	for i := range n {
		q.idx[i] = int32(i)
		x0, x1 = min(x0, y[2*i]), max(x1, y[2*i])
		y0, y1 = min(y0, y[2*i+1]), max(y1, y[2*i+1])
	}
	side := max(x1-x0, y1-y0) * (1 + 1e-9)
	if side == 0 {
		side = 1
	}
	q.nodes = q.nodes[:0]
	q.split(0, n, y, x0, y0, side, 0)
	for k, i := range q.idx {
		q.pos[2*k], q.pos[2*k+1] = y[2*i], y[2*i+1]
	}
}

// split appends the node holding idx[lo:hi] in the square at (x0, y0) with
// the given side, then its subtree, and returns the sums of its points'
// coordinates.
func (q *quadtree) split(lo, hi int, y []float64, x0, y0, side float64, depth int) (sx, sy float64) {
	a := len(q.nodes)
	c := float64(hi - lo)
	q.nodes = append(q.nodes, qnode{w2: side * side, count: c, lo: int32(lo), hi: int32(hi)})
	if hi-lo <= leafSize || depth >= maxDepth {
		for _, i := range q.idx[lo:hi] {
			sx += y[2*i]
			sy += y[2*i+1]
		}
		nd := &q.nodes[a]
		nd.cx, nd.cy, nd.leaf, nd.next = sx/c, sy/c, true, int32(a+1)
		return sx, sy
	}
	h := float64(side / 2)
	mx, my := x0+h, y0+h
	var cnt, off [4]int
	for _, i := range q.idx[lo:hi] {
		cnt[quadrant(y, i, mx, my)]++
	}
	off[0] = lo
	for k := 1; k < 4; k++ {
		off[k] = off[k-1] + cnt[k-1]
	}
	starts := off
	for _, i := range q.idx[lo:hi] {
		k := quadrant(y, i, mx, my)
		q.tmp[off[k]] = i
		off[k]++
	}
	copy(q.idx[lo:hi], q.tmp[lo:hi])
	for k := range 4 {
		if cnt[k] == 0 {
			continue
		}
		cx, cy := x0, y0
		if k&1 != 0 {
			cx = mx
		}
		if k&2 != 0 {
			cy = my
		}
		kx, ky := q.split(starts[k], starts[k]+cnt[k], y, cx, cy, h, depth+1)
		sx += kx
		sy += ky
	}
	nd := &q.nodes[a]
	nd.cx, nd.cy, nd.next = sx/c, sy/c, int32(len(q.nodes))
	return sx, sy
}

// quadrant returns which quarter (0..3, x then y bit) of the cell split at
// (mx, my) holds point i.
func quadrant(y []float64, i int32, mx, my float64) int {
	k := 0
	if y[2*i] >= mx {
		k = 1
	}
	if y[2*i+1] >= my {
		k += 2
	}
	return k
}

// repel returns the Barnes-Hut estimates of Σ_j w² (p - y_j) and Σ_j w,
// w = 1/(1 + |p - y_j|²), over all points j but the one at position self
// of the tree's order (idx); a cell is summarised by
// its centre of mass when its squared side is below theta2 times the
// squared distance. (The leaf loop is written out: calls are dear in wasm.)
func (q *quadtree) repel(self int, px, py, theta2 float64) (fx, fy, z float64) {
	nodes := q.nodes
	for a := 0; a < len(nodes); {
		nd := &nodes[a]
		dx, dy := px-nd.cx, py-nd.cy
		d2 := float64(dx*dx) + float64(dy*dy)
		switch {
		case nd.w2 < theta2*d2:
			w := 1 / (1 + d2)
			cw := float64(nd.count * w)
			z += cw
			cw *= w
			fx += float64(cw * dx)
			fy += float64(cw * dy)
		case nd.leaf:
			for k := nd.lo; k < nd.hi; k++ {
				if int(k) == self {
					continue
				}
				dx, dy := px-q.pos[2*k], py-q.pos[2*k+1]
				w := 1 / (1 + float64(dx*dx) + float64(dy*dy))
				z += w
				w *= w
				fx += float64(w * dx)
				fy += float64(w * dy)
			}
		default:
			a++
			continue
		}
		a = int(nd.next)
	}
	return fx, fy, z
}
