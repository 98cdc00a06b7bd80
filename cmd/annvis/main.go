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
//
// Keys: space play/pause, ←/→ step, 0–9 toggle a class, m model, v view,
// [ and ] layer (epochs view), + and - speed, Esc stop following a digit.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app"
	"annvis/core/params"
	"annvis/core/pipeline"
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
	dir := flag.String("models", "models", "directory of the assets (manifest.json, checkpoints, test set)")
	size := flag.String("size", "1024x768", "window size WxH")
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
	ebiten.SetWindowSize(w, h)
	ebiten.SetWindowTitle("annvis")
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	if err := ebiten.RunGame(app.New(p, pipeline.FSFetcher(os.DirFS(*dir)))); err != nil {
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
