package tsne

import "runtime"

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
	tmp   []int32   // scratch for idx while splitting
	quad  []uint8   // scratch: each point's quarter while splitting
	y     []float64 // the layout of the last build
	cells []qcell   // the top cells of a concurrent build, depth first
}

// qnode is a non-empty quadtree cell.
type qnode struct {
	cx, cy float64 // centre of mass
	w2     float64 // squared side of the cell
	count  float64
	lo, hi int32 // points in idx[lo:hi]
	next   int32 // index of the node after this subtree
	leaf   bool
}

// qcell is a cell of the top topLevels levels of a concurrent build: split
// there, or the root of a subtree built apart.
type qcell struct {
	lo, hi       int     // its points
	x0, y0, side float64 // its square
	kids         int     // non-empty quarters when split there; -1 for a subtree
	nodes        []qnode // a subtree's nodes, next counted from 0
	sx, sy       float64 // a subtree's sums of coordinates
}

// Concurrent builds: the top topLevels levels are split first, then the
// subtrees below them (up to 4^topLevels) built on every goroutine, then
// joined; from concurrentMin points, with more than one goroutine.
const (
	topLevels     = 2
	concurrentMin = 2048
)

// build rebuilds the tree over the layout y.
func (q *quadtree) build(y []float64) {
	q.grow(y, concurrentBuild(len(y)/2))
}

// concurrentBuild reports whether the tree over n points is built
// concurrently.
func concurrentBuild(n int) bool {
	return n >= concurrentMin && runtime.GOMAXPROCS(0) > 1
}

// grow rebuilds the tree over y, concurrently or not: the trees are the
// same.
func (q *quadtree) grow(y []float64, concurrent bool) {
	n := len(y) / 2
	if cap(q.idx) < n {
		q.idx, q.tmp, q.pos, q.quad = make([]int32, n), make([]int32, n), make([]float64, 2*n), make([]uint8, n)
	}
	q.idx, q.tmp, q.pos, q.quad, q.y = q.idx[:n], q.tmp[:n], q.pos[:2*n], q.quad[:n], y
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
	if !concurrent {
		g := grower{q, q.nodes[:0]}
		g.split(0, n, x0, y0, side, 0)
		q.nodes = g.nodes
		return
	}
	q.cells = q.cells[:0]
	q.top(0, n, x0, y0, side, 0)
	each(len(q.cells), func(c int) {
		if cl := &q.cells[c]; cl.kids < 0 {
			g := grower{q, cl.nodes[:0]}
			cl.sx, cl.sy = g.split(cl.lo, cl.hi, cl.x0, cl.y0, cl.side, topLevels)
			cl.nodes = g.nodes
		}
	})
	q.nodes = q.nodes[:0]
	c := 0
	q.join(&c)
}

// top splits the cell of points [lo, hi) and its quarters down to
// topLevels levels, listing them in q.cells depth first.
func (q *quadtree) top(lo, hi int, x0, y0, side float64, depth int) {
	c := len(q.cells)
	var reuse []qnode // the nodes of the last build's cell c
	if c < cap(q.cells) {
		reuse = q.cells[:c+1][c].nodes
	}
	q.cells = append(q.cells, qcell{lo: lo, hi: hi, x0: x0, y0: y0, side: side, kids: -1, nodes: reuse})
	if depth >= topLevels || hi-lo <= leafSize {
		return
	}
	h := float64(side / 2)
	starts, cnt := q.partition(lo, hi, x0+h, y0+h)
	kids := 0
	for k := range 4 {
		if cnt[k] > 0 {
			cx, cy := quarter(k, x0, y0, h)
			q.top(starts[k], starts[k]+cnt[k], cx, cy, h, depth+1)
			kids++
		}
	}
	q.cells[c].kids = kids
}

// join appends the nodes of cell *c, and of its subtree, to q.nodes,
// advancing *c past them; it returns the sums of the cell's coordinates.
func (q *quadtree) join(c *int) (sx, sy float64) {
	cl := &q.cells[*c]
	*c++
	if cl.kids < 0 {
		base := int32(len(q.nodes))
		for _, nd := range cl.nodes {
			nd.next += base
			q.nodes = append(q.nodes, nd)
		}
		return cl.sx, cl.sy
	}
	a := len(q.nodes)
	cnt := float64(cl.hi - cl.lo)
	q.nodes = append(q.nodes, qnode{w2: cl.side * cl.side, count: cnt, lo: int32(cl.lo), hi: int32(cl.hi)})
	for range cl.kids {
		kx, ky := q.join(c)
		sx += kx
		sy += ky
	}
	nd := &q.nodes[a]
	nd.cx, nd.cy, nd.next = sx/cnt, sy/cnt, int32(len(q.nodes))
	return sx, sy
}

// partition orders points [lo, hi) of idx by the quarter of the cell
// split at (mx, my) they fall in, keeping their order within each, and
// returns where each quarter starts and how many points it holds.
func (q *quadtree) partition(lo, hi int, mx, my float64) (starts, cnt [4]int) {
	y, quad := q.y, q.quad[lo:hi]
	for k, i := range q.idx[lo:hi] {
		t := quadrant(y[2*i], y[2*i+1], mx, my)
		quad[k] = uint8(t)
		cnt[t]++
	}
	off := [4]int{lo}
	for k := 1; k < 4; k++ {
		off[k] = off[k-1] + cnt[k-1]
	}
	starts = off
	for k, i := range q.idx[lo:hi] {
		t := quad[k] & 3
		q.tmp[off[t]] = i
		off[t]++
	}
	copy(q.idx[lo:hi], q.tmp[lo:hi])
	return starts, cnt
}

// grower appends the nodes of a subtree to its own slice.
type grower struct {
	q     *quadtree
	nodes []qnode
}

// split appends the node holding points [lo, hi) in the square at
// (x0, y0) with the given side, then its subtree, and returns the sums of
// its points' coordinates.
func (g *grower) split(lo, hi int, x0, y0, side float64, depth int) (sx, sy float64) {
	a := len(g.nodes)
	c := float64(hi - lo)
	g.nodes = append(g.nodes, qnode{w2: side * side, count: c, lo: int32(lo), hi: int32(hi)})
	if hi-lo <= leafSize || depth >= maxDepth { // a leaf: its points' positions go to pos
		y, pos := g.q.y, g.q.pos
		for k := lo; k < hi; k++ {
			i := g.q.idx[k]
			px, py := y[2*i], y[2*i+1]
			pos[2*k], pos[2*k+1] = px, py
			sx += px
			sy += py
		}
		nd := &g.nodes[a]
		nd.cx, nd.cy, nd.leaf, nd.next = sx/c, sy/c, true, int32(a+1)
		return sx, sy
	}
	h := float64(side / 2)
	starts, cnt := g.q.partition(lo, hi, x0+h, y0+h)
	for k := range 4 {
		if cnt[k] > 0 {
			cx, cy := quarter(k, x0, y0, h)
			kx, ky := g.split(starts[k], starts[k]+cnt[k], cx, cy, h, depth+1)
			sx += kx
			sy += ky
		}
	}
	nd := &g.nodes[a]
	nd.cx, nd.cy, nd.next = sx/c, sy/c, int32(len(g.nodes))
	return sx, sy
}

// quarter returns the corner of quarter k of the cell at (x0, y0) whose
// half side is h.
func quarter(k int, x0, y0, h float64) (x, y float64) {
	x, y = x0, y0
	if k&1 != 0 {
		x += h
	}
	if k&2 != 0 {
		y += h
	}
	return x, y
}

// quadrant returns which quarter (0..3, x then y bit) of the cell split at
// (mx, my) holds the point (x, y).
func quadrant(x, y, mx, my float64) int {
	k := 0
	if x >= mx {
		k = 1
	}
	if y >= my {
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
