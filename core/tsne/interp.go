package tsne

// Interpolated repulsion (Linderman et al. 2019, FIt-SNE; as in openTSNE):
// the layout's bounding square is cut into boxes, about one per unit of
// extent and at least minBoxes a side, each with interpNodes equispaced
// interpolation nodes a side. Every point spreads four charges, 1, y_x,
// y_y and |y|², onto the nodes of its box with Lagrange weights; the
// potentials Σ K(node, node') q(node') of the kernel K = 1/(1+r²)² are a
// discrete convolution on the regular node grid, done with FFTs of the
// zero-padded grid; each point interpolates them back from its box.
// Then Σ_j w_ij² (y_i - y_j) = y_i φ_1 - φ_y and
// Σ_j w_ij = (1 + |y_i|²) φ_1 - 2 y_i·φ_y + φ_|y|², self terms removed.

const (
	minBoxes    = 10 // fewest boxes a side
	interpNodes = 3  // interpolation nodes per box a side
)

// interp holds the interpolation grids, reused across iterations.
type interp struct {
	plan     *fftPlan
	boxes    int       // boxes a side
	lo, box  float64   // the grid's corner (both axes) and box side
	ar, ai   []float64 // grid of charges 1 + i·y_x, then potentials
	br, bi   []float64 // grid of charges y_y + i·|y|², then potentials
	kr, ki   []float64 // kernel, then its spectrum
	cell     []int32   // per point: index of its box's first node
	wx, wy   []float64 // per point: its interpNodes weights per axis
	phi      []float64 // per point: the four potentials
	lastSize int       // FFT size of the last evaluation
}

// fftSize returns the FFT size a side for a layout of the given extent:
// the smallest power of two holding twice the nodes of at least
// max(minBoxes, extent) boxes.
func fftSize(extent float64) int {
	want := max(minBoxes, int(extent)+1)
	l := 16
	for l < 2*interpNodes*want {
		l *= 2
	}
	return l
}

// extent returns the corner and side of the bounding square of y.
func extent(y []float64) (lo, side float64) {
	lo, hi := y[0], y[0]
	for _, v := range y {
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, max(hi-lo, 1e-9)
}

// repel computes, for every point of y, the repulsive force into rep and
// the kernel sum into zsum, as repelExact does.
func (g *interp) repel(y, rep, zsum []float64) {
	n := len(y) / 2
	lo, side := extent(y)
	l := fftSize(side)
	if g.plan == nil || g.plan.n != l {
		g.plan = newFFT(l)
		g.ar, g.ai = make([]float64, l*l), make([]float64, l*l)
		g.br, g.bi = make([]float64, l*l), make([]float64, l*l)
		g.kr, g.ki = make([]float64, l*l), make([]float64, l*l)
	}
	g.lastSize = l
	g.boxes = l / (2 * interpNodes)
	g.lo, g.box = lo, side*(1+1e-9)/float64(g.boxes)
	if len(g.cell) != n {
		g.cell = make([]int32, n)
		g.wx, g.wy = make([]float64, interpNodes*n), make([]float64, interpNodes*n)
		g.phi = make([]float64, 4*n)
	}
	parallel(0, n, 256, func(a, b int) { g.weights(y, a, b) })
	g.spread(y)
	g.kernel()
	nodes := g.boxes * interpNodes
	g.plan.fft2(g.ar, g.ai, nodes, false)
	g.plan.fft2(g.br, g.bi, nodes, false)
	g.multiply()
	g.plan.fft2(g.ar, g.ai, nodes, true)
	g.plan.fft2(g.br, g.bi, nodes, true)
	parallel(0, n, 256, func(a, b int) { g.gather(y, rep, zsum, a, b) })
}

// weights finds the box and the Lagrange weights of points [a, b).
func (g *interp) weights(y []float64, a, b int) {
	l := g.plan.n
	for i := a; i < b; i++ {
		bx, ux := g.locate(y[2*i])
		by, uy := g.locate(y[2*i+1])
		g.cell[i] = int32(by*interpNodes*l + bx*interpNodes)
		lagrange(ux, g.wx[interpNodes*i:interpNodes*(i+1)])
		lagrange(uy, g.wy[interpNodes*i:interpNodes*(i+1)])
	}
}

// locate returns the box of coordinate v and v's position in it, 0..1.
func (g *interp) locate(v float64) (int, float64) {
	u := (v - g.lo) / g.box
	b := min(int(u), g.boxes-1)
	return b, u - float64(b)
}

// lagrange writes the weights of the interpNodes Lagrange polynomials at
// position u of a box whose nodes are at (j + 1/2)/interpNodes.
func lagrange(u float64, w []float64) {
	for j := range interpNodes {
		uj := (float64(j) + 0.5) / interpNodes
		p := 1.0
		for m := range interpNodes {
			if m != j {
				um := (float64(m) + 0.5) / interpNodes
				p *= (u - um) / (uj - um)
			}
		}
		w[j] = p
	}
}

// spread clears the charge grids and adds every point's charges.
func (g *interp) spread(y []float64) {
	clear(g.ar)
	clear(g.ai)
	clear(g.br)
	clear(g.bi)
	l := g.plan.n
	for i, c := range g.cell {
		px, py := y[2*i], y[2*i+1]
		q2 := float64(px*px) + float64(py*py)
		wx, wy := g.wx[interpNodes*i:interpNodes*(i+1)], g.wy[interpNodes*i:interpNodes*(i+1)]
		for jy, vy := range wy {
			row := int(c) + jy*l
			for jx, vx := range wx {
				w := float64(vy * vx)
				k := row + jx
				g.ar[k] += w
				g.ai[k] += float64(w * px)
				g.br[k] += float64(w * py)
				g.bi[k] += float64(w * q2)
			}
		}
	}
}

// kernel fills the kernel grid with 1/(1+r²)² at every node offset,
// wrapped around the FFT size, and transforms it.
func (g *interp) kernel() {
	l, nodes := g.plan.n, g.boxes*interpNodes
	h := g.box / interpNodes
	clear(g.kr)
	clear(g.ki)
	for a := -nodes + 1; a < nodes; a++ {
		dy := float64(a) * h
		row := ((a + l) % l) * l
		for b := -nodes + 1; b < nodes; b++ {
			dx := float64(b) * h
			w := 1 / (1 + float64(dx*dx) + float64(dy*dy))
			g.kr[row+(b+l)%l] = w * w
		}
	}
	g.plan.fft2(g.kr, g.ki, l, false)
}

// multiply multiplies both charge spectra by the kernel's, with the
// inverse transform's scale 1/l².
func (g *interp) multiply() {
	scale := 1 / float64(g.plan.n*g.plan.n)
	parallel(0, len(g.kr), 4096, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			kr, ki := float64(g.kr[k]*scale), float64(g.ki[k]*scale)
			ar, ai := g.ar[k], g.ai[k]
			g.ar[k], g.ai[k] = float64(ar*kr)-float64(ai*ki), float64(ar*ki)+float64(ai*kr)
			br, bi := g.br[k], g.bi[k]
			g.br[k], g.bi[k] = float64(br*kr)-float64(bi*ki), float64(br*ki)+float64(bi*kr)
		}
	})
}

// gather interpolates the potentials at points [a, b) and turns them into
// forces and kernel sums.
func (g *interp) gather(y, rep, zsum []float64, a, b int) {
	l := g.plan.n
	for i := a; i < b; i++ {
		var p0, px, py, pq float64
		c := int(g.cell[i])
		wx, wy := g.wx[interpNodes*i:interpNodes*(i+1)], g.wy[interpNodes*i:interpNodes*(i+1)]
		for jy, vy := range wy {
			row := c + jy*l
			for jx, vx := range wx {
				w := float64(vy * vx)
				k := row + jx
				p0 += float64(w * g.ar[k])
				px += float64(w * g.ai[k])
				py += float64(w * g.br[k])
				pq += float64(w * g.bi[k])
			}
		}
		yx, yy := y[2*i], y[2*i+1]
		rep[2*i] = float64(yx*p0) - px
		rep[2*i+1] = float64(yy*p0) - py
		q2 := float64(yx*yx) + float64(yy*yy)
		zsum[i] = float64((1+q2)*p0) - float64(2*(float64(yx*px)+float64(yy*py))) + pq - 1
	}
}
