// Package theme holds the look of annvis as one value: colours, type sizes
// and spacing, handed to the drawing code (as gonum/plot hands a
// draw.TextStyle) instead of constants spread over it. There are two
// themes, dark (the default, for screens and projectors) and light (for
// bright rooms and printed handouts); both keep the colour-blind-safe class
// palette distinct on their background.
package theme

import (
	"fmt"
	"image/color"
	"math"

	"annvis/core/app/palette"
)

// Names lists the themes, the default first.
var Names = []string{"dark", "light"}

// Theme is the look of one frame. Dark and Light return themes sized for a
// 1024×768 canvas; Sized resizes one for another canvas.
type Theme struct {
	Name       string      // "dark" or "light"
	Background color.RGBA  // the canvas
	Panel      color.NRGBA // thumbnails, the timeline's track, buttons
	Accent     color.NRGBA // the current choice, the timeline's travelled part
	Text       color.NRGBA // labels and titles
	Muted      color.NRGBA // captions and secondary figures
	Card       color.NRGBA // the box behind help, hover cards and menus
	Error      color.NRGBA // the box behind an error
	Mark       color.NRGBA // the followed trail and outlines: the strongest contrast
	Classes    [len(palette.Classes)]color.RGBA
	// Dimmest is the brightness of the earliest stage of a trail: how far
	// its colour lies from the background (1: the class colour itself).
	Dimmest float64

	Scale  float64 // device pixels per CSS pixel
	Body   float64 // type size of labels and captions, in device pixels
	Title  float64 // type size of titles, in device pixels
	Pad    float64 // spacing between elements, in device pixels
	Button float64 // height of a button, a touch target, in device pixels
}

// Dark returns the dark theme: light marks on a near-black canvas.
func Dark() Theme {
	t := Theme{
		Name:       "dark",
		Background: palette.Background,
		Panel:      color.NRGBA{0xff, 0xff, 0xff, 0x1a},
		Accent:     color.NRGBA{0x59, 0x99, 0xff, 0x99},
		Text:       color.NRGBA{0xee, 0xee, 0xf0, 0xff},
		Muted:      color.NRGBA{0xb4, 0xb9, 0xc2, 0xff},
		Card:       color.NRGBA{0x0d, 0x0d, 0x12, 0xf2},
		Error:      color.NRGBA{0x73, 0x0d, 0x14, 0xeb},
		Mark:       color.NRGBA{0xff, 0xff, 0xff, 0xe6},
		Classes:    palette.Classes,
		Dimmest:    0.6,
	}
	return t.Sized(1024, 768, 1)
}

// Light returns the light theme: dark text and saturated marks on an
// off-white canvas. The Okabe–Ito yellow and the light grey, which vanish on
// white, become olive and near-black (Okabe–Ito's own black); sky
// blue is a shade darker. Classes 10–19 are picked as the dark theme's
// (see palette.Classes) but for the light canvas and its trails: mostly
// darker versions of the first ten and Paul Tol's muted hues.
func Light() Theme {
	c := palette.Classes
	c[1] = color.RGBA{0x3d, 0x9e, 0xd8, 0xff} // sky blue a shade darker
	c[3] = color.RGBA{0x99, 0x99, 0x33, 0xff} // Paul Tol's olive
	c[7] = color.RGBA{0x22, 0x22, 0x22, 0xff}
	c[9] = color.RGBA{0x88, 0x66, 0xee, 0xff}
	copy(c[10:], []color.RGBA{
		{0x6a, 0x2f, 0x00, 0xff}, // brown (5 darker)
		{0x33, 0x22, 0x88, 0xff}, // indigo (Tol muted)
		{0x00, 0x39, 0x59, 0xff}, // navy (4 darker)
		{0x85, 0x4f, 0x6d, 0xff}, // plum (6 darker)
		{0xbe, 0x00, 0x32, 0xff}, // crimson (Kelly)
		{0x11, 0x77, 0x33, 0xff}, // green (Tol muted)
		{0x44, 0x77, 0xaa, 0xff}, // blue (Tol bright)
		{0xaa, 0x44, 0x99, 0xff}, // purple (Tol muted)
		{0x90, 0x90, 0x90, 0xff}, // grey (7 lighter)
		{0x4c, 0x4c, 0x1a, 0xff}, // dark olive (3 darker)
	})
	t := Theme{
		Name:       "light",
		Background: color.RGBA{0xf7, 0xf7, 0xf5, 0xff},
		Panel:      color.NRGBA{0x00, 0x00, 0x00, 0x12},
		Accent:     color.NRGBA{0x00, 0x72, 0xb2, 0x73},
		Text:       color.NRGBA{0x1a, 0x1c, 0x21, 0xff},
		Muted:      color.NRGBA{0x4a, 0x4f, 0x58, 0xff},
		Card:       color.NRGBA{0xff, 0xff, 0xff, 0xf5},
		Error:      color.NRGBA{0xf6, 0xd5, 0xd8, 0xf5},
		Mark:       color.NRGBA{0x00, 0x00, 0x00, 0xe6},
		Classes:    c,
		Dimmest:    0.7,
	}
	return t.Sized(1024, 768, 1)
}

// Named returns the theme called name ("" is the default, dark).
func Named(name string) (Theme, error) {
	switch name {
	case "", "dark":
		return Dark(), nil
	case "light":
		return Light(), nil
	}
	return Theme{}, fmt.Errorf("theme: unknown theme %q (known: dark, light)", name)
}

// Minimum type sizes, in CSS pixels: no text is smaller than MinBody; on a
// 1920×1080 canvas body text reaches 18 px and titles 24 px.
const (
	MinBody  = 11.0
	maxBody  = 28.0
	minTouch = 40.0 // height of a touch target on a phone, CSS pixels
)

// Sized returns t with type sizes and spacing for a w×h canvas of device
// pixels at scale device pixels per CSS pixel (≤ 0 means 1): body text one
// sixtieth of the height (at most a thirty-sixth of the width), never below
// MinBody CSS pixels; titles a third larger; on a phone-sized canvas (under
// 600 CSS pixels wide) buttons are at least 40 CSS pixels high.
func (t Theme) Sized(w, h, scale float64) Theme {
	if !(scale > 0) {
		scale = 1
	}
	cssW, cssH := w/scale, h/scale
	body := min(max(min(cssH/60, cssW/36), MinBody), maxBody)
	t.Scale = scale
	t.Body = math.Round(body * scale)
	t.Title = math.Round(body * 4 / 3 * scale)
	t.Pad = math.Round(body * 0.4 * scale)
	t.Button = math.Round(body * 1.8 * scale)
	if cssW < 600 {
		t.Button = max(t.Button, minTouch*scale)
	}
	return t
}

// Brightness returns the brightness of stage k of n: trails start at
// Dimmest at the first stage and reach full brightness at the last one.
func (t Theme) Brightness(k, n int) float64 {
	if n <= 1 {
		return 1
	}
	k = min(max(k, 0), n-1)
	return t.Dimmest + (1-t.Dimmest)*float64(k)/float64(n-1)
}

// Shade returns the straight-alpha components in 0..1 of class c at
// brightness b (0: the background, 1: the class colour) and opacity a; a
// class beyond Classes gives grey.
func (t Theme) Shade(c uint8, b, a float64) (r, g, bl, al float32) {
	col := color.RGBA{0x80, 0x80, 0x80, 0xff}
	if int(c) < len(t.Classes) {
		col = t.Classes[c]
	}
	bg := t.Background
	mix := func(x, y uint8) float32 { return float32((float64(y) + (float64(x)-float64(y))*b) / 255) }
	return mix(col.R, bg.R), mix(col.G, bg.G), mix(col.B, bg.B), float32(a)
}

// PointSize returns the side in device pixels of a digit's mark when n
// marks share a plot of the given area (device pixels²): larger on a large
// canvas and with fewer digits, between 2 and 9 CSS pixels.
func (t Theme) PointSize(area float64, n int) float64 {
	s := 0.3 * math.Sqrt(max(area, 0)/float64(max(n, 1)))
	return min(max(s, 2*t.Scale), 9*t.Scale)
}

// Colours returns t without its sizes: what Sized leaves alone.
func (t Theme) Colours() Theme {
	t.Scale, t.Body, t.Title, t.Pad, t.Button = 0, 0, 0, 0, 0
	return t
}
