package tsne

// leafSize is the most points a quadtree leaf holds.
const leafSize = 8

// maxDepth bounds the quadtree depth (coincident points share a leaf).
const maxDepth = 40

// quadtree is a Barnes-Hut quadtree over a 2-D layout, rebuilt every
// iteration into reused memory.
type quadtree struct {
	nodes []qnode
	idx   []int32   // point indices, each node's points contiguous
	pos   []float64 // positions in idx order, x, y interleaved
	tmp   []int32
}

// qnode is a quadtree cell.
type qnode struct {
	cx, cy float64 // centre of mass
	w2     float64 // squared side of the cell
	count  float64
	lo, hi int32 // points in idx[lo:hi]
	child  int32 // first of 4 consecutive children; 0 for a leaf
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
	q.nodes = append(q.nodes, qnode{lo: 0, hi: int32(n)})
	q.split(0, y, x0, y0, side, 0)
	for k, i := range q.idx {
		q.pos[2*k], q.pos[2*k+1] = y[2*i], y[2*i+1]
	}
}

// split fills in node a covering the square at (x0, y0) with the given
// side, and recursively its children.
func (q *quadtree) split(a int, y []float64, x0, y0, side float64, depth int) {
	nd := &q.nodes[a]
	lo, hi := int(nd.lo), int(nd.hi)
	var sx, sy float64
	for _, i := range q.idx[lo:hi] {
		sx += y[2*i]
		sy += y[2*i+1]
	}
	c := float64(hi - lo)
	nd.count, nd.w2 = c, side*side
	if c > 0 {
		nd.cx, nd.cy = sx/c, sy/c
	}
	if hi-lo <= leafSize || depth >= maxDepth {
		return
	}
	h := side / 2
	mx, my := x0+h, y0+h
	var cnt [4]int
	quad := func(i int32) int {
		k := 0
		if y[2*i] >= mx {
			k = 1
		}
		if y[2*i+1] >= my {
			k += 2
		}
		return k
	}
	for _, i := range q.idx[lo:hi] {
		cnt[quad(i)]++
	}
	var off [4]int
	off[0] = lo
	for k := 1; k < 4; k++ {
		off[k] = off[k-1] + cnt[k-1]
	}
	starts := off
	for _, i := range q.idx[lo:hi] {
		k := quad(i)
		q.tmp[off[k]] = i
		off[k]++
	}
	copy(q.idx[lo:hi], q.tmp[lo:hi])
	first := len(q.nodes)
	q.nodes[a].child = int32(first)
	for k := range 4 {
		q.nodes = append(q.nodes, qnode{lo: int32(starts[k]), hi: int32(starts[k] + cnt[k])})
	}
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
		q.split(first+k, y, cx, cy, h, depth+1)
	}
}

// repel returns the Barnes-Hut estimates of Σ_j w² (p - y_j) and Σ_j w,
// w = 1/(1 + |p - y_j|²), over all points j ≠ self; a cell is summarised by
// its centre of mass when its squared side is below theta2 times the
// squared distance.
func (q *quadtree) repel(self int, px, py, theta2 float64) (fx, fy, z float64) {
	var buf [4 * maxDepth]int32
	stack := append(buf[:0], 0)
	for len(stack) > 0 {
		a := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		nd := &q.nodes[a]
		if nd.count == 0 {
			continue
		}
		dx, dy := px-nd.cx, py-nd.cy
		d2 := dx*dx + dy*dy
		switch {
		case nd.w2 < theta2*d2:
			w := 1 / (1 + d2)
			cw := nd.count * w
			z += cw
			cw *= w
			fx += cw * dx
			fy += cw * dy
		case nd.child == 0:
			lfx, lfy, lz := q.leaf(self, px, py, int(nd.lo), int(nd.hi))
			fx += lfx
			fy += lfy
			z += lz
		default:
			c := nd.child
			stack = append(stack, c+3, c+2, c+1, c)
		}
	}
	return fx, fy, z
}

// leaf sums the exact contributions of the points in idx[lo:hi] but self.
func (q *quadtree) leaf(self int, px, py float64, lo, hi int) (fx, fy, z float64) {
	for k := lo; k < hi; k++ {
		if int(q.idx[k]) == self {
			continue
		}
		dx, dy := px-q.pos[2*k], py-q.pos[2*k+1]
		w := 1 / (1 + dx*dx + dy*dy)
		z += w
		w *= w
		fx += w * dx
		fy += w * dy
	}
	return fx, fy, z
}
