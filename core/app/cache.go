package app

import (
	"image"

	"github.com/hajimehoshi/ebiten/v2"
)

// cached is an offscreen image of a part of the frame that rarely changes
// (the thumbnails, the trails already travelled), redrawn only when its key
// changes, so that each frame draws few triangles.
type cached struct {
	img *ebiten.Image
	key cacheKey
}

// cacheKey is everything a cached image depends on.
type cacheKey struct {
	gen     int      // scene generation: layouts or geometry changed
	classes [10]bool // classes shown
	seg     int      // trails: the segment being travelled
	view    string   // the view drawn
	all     bool     // bundled view: all classes bundled together
	done    bool     // the picture is final
}

// draw draws the part r of the cached image onto screen, first rendering
// it with render if key or the screen size changed.
func (c *cached) draw(screen *ebiten.Image, r image.Rectangle, key cacheKey, render func(m *mesh)) {
	b := screen.Bounds()
	if c.img == nil || c.img.Bounds() != b {
		if c.img != nil {
			c.img.Deallocate()
		}
		c.img = ebiten.NewImage(b.Dx(), b.Dy())
		c.key.gen = -1
	}
	if c.key != key {
		c.img.Clear()
		m := &mesh{dst: c.img}
		render(m)
		m.flush()
		c.key = key
	}
	r = r.Intersect(b)
	if r.Empty() {
		return
	}
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(float64(r.Min.X), float64(r.Min.Y))
	screen.DrawImage(c.img.SubImage(r).(*ebiten.Image), op)
}
