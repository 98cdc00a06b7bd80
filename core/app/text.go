package app

import (
	"bytes"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"

	"annvis/core/app/typeface"
	"annvis/core/app/ui"
)

// faces is the embedded typeface, parsed once for text/v2.
var faces = func() *text.GoTextFaceSource {
	s, err := text.NewGoTextFaceSource(bytes.NewReader(typeface.TTF))
	if err != nil {
		panic("app: the embedded typeface does not load: " + err.Error())
	}
	return s
}()

// drawText draws s, lines separated by newlines, with the top left of its
// first line at (x, y), at size pixels per em in colour c.
func drawText(dst *ebiten.Image, s string, x, y, size float64, c color.NRGBA) {
	op := &text.DrawOptions{}
	op.GeoM.Translate(x, y)
	op.ColorScale.ScaleWithColor(c)
	op.LineSpacing = ui.LineH(size)
	text.Draw(dst, s, &text.GoTextFace{Source: faces, Size: size}, op)
}
