//go:build js && wasm

package main

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app"
	"annvis/core/app/gifenc"
)

// recorder grabs the page's PNG and GIF exports from the screen once the
// view animates. It is driven by page.Update and page.Draw.
type recorder struct {
	kind   string // "png" or "gif" while recording, "" when idle
	frames int    // gif: frames to record over one pass of the animation
	stride int    // gif: game updates per recorded frame
	grab   bool   // Draw should grab the screen
	pix    []byte // scratch for ReadPixels
	png    *image.RGBA
	gif    gifenc.Animation
}

// update decides, after the game's update, whether the next Draw grabs the
// screen (once the view animates or is complete); it skips game updates
// between GIF frames. It returns the encoded file once the recording is
// complete, or the view's error.
func (r *recorder) update(g *app.Game, s app.State, advance func()) (name string, b []byte, err error) {
	if r.kind == "" || r.grab || (s.Frame == 0 && s.Progress < 1 && s.Error == "") {
		return "", nil, nil
	}
	switch {
	case s.Error != "":
		name, err = "annvis."+r.kind, fmt.Errorf("the view shows an error: %s", s.Error)
	case r.kind == "png" && r.png != nil:
		name, b, err = "annvis.png", encodePNG(r.png), nil
	case r.kind == "gif" && r.stride > 0 && r.gif.Len() >= r.frames:
		var buf bytes.Buffer
		name, err = "annvis.gif", r.gif.Encode(&buf)
		b = buf.Bytes()
	default:
		r.skip(g, advance)
		r.grab = true
		return "", nil, nil
	}
	r.kind, r.png, r.gif = "", nil, gifenc.Animation{}
	g.ShowFigureOnly(false)
	return name, b, err
}

// start prepares the game for an export: the figure without its controls,
// and for a GIF the play head on the first stage, playing.
func (r *recorder) start(g *app.Game) {
	g.ShowFigureOnly(true)
	if r.kind == "gif" {
		g.Rewind()
	}
}

// skip advances the game between GIF frames so that the frames span one
// pass through every stage at the animation's pace.
func (r *recorder) skip(g *app.Game, advance func()) {
	if r.kind != "gif" {
		return
	}
	if r.stride == 0 {
		r.frames, r.stride, r.gif.Delay = g.Recording(0, ebiten.TPS())
		r.gif.Classes = g.Classes()
	}
	for range r.stride - 1 {
		advance()
	}
}

// draw grabs screen when update asked for it.
func (r *recorder) draw(screen *ebiten.Image) {
	if !r.grab {
		return
	}
	r.grab = false
	b := screen.Bounds()
	if len(r.pix) != 4*b.Dx()*b.Dy() {
		r.pix = make([]byte, 4*b.Dx()*b.Dy())
	}
	screen.ReadPixels(r.pix)
	img := &image.RGBA{Pix: r.pix, Stride: 4 * b.Dx(), Rect: image.Rect(0, 0, b.Dx(), b.Dy())}
	if r.kind == "png" {
		r.png = &image.RGBA{Pix: bytes.Clone(img.Pix), Stride: img.Stride, Rect: img.Rect}
		return
	}
	r.gif.Add(img)
}

func encodePNG(img *image.RGBA) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, img) // writing to memory does not fail
	return buf.Bytes()
}

// deliver hands an exported file to the page, which downloads it.
func deliver(name string, b []byte, err error) {
	pg := js.Global().Get("annvisPage")
	if err != nil {
		pg.Call("exported", name, js.Null(), "export: "+err.Error())
		return
	}
	u8 := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u8, b)
	pg.Call("exported", name, u8, "")
}
