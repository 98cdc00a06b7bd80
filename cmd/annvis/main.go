// Command annvis is the desktop annvis: it shows how the hidden layers of an
// MLP and a CNN trained on MNIST separate the test digits, layer to layer and
// epoch to epoch, as animated t-SNE trails, and maps their neurons. Its flags
// mirror the web page's URL parameters.
//
// Usage:
//
//	annvis [-model mlp|cnn|both]
//	       [-view layers|epochs|trace|bundled|neurons|map|compare|train] [-layer L]
//	       [-n N] [-perplexity P] [-seed S] [-method chained|joint|dynamic]
//	       [-lambda λ] [-classes 0,1,7] [-class C] [-speed X] [-proj mds|tsne]
//	       [-hold SECONDS] [-transition SECONDS] [-models DIR]
//	       [-arch 128,128|cnn] [-act relu|tanh] [-lr R] [-batch B] [-epochs E] [-train T]
//	       [-save trained.zst | -checkpoint trained.zst | -data FILE.npz [-data2 FILE2.npz]]
//	       [-theme dark|light] [-scale S] [-size WxH] [-record out.gif [-frames N] | -png out.png [-frames N] | -fps SECONDS]
//
// A crash (a panic in the game) ends the program with a one-line message
// and exit status 1; -debug prints the Go trace as well.
//
// annvis -h describes every flag. Package cli reads them before Ebiten
// starts, so that -h, a bad flag or a missing display give a message, not
// a panic.
//
// Assets come from the embedded models.FS unless -models names a directory;
// -data shows the user's own activations instead (docs/data-format.md).
// -record writes an animated GIF of one pass through the animation at its
// pace (-hold seconds on each stage, -transition seconds between stages),
// N frames or 10 a second, and exits; -png writes the Nth animated frame,
// or the first on the last stage, and exits; -fps measures the
// frames drawn per second (vsync off) for that many seconds of animation and
// prints them. These still open a window: run them under xvfb-run on a
// machine without a display.
//
// Keys: space play/pause, ←/→ step, 0–9 toggle a class (neurons view: colour
// by it), m model, v view, [ and ] layer (epochs, neurons and map views;
// trace and bundled: every layer or one layer's epochs), + and - speed,
// b bundling of each class or all, Esc stop following a digit, h or ? these
// keys on screen.
package main

import (
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/cmd/annvis/cli"
	"annvis/core/app"
	"annvis/core/assets"
	"annvis/core/pipeline"
	"annvis/core/userdata"
	"annvis/models"
)

// main runs the game cli.Parsed describes: in a window, or to a file.
func main() {
	log.SetFlags(0)
	log.SetPrefix("annvis: ")
	o := cli.Parsed()
	if !o.Debug {
		debug.SetTraceback("none") // a crash outside the game's loop prints its reason only
	}
	var fsys fs.FS = models.FS
	if o.Models != "" {
		fsys = os.DirFS(o.Models)
	}
	fetch := pipeline.FSFetcher(fsys)
	if o.Checkpoint != "" {
		dir, file := filepath.Split(o.Checkpoint) // read at most assets.MaxAssetBytes of it
		b, err := pipeline.FSFetcher(os.DirFS(filepath.Clean(dir)))(file, assets.MaxAssetBytes)
		if err != nil {
			log.Fatalf("-checkpoint %s: %v", o.Checkpoint, err)
		}
		if fetch, o.Params, err = pipeline.WithCheckpoint(fetch, filepath.Base(o.Checkpoint), b, o.Params); err != nil {
			log.Fatal(err)
		}
	}
	open, classes := background(fetch), [][]string(nil)
	if o.Data != "" {
		var sets []*userdata.Set
		for _, f := range []struct{ flag, file string }{{"-data", o.Data}, {"-data2", o.Data2}} {
			if f.file == "" {
				continue
			}
			set, err := userdata.ReadPath(f.file, userdata.Native)
			if err != nil {
				log.Fatalf("%s %s: %v", f.flag, f.file, err)
			}
			sets = append(sets, set)
			classes = append(classes, set.ClassNames)
		}
		open = data(sets...)
	}
	game := app.New(o.Params, open)
	if o.Data == "" {
		game.OpenTrained(trained(fetch))
	}
	if classes != nil {
		game.SetData(classes...)
		if err := o.Params.ValidateClasses(game.Classes()); err != nil {
			log.Fatalf("-data %s: %v", o.Data, err)
		}
	}
	if o.Save != "" {
		game.OnTrained(func(b []byte, err error) { save(o.Save, b, err) })
	}
	ebiten.SetWindowSize(o.W, o.H)
	ebiten.SetWindowTitle("annvis")
	c := &capture{game: game, frames: o.Frames}
	switch {
	case o.Record != "":
		c.mode, c.out = "gif", o.Record
	case o.PNG != "":
		c.mode, c.out = "png", o.PNG
	case o.FPS > 0:
		c.mode, c.frames = "fps", o.FPS
		ebiten.SetVsyncEnabled(false)
	default:
		ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
		if err := ebiten.RunGame(&guarded{game: game, debug: o.Debug}); err != nil {
			log.Fatal(err)
		}
		return
	}
	game.IgnorePointer() // a recording must not depend on where the pointer rests
	if c.mode != "fps" {
		game.ShowFigureOnly(true) // a figure for slides and papers: no buttons, no timeline
	}
	if err := ebiten.RunGame(&guarded{game: c, debug: o.Debug}); err != nil {
		log.Fatal(err)
	}
	if err := c.finish(); err != nil {
		log.Fatal(err)
	}
}

// save writes the trained checkpoint b to file (annvis -save).
func save(file string, b []byte, err error) {
	if err == nil {
		err = os.WriteFile(file, b, 0o644)
	}
	if err != nil {
		log.Printf("-save: %v", err)
		return
	}
	log.Printf("saved the trained network to %s (%d bytes); open it with annvis -checkpoint %s", file, len(b), file)
}
