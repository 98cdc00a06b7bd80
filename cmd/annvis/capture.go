package main

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"os"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app"
	"annvis/core/app/palette"
)

// capture runs the game and, once the view animates, grabs frames from the
// screen: a PNG of one frame, a GIF spanning the whole animation, or a count
// of frames drawn per second. It stops the game when it has what it needs.
type capture struct {
	game   *app.Game
	mode   string // "png", "gif" or "fps"
	out    string // output file (png, gif)
	frames int    // png: animated frame to grab; gif: frames to record; fps: seconds
	err    error  // why the game stopped, if it failed

	stride  int         // updates per recorded GIF frame
	grab    bool        // Draw should grab the screen
	pix     []byte      // scratch for ReadPixels
	last    *image.RGBA // png: the grabbed frame
	gif     gif.GIF     // recorded frames
	start   time.Time   // fps: first animated frame
	draws   int         // fps: frames drawn since start
	updates int         // fps: updates since start
}

// Layout delegates to the game.
func (c *capture) Layout(w, h int) (int, int) { return c.game.Layout(w, h) }

// Update advances the game and decides whether Draw grabs the screen.
func (c *capture) Update() error {
	if c.grab {
		return nil // Ebiten catches up on ticks; wait until Draw took the frame
	}
	if err := c.game.Update(); err != nil {
		return err
	}
	s := c.game.State()
	if s.Error != "" {
		c.err = errors.New(s.Error)
		return ebiten.Termination
	}
	if s.Frame == 0 {
		return nil
	}
	switch c.mode {
	case "png":
		c.grab = s.Frame >= c.frames && c.last == nil
		if c.last != nil {
			return ebiten.Termination
		}
	case "gif":
		if len(c.gif.Image) >= c.frames {
			return ebiten.Termination
		}
		if c.stride == 0 {
			// Spread the frames over one pass through every stage.
			ticks := float64(s.Stages-1) * float64(ebiten.TPS()) / c.speed()
			c.stride = max(1, int(ticks/float64(c.frames)+0.5))
		}
		for range c.stride - 1 {
			c.game.Update()
		}
		c.grab = true
	case "fps":
		if c.start.IsZero() {
			c.start = time.Now()
		}
		c.updates++
		if time.Since(c.start) >= time.Duration(c.frames)*time.Second {
			return ebiten.Termination
		}
	}
	return nil
}

func (c *capture) speed() float64 {
	p, err := paramsOf(c.game.State().Query)
	if err != nil {
		return 1
	}
	return p.Speed
}

// Draw draws the game and grabs the screen when asked to.
func (c *capture) Draw(screen *ebiten.Image) {
	c.game.Draw(screen)
	if !c.start.IsZero() {
		c.draws++
	}
	if !c.grab {
		return
	}
	c.grab = false
	b := screen.Bounds()
	if len(c.pix) != 4*b.Dx()*b.Dy() {
		c.pix = make([]byte, 4*b.Dx()*b.Dy())
	}
	screen.ReadPixels(c.pix)
	img := &image.RGBA{Pix: c.pix, Stride: 4 * b.Dx(), Rect: image.Rect(0, 0, b.Dx(), b.Dy())}
	if c.mode == "png" {
		c.last = img
		return
	}
	c.gif.Image = append(c.gif.Image, quantize(img))
	c.gif.Delay = append(c.gif.Delay, 4)
}

// finish writes the output file or reports the frame rate.
func (c *capture) finish() error {
	if c.err != nil {
		return c.err
	}
	var b bytes.Buffer
	switch c.mode {
	case "fps":
		sec := time.Since(c.start).Seconds()
		s := c.game.State()
		fmt.Printf("fps %.1f updates/s %.1f frames %d seconds %.1f points %d stages %d\n",
			float64(c.draws)/sec, float64(c.updates)/sec, c.draws, sec, s.PointsDrawn, s.Stages)
		return nil
	case "png":
		if c.last == nil {
			return errors.New("no frame was drawn")
		}
		if err := png.Encode(&b, c.last); err != nil {
			return err
		}
	case "gif":
		if len(c.gif.Image) < c.frames {
			return fmt.Errorf("recorded %d of %d frames", len(c.gif.Image), c.frames)
		}
		if err := gif.EncodeAll(&b, &c.gif); err != nil {
			return err
		}
	}
	return os.WriteFile(c.out, b.Bytes(), 0o644)
}

// gifPalette holds the background, every class hue blended into the
// background at 22 levels, and 35 greys: what the game draws.
var gifPalette = func() color.Palette {
	bg := palette.Background
	p := color.Palette{bg}
	for _, c := range palette.Classes {
		for k := 1; k <= 22; k++ {
			f := float64(k) / 22
			mix := func(a, b uint8) uint8 { return uint8(float64(a)*(1-f) + float64(b)*f + 0.5) }
			p = append(p, color.RGBA{mix(bg.R, c.R), mix(bg.G, c.G), mix(bg.B, c.B), 0xff})
		}
	}
	for len(p) < 256 {
		v := uint8(255 * (len(p) - 221) / 34)
		p = append(p, color.RGBA{v, v, v, 0xff})
	}
	return p
}()

// quantize maps img to gifPalette, nearest colour, no dithering.
func quantize(img *image.RGBA) *image.Paletted {
	out := image.NewPaletted(img.Rect, gifPalette)
	cache := map[[3]uint8]uint8{}
	for i := 0; i < len(img.Pix); i += 4 {
		key := [3]uint8{img.Pix[i], img.Pix[i+1], img.Pix[i+2]}
		idx, ok := cache[key]
		if !ok {
			idx = uint8(gifPalette.Index(color.RGBA{key[0], key[1], key[2], 0xff}))
			cache[key] = idx
		}
		out.Pix[i/4] = idx
	}
	return out
}
