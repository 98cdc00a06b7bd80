// Package typeface embeds the one typeface annvis draws its text with, Go
// Regular (golang.org/x/image/font/gofont, BSD licence, already in Ebiten's
// module graph), and measures text set in it without a GPU, so that the
// screen layout (package ui) stays pure code that tests can check.
package typeface

import (
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// TTF is the TrueType data of the typeface; the app hands it to
// ebiten/v2/text/v2 and the page serves the same file to its CSS.
var TTF = goregular.TTF

// face is TTF parsed once.
var face = func() *sfnt.Font {
	f, err := sfnt.Parse(TTF)
	if err != nil {
		panic("typeface: the embedded Go Regular does not parse: " + err.Error())
	}
	return f
}()

// Width returns the advance width in pixels of s set at size pixels per em,
// kerning included; a newline does not start a new line here.
func Width(s string, size float64) float64 {
	var buf sfnt.Buffer
	ppem := fixed.Int26_6(size*64 + 0.5)
	var w fixed.Int26_6
	var prev sfnt.GlyphIndex
	for i, r := range []rune(s) {
		g, err := face.GlyphIndex(&buf, r)
		if err != nil {
			continue
		}
		if i > 0 {
			if k, err := face.Kern(&buf, prev, g, ppem, font.HintingNone); err == nil {
				w += k
			}
		}
		if a, err := face.GlyphAdvance(&buf, g, ppem, font.HintingNone); err == nil {
			w += a
		}
		prev = g
	}
	return float64(w) / 64
}

// LineHeight returns the height in pixels of one line of text at size
// pixels per em: ascent plus descent, without extra leading.
func LineHeight(size float64) float64 {
	var buf sfnt.Buffer
	m, err := face.Metrics(&buf, fixed.Int26_6(size*64+0.5), font.HintingNone)
	if err != nil {
		return 1.2 * size
	}
	return float64(m.Ascent+m.Descent) / 64
}
