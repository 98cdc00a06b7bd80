package main

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app"
	"annvis/core/app/gifenc"
	"annvis/core/params"
)

// capture runs the game and, once the view animates, grabs frames from the
// screen: a PNG of one frame, a GIF spanning the whole animation, or a count
// of frames drawn per second. It stops the game when it has what it needs.
type capture struct {
	game   *app.Game
	mode   string // "png", "gif" or "fps"
	out    string // output file (png, gif)
	frames int    // png: animated frame to grab; gif: frames to record (0: at the pace); fps: seconds
	err    error  // why the game stopped, if it failed

	stride int              // updates per recorded GIF frame
	grab   bool             // Draw should grab the screen
	pix    []byte           // scratch for ReadPixels
	last   *image.RGBA      // png: the grabbed frame
	gif    gifenc.Animation // recorded frames
	start  time.Time        // fps: start of the current measurement
	draws  int              // fps: frames drawn since start
	points int              // fps: points drawn in the last frame
	floor  bool             // fps: measuring the almost empty frame
	cpu    time.Duration    // fps: process CPU time at start
	fps    []float64        // fps: frames per second of each finished measurement
	cpuMS  []float64        // fps: CPU milliseconds per frame of each measurement
	pts    []int            // fps: points drawn in each finished measurement
}

// Layout delegates to the game.
func (c *capture) Layout(w, h int) (int, int) { return c.game.Layout(w, h) }

// LayoutF delegates to the game: the -scale flag multiplies the pixels.
func (c *capture) LayoutF(w, h float64) (float64, float64) { return c.game.LayoutF(w, h) }

// Update advances the game and decides whether Draw grabs the screen.
func (c *capture) Update() error {
	if c.grab {
		return nil // Ebiten catches up on ticks; wait until Draw took the frame
	}
	if err := c.game.Update(); err != nil {
		return err
	}
	s := c.game.State()
	if c.floor {
		return c.measure(s)
	}
	if s.Error != "" {
		c.err = errors.New(s.Error)
		return ebiten.Termination
	}
	if s.Frame == 0 {
		return nil
	}
	switch c.mode {
	case "png":
		if c.frames == 0 {
			// The first frame resting on the last stage, or the pass's end.
			n, stride, _ := c.game.Recording(0, ebiten.TPS())
			c.frames = max(1, (n-1)*stride)
		}
		c.grab = s.Frame >= c.frames && c.last == nil
		if c.last != nil {
			return ebiten.Termination
		}
	case "gif":
		if c.stride == 0 {
			// Spread the frames over one pass through every stage, at its pace.
			c.frames, c.stride, c.gif.Delay = c.game.Recording(c.frames, ebiten.TPS())
			c.gif.Classes = c.game.Classes()
		}
		if c.gif.Len() >= c.frames {
			return ebiten.Termination
		}
		for range c.stride - 1 {
			c.game.Update()
		}
		c.grab = true
	case "fps":
		return c.measure(s)
	}
	return nil
}

// measure counts frames over three periods: the view as asked; its peer,
// the same view with only class 1 shown (about a tenth of the trails); and
// the floor, a game that draws only a background and a message.
func (c *capture) measure(s app.State) error {
	if c.start.IsZero() {
		c.start, c.draws, c.cpu = time.Now(), 0, cpuTime()
		return nil
	}
	sec := time.Since(c.start).Seconds()
	if sec < float64(c.frames) {
		c.points = s.PointsDrawn
		return nil
	}
	c.fps = append(c.fps, float64(c.draws)/sec)
	c.cpuMS = append(c.cpuMS, float64((cpuTime()-c.cpu).Milliseconds())/float64(max(c.draws, 1)))
	c.pts = append(c.pts, c.points)
	c.start = time.Time{}
	switch len(c.fps) {
	case 1:
		p, err := params.Parse(s.Query)
		if err != nil {
			return err
		}
		p.Classes = [params.MaxClasses]bool{1: true}
		c.game.SetParams(p)
	case 2:
		c.game, c.floor = app.NewError(errors.New("measuring the frame rate of an almost empty frame")), true
	default:
		return ebiten.Termination
	}
	return nil
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
	c.gif.Add(img)
}

// finish writes the output file or reports the frame rate.
func (c *capture) finish() error {
	if c.err != nil {
		return c.err
	}
	var b bytes.Buffer
	switch c.mode {
	case "fps":
		if len(c.fps) < 3 {
			return errors.New("the frame rate was not measured")
		}
		fmt.Printf("fps %.1f cpu-ms/frame %.1f points %d", c.fps[0], c.cpuMS[0], c.pts[0])
		fmt.Printf(" | class 1 only: fps %.1f cpu-ms/frame %.1f points %d", c.fps[1], c.cpuMS[1], c.pts[1])
		fmt.Printf(" | empty frame: fps %.1f cpu-ms/frame %.1f", c.fps[2], c.cpuMS[2])
		fmt.Printf(" | fps ratios view/class-1 %.2f view/empty %.2f\n", c.fps[0]/c.fps[1], c.fps[0]/c.fps[2])
		return nil
	case "png":
		if c.last == nil {
			return errors.New("no frame was drawn")
		}
		if err := png.Encode(&b, c.last); err != nil {
			return err
		}
	case "gif":
		if c.gif.Len() < c.frames {
			return fmt.Errorf("recorded %d of %d frames", c.gif.Len(), c.frames)
		}
		if err := c.gif.Encode(&b); err != nil {
			return err
		}
	}
	return os.WriteFile(c.out, b.Bytes(), 0o644)
}
