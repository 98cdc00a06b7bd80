package app

import (
	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/params"
)

// cached is an offscreen image of the part of the frame that rarely
// changes (background, thumbnails, the trails already travelled, labels),
// redrawn only when its key changes and copied onto the screen each frame,
// so that each frame draws few triangles and pixels.
type cached struct {
	img *ebiten.Image
	key cacheKey
}

// cacheKey is everything a cached image depends on.
type cacheKey struct {
	gen     int                     // scene generation: layouts or geometry changed
	classes [params.MaxClasses]bool // classes shown
	seg     int                     // trails: the segment being travelled
	view    string                  // the view drawn
	all     bool                    // bundled view: all classes bundled together
	done    bool                    // the view is complete
	class   int                     // neurons view: the class coloured
	theme   string                  // the theme's name: its colours
}

// draw copies the cached image onto screen, first rendering it with render
// if key or the screen size changed.
func (c *cached) draw(screen *ebiten.Image, key cacheKey, render func(dst *ebiten.Image)) {
	b := screen.Bounds()
	if c.img == nil || c.img.Bounds() != b {
		if c.img != nil {
			c.img.Deallocate()
		}
		c.img = ebiten.NewImage(b.Dx(), b.Dy())
		c.key.gen = -1
	}
	if c.key != key {
		render(c.img)
		c.key = key
	}
	screen.DrawImage(c.img, &ebiten.DrawImageOptions{Blend: ebiten.BlendCopy})
}
