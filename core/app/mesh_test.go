//go:build !js

package app

import (
	"math"
	"runtime"
	"testing"
	"unsafe"

	"github.com/hajimehoshi/ebiten/v2"
)

// TestRedrawReusesMeshes checks that redrawing a complete view's whole
// frame, its backdrop and thumbnails too (as new layouts make the page do
// while a view computes), allocates no vertex buffers once a frame grew
// them: at least the bytes of its largest batch of vertices less than the
// same redraw with the game's mesh buffers dropped (the least of five
// redraws each: Ebiten's own allocations vary).
func TestRedrawReusesMeshes(t *testing.T) {
	g, screen := settledLayers(t)
	defer g.Close()
	batch := 0
	flushed = func(_ *ebiten.Image, vs []ebiten.Vertex, _ []uint16) { batch = max(batch, len(vs)) }
	defer func() { flushed = nil }()
	redraw := func(drop bool) uint64 {
		least := uint64(math.MaxUint64)
		for range 5 {
			g.backdrop.key.gen, g.drawn = -1, nil
			for k := range g.thumbs {
				g.thumbs[k].key = thumbKey{}
			}
			if drop {
				g.meshes, g.thumbMeshes = meshBuffers{}, meshBuffers{}
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			g.Draw(screen)
			runtime.ReadMemStats(&after)
			least = min(least, after.TotalAlloc-before.TotalAlloc)
		}
		return least
	}
	reused, dropped := redraw(false), redraw(true)
	want := uint64(batch) * uint64(unsafe.Sizeof(ebiten.Vertex{}))
	if batch == 0 || dropped < reused+want {
		t.Errorf("a redraw allocated %d bytes, %d with new mesh buffers: want at least %d fewer (%d vertices in its largest batch)", reused, dropped, want, batch)
	}
}

// TestThumbnailsRedrawnAlone checks that a backdrop redrawn after one
// stage's layout changed draws that stage's thumbnail again, and copies the
// others: it draws the vertices of one thumbnail (its panel and points)
// more than a redraw with nothing changed.
func TestThumbnailsRedrawnAlone(t *testing.T) {
	g, screen := settledLayers(t)
	defer g.Close()
	vertices := 0
	flushed = func(_ *ebiten.Image, vs []ebiten.Vertex, _ []uint16) { vertices += len(vs) }
	defer func() { flushed = nil }()
	redraw := func() int {
		g.backdrop.key.gen, g.drawn, vertices = -1, nil, 0
		g.Draw(screen)
		return vertices
	}
	redraw()
	same := redraw()
	g.sc.thumb[1][0]++ // stage 1's first digit moves
	moved := redraw()
	if want := 4 * (1 + g.shownCount()); moved-same != want {
		t.Errorf("a redraw with one thumbnail changed drew %d vertices, %d with none changed: want %d more (one panel, %d points)", moved, same, want, g.shownCount())
	}
}

// TestReserve checks that a mesh makes room for the quads announced, at
// most a batch's, and that adding them then grows nothing.
func TestReserve(t *testing.T) {
	for _, quads := range []int{1, 2000, ebiten.MaxIndicesCount / 6, 1 << 20} {
		var m mesh
		m.reserve(quads)
		want := min(quads, ebiten.MaxIndicesCount/6)
		if cap(m.vs) < 4*want || cap(m.is) < 6*want || cap(m.is) > ebiten.MaxIndicesCount+6 {
			t.Errorf("reserve(%d): capacity %d vertices, %d indices; want room for %d quads, at most a batch", quads, cap(m.vs), cap(m.is), want)
		}
		vs := &m.vs[:1][0]
		for range want {
			m.point(1, 1, 1, rgba{})
		}
		if &m.vs[0] != vs {
			t.Errorf("reserve(%d): adding %d quads grew the vertices", quads, want)
		}
	}
}

// settledLayers returns a 640×480 layers view that has computed and drawn a
// frame, skipping unchanged frames as the page does, and a screen for it.
func settledLayers(t *testing.T) (*Game, *ebiten.Image) {
	a := newAssets(t)
	g := New(small("layers"), background(a.Fetch))
	g.SkipUnchangedFrames()
	g.Layout(640, 480)
	updateUntil(t, g, func(s State) bool { return s.Progress >= 1 && s.Frame > 0 })
	return g, ebiten.NewImage(640, 480)
}
