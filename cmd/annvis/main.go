// Command annvis is the desktop annvis: it shows how the hidden layers of an
// MLP and a CNN trained on MNIST separate the test digits, layer to layer and
// epoch to epoch, as animated t-SNE trails. Its flags mirror the web page's
// URL parameters.
//
// Usage:
//
//	annvis [-model mlp|cnn] [-view layers|epochs] [-layer L] [-n N] [-perplexity P]
//	       [-seed S] [-method chained|joint|dynamic] [-lambda λ] [-classes 0,1,7]
//	       [-class C] [-speed X] [-models DIR] [-size WxH]
//	       [-record out.gif [-frames N] | -png out.png [-frames N] | -fps SECONDS]
//
// Assets come from the embedded models.FS unless -models names a directory.
// -record writes an animated GIF of N frames spanning the whole animation
// and exits; -png writes the Nth animated frame and exits; -fps measures the
// frames drawn per second (vsync off) for that many seconds of animation and
// prints them. These still open a window: run them under xvfb-run on a
// machine without a display.
//
// Keys: space play/pause, ←/→ step, 0–9 toggle a class, m model, v view,
// [ and ] layer (epochs and neuron views), + and - speed, b bundling of each
// class or all, Esc stop following a digit, h or ? these keys on screen.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/url"
	"os"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app"
	"annvis/core/params"
	"annvis/core/pipeline"
	"annvis/models"
)

// paramFlags are the flags that mirror the page's URL parameters.
var paramFlags = []struct{ name, usage string }{
	{"model", "network: mlp or cnn"},
	{"view", "view: layers or epochs"},
	{"layer", "hidden layer (1-based) of the epochs view; 0 = last"},
	{"n", "number of test digits, 100..10000 (default 2000)"},
	{"perplexity", "t-SNE perplexity, 2..100 and < n/3 (default 30)"},
	{"seed", "seed of every random choice (default 0)"},
	{"method", "t-SNE sequence method: chained, joint or dynamic (default: the view's)"},
	{"lambda", "dynamic t-SNE coherence weight, 0..10 (default 0.1)"},
	{"classes", "digit classes shown, e.g. 0,1,7 (default all)"},
	{"class", "class coloured by the neuron views, 0..9"},
	{"speed", "animation speed factor, 0.1..10 (default 1)"},
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("annvis: ")
	query := map[string]*string{}
	for _, f := range paramFlags {
		query[f.name] = flag.String(f.name, "", f.usage)
	}
	dir := flag.String("models", "", "directory of the assets (manifest.json, checkpoints, test set); default: the embedded ones")
	size := flag.String("size", "1024x768", "window size WxH")
	record := flag.String("record", "", "write the animation to this GIF file and exit")
	shot := flag.String("png", "", "write one animated frame to this PNG file and exit")
	frames := flag.Int("frames", 60, "frames to -record, or the animated frame -png writes")
	fps := flag.Int("fps", 0, "measure frames per second over this many seconds of animation, print them and exit")
	flag.Parse()
	if flag.NArg() > 0 {
		log.Fatalf("unexpected arguments %q", flag.Args())
	}
	p, err := parseFlags(query)
	if err != nil {
		log.Fatal(err)
	}
	var w, h int
	if _, err := fmt.Sscanf(*size, "%dx%d", &w, &h); err != nil || w < 160 || h < 120 {
		log.Fatalf("-size %q: want WxH, at least 160x120", *size)
	}
	if *frames < 1 {
		log.Fatalf("-frames %d: must be ≥ 1", *frames)
	}
	var fsys fs.FS = models.FS
	if *dir != "" {
		fsys = os.DirFS(*dir)
	}
	game := app.New(p, pipeline.FSFetcher(fsys))
	ebiten.SetWindowSize(w, h)
	ebiten.SetWindowTitle("annvis")
	c := &capture{game: game, frames: *frames}
	switch {
	case *record != "":
		c.mode, c.out = "gif", *record
	case *shot != "":
		c.mode, c.out = "png", *shot
	case *fps > 0:
		c.mode, c.frames = "fps", *fps
		ebiten.SetVsyncEnabled(false)
	default:
		ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
		if err := ebiten.RunGame(game); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := ebiten.RunGame(c); err != nil {
		log.Fatal(err)
	}
	if err := c.finish(); err != nil {
		log.Fatal(err)
	}
}

// parseFlags turns the flags that were set into a URL query and parses it,
// so that flags and URL share their validation and messages.
func parseFlags(query map[string]*string) (params.Params, error) {
	v := url.Values{}
	flag.Visit(func(f *flag.Flag) {
		if q, ok := query[f.Name]; ok {
			v.Set(f.Name, *q)
		}
	})
	return params.Parse(v.Encode())
}
