package app

import (
	"hash/fnv"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app/ui"
	"annvis/core/params"
)

// thumbImage is one thumbnail drawn in an image of its own, redrawn only
// when what it shows changes: a new layout of one stage (as a computing
// view brings them) redraws that stage's thumbnail, and the backdrop copies
// the others.
type thumbImage struct {
	img    *ebiten.Image
	key    thumbKey
	ox, oy float64 // where its top left is drawn on the screen
}

// thumbKey is everything a thumbnail's pixels depend on.
type thumbKey struct {
	r       ui.Rect                 // where it is drawn
	points  uint64                  // digest of its points and their classes
	classes [params.MaxClasses]bool // classes shown
	theme   string                  // the theme's name: its colours
}

// drawThumbs draws every stage's thumbnail: a laid-out stage as a small
// projection, copied from its thumbImage, the others as empty panels.
func (g *Game) drawThumbs(dst *ebiten.Image, m *mesh) {
	labels := g.pl.Labels()
	for k, r := range g.screen.Thumbs {
		if k >= g.sc.ready || labels == nil {
			fill(m, r, g.col(g.th.Panel))
			continue
		}
		for len(g.thumbs) <= k {
			g.thumbs = append(g.thumbs, thumbImage{})
		}
		t := &g.thumbs[k]
		ox, oy := math.Floor(r.X), math.Floor(r.Y)
		key := thumbKey{r: r, points: digestPoints(g.sc.thumb[k], labels), classes: g.p.Classes, theme: g.th.Name}
		if t.img == nil || t.key != key {
			g.drawThumb(t, key, ox, oy, labels, g.sc.thumb[k])
		}
		op := &ebiten.DrawImageOptions{Blend: ebiten.BlendCopy}
		op.GeoM.Translate(ox, oy)
		dst.DrawImage(t.img, op)
	}
	for k := len(g.screen.Thumbs); k < len(g.thumbs); k++ {
		g.thumbs[k].release()
	}
}

// drawThumb redraws the thumbnail t for key: its panel and the shown points
// pos (screen coordinates), in an image whose top left is at (ox, oy).
func (g *Game) drawThumb(t *thumbImage, key thumbKey, ox, oy float64, labels []uint8, pos []float64) {
	r := key.r
	w, h := int(math.Ceil(r.X+r.W-ox)), int(math.Ceil(r.Y+r.H-oy))
	if t.img == nil || t.img.Bounds().Dx() != w || t.img.Bounds().Dy() != h {
		t.release()
		t.img = ebiten.NewImage(max(w, 1), max(h, 1))
	}
	t.img.Fill(g.th.Background) // as the backdrop under it: copied, the image is what drawing there gave
	t.ox, t.oy = ox, oy
	m := g.thumbMeshes.mesh(t.img)
	m.reserve(1 + len(labels))
	fill(m, ui.Rect{X: r.X - ox, Y: r.Y - oy, W: r.W, H: r.H}, g.col(g.th.Panel))
	pt := float32(max(1.5*g.th.Scale, r.W/90))
	for i, c := range labels {
		if g.p.Classes[c] {
			m.point(float32(pos[2*i]-ox), float32(pos[2*i+1]-oy), pt, g.shade(c, 1, 0.8))
		}
	}
	m.done()
	t.key = key
}

// release frees the thumbnail's image.
func (t *thumbImage) release() {
	if t.img != nil {
		t.img.Deallocate()
		t.img = nil
	}
}

// digestPoints returns an FNV-1a digest of a thumbnail's points and classes.
func digestPoints(pos []float64, labels []uint8) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for _, v := range pos {
		u := math.Float64bits(v)
		for i := range b {
			b[i] = byte(u >> (8 * i))
		}
		h.Write(b[:])
	}
	h.Write(labels)
	return h.Sum64()
}
