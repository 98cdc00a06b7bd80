package bundle

import "math"

// grid is a density raster of size² cells, each cell 1/zoom pixels of the
// full-resolution frame wide, with scratch space for blurring.
type grid struct {
	size   int
	zoom   float64
	d, tmp []float32
	acc    []float32
}

func newGrid(size int, zoom float64) *grid {
	return &grid{size: size, zoom: zoom, d: make([]float32, size*size), tmp: make([]float32, size*size), acc: make([]float32, size)}
}

// pyramid holds grids at zoom 1, 1/2, 1/4, 1/8 of a full size² grid.
type pyramid [4]*grid

// minCells is the smallest kernel radius, in cells, that a coarser grid may
// use: below it the density would be too blocky to climb.
const minCells = 3

// at returns the coarsest grid on which a kernel of radius h pixels spans at
// least minCells cells, allocating it on first use.
func (p *pyramid) at(size int, h float64) *grid {
	k := 0
	for k+1 < len(p) && h/float64(int(1)<<(k+1)) >= minCells && size>>(k+1) >= 16 {
		k++
	}
	if p[k] == nil {
		p[k] = newGrid((size+(1<<k)-1)>>k, 1/float64(int(1)<<k))
	}
	return p[k]
}

// density fills g with the kernel density of the points pts (full-frame
// pixels) at bandwidth h pixels: each point is splatted bilinearly, then
// the raster is blurred by a Gaussian of σ = h/2 (so that the kernel reaches
// about h), approximated by three box blurs.
func (g *grid) density(pts []float64, h float64) {
	g.splat(pts)
	for k := range 3 {
		g.blur(h, k)
	}
}

// splat clears g and splats the points pts (full-frame pixels) bilinearly.
func (g *grid) splat(pts []float64) {
	clear(g.d)
	n := g.size
	for i := 0; i+1 < len(pts); i += 2 {
		x, y := pts[i]*g.zoom, pts[i+1]*g.zoom
		if !(x >= 0 && y >= 0 && x < float64(n-1) && y < float64(n-1)) {
			continue
		}
		ix, iy := int(x), int(y)
		fx, fy := float32(x-float64(ix)), float32(y-float64(iy))
		k := iy*n + ix
		g.d[k] += (1 - fx) * (1 - fy)
		g.d[k+1] += fx * (1 - fy)
		g.d[k+n] += (1 - fx) * fy
		g.d[k+n+1] += fx * fy
	}
}

// blur applies box blur k (0–2) of the three that make density's Gaussian
// for bandwidth h, along the rows and then the columns.
func (g *grid) blur(h float64, k int) {
	r := boxRadii(h * g.zoom / 2)[k]
	g.blurRows(r)
	g.blurColumns(r)
}

// boxRadii returns the radii of three box blurs whose succession
// approximates a Gaussian of standard deviation sigma (Kovesi's widths).
func boxRadii(sigma float64) [3]int {
	ideal := math.Sqrt(12*sigma*sigma/3 + 1)
	wl := int(ideal)
	if wl%2 == 0 {
		wl--
	}
	wl = max(wl, 1)
	m := int(math.Round((12*sigma*sigma - 3*float64(wl*wl) - 12*float64(wl) - 9) / (-4*float64(wl) - 4)))
	var r [3]int
	for i := range r {
		w := wl
		if i >= m {
			w = wl + 2
		}
		r[i] = (w - 1) / 2
	}
	return r
}

// blurRows replaces every row of g.d by its running mean over 2r+1 pixels
// (zero outside the grid).
func (g *grid) blurRows(r int) {
	n := g.size
	inv := 1 / float32(2*r+1)
	for y := range n {
		src := g.d[y*n : (y+1)*n]
		dst := g.tmp[y*n : (y+1)*n]
		var s float32
		for x := 0; x < min(r, n); x++ {
			s += src[x]
		}
		for x := range n {
			if x+r < n {
				s += src[x+r]
			}
			dst[x] = s * inv
			if x-r >= 0 {
				s -= src[x-r]
			}
		}
	}
	g.d, g.tmp = g.tmp, g.d
}

// blurColumns is blurRows down the columns, row by row for locality.
func (g *grid) blurColumns(r int) {
	n := g.size
	inv := 1 / float32(2*r+1)
	acc := g.acc
	clear(acc)
	for y := 0; y < min(r, n); y++ {
		addRow(acc, g.d[y*n:(y+1)*n], 1)
	}
	for y := range n {
		if y+r < n {
			addRow(acc, g.d[(y+r)*n:(y+r+1)*n], 1)
		}
		dst := g.tmp[y*n : (y+1)*n]
		for x, v := range acc {
			dst[x] = v * inv
		}
		if y-r >= 0 {
			addRow(acc, g.d[(y-r)*n:(y-r+1)*n], -1)
		}
	}
	g.d, g.tmp = g.tmp, g.d
}

// addRow adds s·row to acc.
func addRow(acc, row []float32, s float32) {
	row = row[:len(acc)]
	for i, v := range row {
		acc[i] += s * v
	}
}

// at returns the density at (x, y) by bilinear interpolation, 0 outside.
func (g *grid) at(x, y float64) float64 {
	n := g.size
	if !(x >= 0 && y >= 0 && x < float64(n-1) && y < float64(n-1)) {
		return 0
	}
	ix, iy := int(x), int(y)
	fx, fy := x-float64(ix), y-float64(iy)
	k := iy*n + ix
	top := float64(g.d[k]) + fx*float64(g.d[k+1]-g.d[k])
	bot := float64(g.d[k+n]) + fx*float64(g.d[k+n+1]-g.d[k+n])
	return top + fy*(bot-top)
}

// gradient returns the density gradient at (x, y) (full-frame pixels) by
// central differences one cell apart.
func (g *grid) gradient(x, y float64) (float64, float64) {
	x, y = x*g.zoom, y*g.zoom
	return g.at(x+1, y) - g.at(x-1, y), g.at(x, y+1) - g.at(x, y-1)
}
