package app

import (
	"image"
	"image/color"
	"math"
	"slices"

	"github.com/hajimehoshi/ebiten/v2"
)

// whitePixel is the source texture of every quad: colour comes from the vertices.
var whitePixel = func() *ebiten.Image {
	img := ebiten.NewImage(3, 3)
	img.Fill(color.White)
	return img.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image)
}()

// mesh batches coloured quads (points, line segments, rectangles) drawn
// onto dst into as few DrawTriangles calls as Ebiten's vertex limit allows.
// Call flush before drawing anything else onto dst, and done when the mesh
// is drawn.
type mesh struct {
	dst  *ebiten.Image
	vs   []ebiten.Vertex
	is   []uint16
	keep *meshBuffers // where done puts the buffers back, or nil
}

// meshBuffers are the vertex and index buffers of a game's meshes, kept
// from one mesh to the next so that, once grown to a frame's size, drawing
// a frame allocates none (the page's thread then rarely waits for Go's
// garbage collector or for slices to grow).
type meshBuffers struct {
	vs []ebiten.Vertex
	is []uint16
}

// mesh returns an empty mesh that draws onto dst with the game's buffers;
// done gives them back.
func (g *Game) mesh(dst *ebiten.Image) *mesh { return g.meshes.mesh(dst) }

// mesh returns an empty mesh that draws onto dst with the buffers b; done
// gives them back. A mesh taken while another holds them gets new ones.
func (b *meshBuffers) mesh(dst *ebiten.Image) *mesh {
	m := &mesh{dst: dst, vs: b.vs[:0], is: b.is[:0], keep: b}
	*b = meshBuffers{}
	return m
}

// done flushes the mesh and gives its buffers back to the game that lent
// them; m must not be used after.
func (m *mesh) done() {
	m.flush()
	if m.keep != nil && cap(m.vs) >= cap(m.keep.vs) {
		*m.keep = meshBuffers{vs: m.vs, is: m.is}
	}
	m.keep = nil
}

// reserve makes room for n more quads, at most a batch's, in one
// allocation rather than in the many of appending them one by one.
func (m *mesh) reserve(quads int) {
	n := min(quads, ebiten.MaxIndicesCount/6)
	m.vs = slices.Grow(m.vs, 4*n)
	m.is = slices.Grow(m.is, 6*n)
}

// rgba is a straight-alpha colour with components in 0..1.
type rgba struct{ r, g, b, a float32 }

// rect adds an axis-aligned rectangle.
func (m *mesh) rect(x, y, w, h float32, c rgba) {
	m.quad(x, y, x+w, y, x+w, y+h, x, y+h, c)
}

// point adds a square of side s centred at (x, y).
func (m *mesh) point(x, y, s float32, c rgba) {
	m.rect(x-s/2, y-s/2, s, s, c)
}

// line adds a segment of width w from (x0, y0) to (x1, y1).
func (m *mesh) line(x0, y0, x1, y1, w float32, c rgba) {
	dx, dy := x1-x0, y1-y0
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l < 1e-3 {
		return
	}
	nx, ny := -dy/l*w/2, dx/l*w/2
	m.quad(x0+nx, y0+ny, x1+nx, y1+ny, x1-nx, y1-ny, x0-nx, y0-ny, c)
}

// needle adds a triangle from a base of width w at (x0, y0) to a tip at
// (x1, y1): a trail segment in one triangle instead of two.
func (m *mesh) needle(x0, y0, x1, y1, w float32, c rgba) {
	dx, dy := x1-x0, y1-y0
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l < 1e-3 {
		return
	}
	nx, ny := -dy/l*w/2, dx/l*w/2
	m.tri(x0+nx, y0+ny, x1, y1, x0-nx, y0-ny, c)
}

// dot adds a point of size s centred at (x, y) as one triangle, the
// cheapest mark for thousands of points.
func (m *mesh) dot(x, y, s float32, c rgba) {
	m.tri(x-s*0.6, y+s*0.45, x+s*0.6, y+s*0.45, x, y-s*0.75, c)
}

// disc adds a filled octagon of radius r centred at (x, y): a round mark
// for the few hundred neurons.
func (m *mesh) disc(x, y, r float32, c rgba) {
	const n = 8
	for k := range n {
		a0, a1 := 2*math.Pi*float64(k)/n, 2*math.Pi*float64(k+1)/n
		m.tri(x, y, x+r*float32(math.Cos(a0)), y+r*float32(math.Sin(a0)), x+r*float32(math.Cos(a1)), y+r*float32(math.Sin(a1)), c)
	}
}

// cross adds an × of half-size s centred at (x, y): the misclassified marker.
func (m *mesh) cross(x, y, s, w float32, c rgba) {
	m.line(x-s, y-s, x+s, y+s, w, c)
	m.line(x-s, y+s, x+s, y-s, w, c)
}

func (m *mesh) quad(x0, y0, x1, y1, x2, y2, x3, y3 float32, c rgba) {
	if len(m.vs)+4 > ebiten.MaxVertexCount || len(m.is)+6 > ebiten.MaxIndicesCount {
		m.flush()
	}
	base := uint16(len(m.vs))
	for _, p := range [4][2]float32{{x0, y0}, {x1, y1}, {x2, y2}, {x3, y3}} {
		m.vs = append(m.vs, ebiten.Vertex{DstX: p[0], DstY: p[1], SrcX: 1, SrcY: 1,
			ColorR: c.r, ColorG: c.g, ColorB: c.b, ColorA: c.a})
	}
	m.is = append(m.is, base, base+1, base+2, base, base+2, base+3)
}

func (m *mesh) tri(x0, y0, x1, y1, x2, y2 float32, c rgba) {
	if len(m.vs)+3 > ebiten.MaxVertexCount || len(m.is)+3 > ebiten.MaxIndicesCount {
		m.flush()
	}
	base := uint16(len(m.vs))
	for _, p := range [3][2]float32{{x0, y0}, {x1, y1}, {x2, y2}} {
		m.vs = append(m.vs, ebiten.Vertex{DstX: p[0], DstY: p[1], SrcX: 1, SrcY: 1,
			ColorR: c.r, ColorG: c.g, ColorB: c.b, ColorA: c.a})
	}
	m.is = append(m.is, base, base+1, base+2)
}

// flushed, when not nil, sees every batch before it is drawn onto dst:
// tests read the draw commands of a frame there, without a GPU.
var flushed func(dst *ebiten.Image, vs []ebiten.Vertex, is []uint16)

// flush draws the batched quads onto dst and empties the batch.
func (m *mesh) flush() {
	if flushed != nil {
		flushed(m.dst, m.vs, m.is)
	}
	if len(m.is) > 0 {
		m.dst.DrawTriangles(m.vs, m.is, whitePixel, nil)
	}
	m.vs, m.is = m.vs[:0], m.is[:0]
}
