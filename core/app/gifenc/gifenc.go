// Package gifenc encodes what the annvis game draws as an animated GIF: a
// fixed palette of the background, the class hues and greys, nearest-colour
// quantisation without dithering, and every frame after the first stored as
// the rectangle that changed, unchanged pixels transparent. It does not
// depend on Ebiten, so the desktop recorder and the web page share it.
package gifenc

import (
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"io"

	"annvis/core/app/palette"
)

// DefaultDelay is the time each frame shows, in hundredths of a second,
// when Animation.Delay is 0.
const DefaultDelay = 4

// transparent is the palette index of pixels unchanged since the previous
// frame.
const transparent = 255

// Palettes of the digits (10 classes, 22 levels each) and of up to 20
// classes of a user's data set (11 levels each): the background, every
// class hue blended into the background at those levels, greys (what the
// game draws) up to 255 colours and, last, the transparent colour.
var (
	gifPalette  = newPalette(10)
	dataPalette = newPalette(len(palette.Classes))
)

// newPalette returns the palette of the first classes hues of
// palette.Classes.
func newPalette(classes int) color.Palette {
	bg := palette.Background
	p := color.Palette{bg}
	levels := (transparent - 35) / classes
	for _, c := range palette.Classes[:classes] {
		for k := 1; k <= levels; k++ {
			f := float64(k) / float64(levels)
			mix := func(a, b uint8) uint8 { return uint8(float64(a)*(1-f) + float64(b)*f + 0.5) }
			p = append(p, color.RGBA{mix(bg.R, c.R), mix(bg.G, c.G), mix(bg.B, c.B), 0xff})
		}
	}
	first := len(p)
	for len(p) < transparent {
		v := uint8(255 * (len(p) - first) / (transparent - 1 - first))
		p = append(p, color.RGBA{v, v, v, 0xff})
	}
	return append(p, color.RGBA{})
}

// Animation collects the frames of a GIF. The zero value is empty and ready
// to use.
type Animation struct {
	// Delay is the time each added frame shows, in hundredths of a second;
	// 0 means DefaultDelay.
	Delay int
	// Classes is the number of class hues the frames show, up to
	// len(palette.Classes); 0 means the ten digits. More than ten leaves
	// fewer levels of each hue in the GIF's 256 colours.
	Classes int

	gif  gif.GIF
	prev *image.Paletted // the previous frame, whole
	n    int             // frames added
}

// Len returns the number of frames added.
func (a *Animation) Len() int { return a.n }

// Add quantises img and appends it as the next frame. img is not retained.
// A frame that looks like the previous one only lengthens it, so that a
// recording resting on a stage costs nothing.
func (a *Animation) Add(img *image.RGBA) {
	delay := a.Delay
	if delay <= 0 {
		delay = DefaultDelay
	}
	a.n++
	pal := gifPalette
	if a.Classes > 10 {
		pal = dataPalette
	}
	q := quantize(img, pal)
	prev := a.prev
	a.prev = q
	if prev == nil {
		a.gif.Config = image.Config{ColorModel: pal, Width: q.Rect.Dx(), Height: q.Rect.Dy()}
		a.append(q, delay)
		return
	}
	d := delta(prev, q)
	if d == nil {
		a.gif.Delay[len(a.gif.Delay)-1] += delay
		return
	}
	a.append(d, delay)
}

func (a *Animation) append(img *image.Paletted, delay int) {
	a.gif.Image = append(a.gif.Image, img)
	a.gif.Delay = append(a.gif.Delay, delay)
	a.gif.Disposal = append(a.gif.Disposal, gif.DisposalNone)
}

// Encode writes the animation to w as a GIF.
func (a *Animation) Encode(w io.Writer) error {
	if err := gif.EncodeAll(w, &a.gif); err != nil {
		return fmt.Errorf("gifenc: %v", err)
	}
	return nil
}

// delta returns the part of q that differs from prev, the whole frame
// before it, with pixels unchanged since prev transparent, or nil if
// nothing changed.
func delta(prev, q *image.Paletted) *image.Paletted {
	box := image.Rectangle{}
	for y := q.Rect.Min.Y; y < q.Rect.Max.Y; y++ {
		for x := q.Rect.Min.X; x < q.Rect.Max.X; x++ {
			if q.Pix[q.PixOffset(x, y)] != prev.Pix[prev.PixOffset(x, y)] {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if box.Empty() {
		return nil
	}
	d := image.NewPaletted(box, q.Palette)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			v := q.Pix[q.PixOffset(x, y)]
			if v == prev.Pix[prev.PixOffset(x, y)] {
				v = transparent
			}
			d.Pix[d.PixOffset(x, y)] = v
		}
	}
	return d
}

// quantize maps img to pal, nearest colour, no dithering.
func quantize(img *image.RGBA, pal color.Palette) *image.Paletted {
	out := image.NewPaletted(img.Rect, pal)
	cache := map[[3]uint8]uint8{}
	for i := 0; i < len(img.Pix); i += 4 {
		key := [3]uint8{img.Pix[i], img.Pix[i+1], img.Pix[i+2]}
		idx, ok := cache[key]
		if !ok {
			idx = uint8(pal.Index(color.RGBA{key[0], key[1], key[2], 0xff}))
			cache[key] = idx
		}
		out.Pix[i/4] = idx
	}
	return out
}
