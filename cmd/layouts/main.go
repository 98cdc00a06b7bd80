// Command layouts precomputes the layouts of each network's default views
// (the layers view, and the epochs view of the last hidden layer, with
// default parameters) with the same pipeline the page runs live, writes them
// to models/layouts-<net>.zst and models/layouts-<net>-epochs.zst and
// registers them in models/manifest.json, so that these views animate as
// soon as the page has fetched them. `make models` runs it after training.
//
// With -report it writes nothing and prints how well the projections
// separate the classes (neighbourhood hit, k = 10): per hidden layer from the
// shipped layouts, and per checkpoint of the last hidden layer computed live
// with n digits (the epochs view) — the paper's findings, for make bench.
//
// Usage:
//
//	layouts [-models DIR] [-model mlp,cnn] [-report [-n N]]
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"annvis/core/assets"
	"annvis/core/params"
	"annvis/core/pipeline"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("layouts: ")
	dir := flag.String("models", "models", "assets directory: reads manifest.json, the test set and checkpoints, writes layouts-<net>.zst")
	nets := flag.String("model", "mlp,cnn", "comma-separated networks whose default view to precompute")
	report := flag.Bool("report", false, "print the neighbourhood hits of the shipped layouts and of the epochs view instead")
	n := flag.Int("n", 1000, "digits of the epochs view computed for -report")
	flag.Parse()
	for _, net := range strings.Split(*nets, ",") {
		var err error
		if *report {
			err = reportQuality(*dir, net, *n)
		} else {
			err = precomputeDefault(*dir, net, "layers")
			if err == nil {
				err = precomputeDefault(*dir, net, "epochs")
			}
		}
		if err != nil {
			log.Fatal(err)
		}
	}
}

// precomputeDefault precomputes the default view of net.
func precomputeDefault(dir, net, view string) error {
	p := params.Default()
	p.Model, p.View = net, view
	file, ok := pipeline.LayoutsFile(p)
	if err := p.Validate(); err != nil || !ok {
		return fmt.Errorf("-model %q: want mlp or cnn", net)
	}
	return precompute(dir, p, file)
}

// precompute computes the view p, writes it to dir/file and registers it.
func precompute(dir string, p params.Params, file string) error {
	net := p.Model
	start := time.Now()
	pl, err := run(dir, p)
	if err != nil {
		return err
	}
	l, err := pl.Layouts()
	if err != nil {
		return err
	}
	b, err := pipeline.EncodeLayouts(l)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, file), b, 0o644); err != nil {
		return err
	}
	if err := assets.Update(dir, assets.Asset{File: file, Kind: assets.KindLayouts, Network: net}); err != nil {
		return err
	}
	log.Printf("%s: %d stages × %d digits, %d bytes, %.1f s", file, len(l.Stages), l.N(), len(b), time.Since(start).Seconds())
	return nil
}

// run computes the view p live from the assets in dir, showing progress.
func run(dir string, p params.Params) (*pipeline.Pipeline, error) {
	pl := pipeline.New(p, pipeline.FSFetcher(os.DirFS(dir)), true)
	last := ""
	for !pl.Status().Done {
		if err := pl.Step(time.Second); err != nil {
			return nil, err
		}
		if st := pl.Status(); st.Phase != last {
			fmt.Fprintf(os.Stderr, "\r%s %s: %-40s %3.0f%%", p.Model, p.View, st.Phase, 100*st.Progress)
			last = st.Phase
		}
	}
	fmt.Fprintln(os.Stderr)
	return pl, nil
}

// reportQuality prints the neighbourhood hit of every hidden layer (shipped
// layouts) and of the last hidden layer at every checkpoint (computed live).
func reportQuality(dir, net string, n int) error {
	b, err := os.ReadFile(filepath.Join(dir, "layouts-"+net+".zst"))
	if err != nil {
		return err
	}
	l, err := pipeline.DecodeLayouts(b)
	if err != nil {
		return err
	}
	fmt.Printf("%s layers (n=%d, shipped layouts):", net, l.N())
	for _, s := range l.Stages {
		fmt.Printf(" %s NH %.3f TW %.3f |", s.Name, s.Quality.NH, s.Quality.TW)
	}
	first, last := l.Stages[0].Quality.NH, l.Stages[len(l.Stages)-1].Quality.NH
	fmt.Printf(" last/first %.3f (paper: > 1)\n", last/first)
	p := params.Default()
	p.Model, p.View, p.N = net, "epochs", n
	pl, err := run(dir, p)
	if err != nil {
		return err
	}
	fmt.Printf("%s epochs, last hidden layer (n=%d, joint t-SNE):", net, n)
	for k, name := range pl.Stages() {
		fmt.Printf(" %s NH %.3f |", name, pl.Quality(k).NH)
	}
	e0, e1 := pl.Quality(0).NH, pl.Quality(len(pl.Stages())-1).NH
	fmt.Printf(" final/untrained %.3f (paper: > 1)\n", e1/e0)
	return nil
}
