// Command layouts precomputes the layouts of every view of each network at
// default parameters (pipeline.Shipped: the layers view, the epochs view and
// the neurons view of every hidden layer; the trace and bundled views share
// the digit layouts, the map view the neurons'), and the bundled view's
// trails, with the same pipeline the page runs live. It writes them to
// models/ under the names viewstate.LayoutsFile and pipeline.BundlesFile give
// and registers them in models/manifest.json, so that these views open as
// soon as the page has fetched them. `make models` runs it after training;
// `-only 'layouts-*-bundled.zst'` bundles the shipped layouts again.
//
// With -report it writes nothing and prints how well the projections
// separate the classes (neighbourhood hit, k = 10): per hidden layer from the
// shipped layouts, and per checkpoint of the last hidden layer computed live
// with n digits (the epochs view) — the paper's findings, for make bench.
//
// With -data it publishes the user's data set instead (docs/data-format.md):
// it computes the layouts of its layers or epochs view natively (N up to
// 100,000) and writes into -out a copy of the built page (-site, after make
// web) with data/NAME.npz, the set's labels, predictions, images, class
// names and layouts without its activations, which the page opens at once at
// ?data=NAME.
//
// Usage:
//
//	layouts [-models DIR] [-model mlp,cnn] [-only PATTERN] [-report [-n N]]
//	layouts -data FILE.npz -out DIR [-site static] [-name NAME] [-perplexity P] [-seed S]
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"annvis/core/assets"
	"annvis/core/params"
	"annvis/core/pipeline"
	"annvis/core/viewstate"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("layouts: ")
	dir := flag.String("models", "models", "assets directory: reads manifest.json, the test set and checkpoints, writes layouts-<net>.zst")
	nets := flag.String("model", "mlp,cnn", "comma-separated networks whose default view to precompute")
	report := flag.Bool("report", false, "print the neighbourhood hits of the shipped layouts and of the epochs view instead")
	n := flag.Int("n", 1000, "digits of the epochs view computed for -report")
	only := flag.String("only", "*", "precompute only the assets whose file name matches this pattern (path.Match), e.g. 'layouts-*-neurons-*'")
	var pub publication
	flag.StringVar(&pub.data, "data", "", "publish this data set (.npz or folder of .npy, docs/data-format.md) instead; with -out")
	flag.StringVar(&pub.out, "out", "", "-data: directory to write the published page into")
	flag.StringVar(&pub.site, "site", "static", "-data: the built page to copy (make web)")
	flag.StringVar(&pub.name, "name", "", "-data: the name of the data set in the page's address (default: the file's)")
	flag.Float64Var(&pub.perplexity, "perplexity", 30, "-data: t-SNE perplexity")
	flag.Int64Var(&pub.seed, "seed", 0, "-data: seed of every random choice")
	flag.Parse()
	if pub.data != "" {
		if err := pub.publish(); err != nil {
			log.Fatal(err)
		}
		return
	}
	for _, net := range strings.Split(*nets, ",") {
		var err error
		if *report {
			err = reportQuality(*dir, net, *n)
		} else {
			err = precomputeShipped(*dir, net, *only)
		}
		if err != nil {
			log.Fatal(err)
		}
	}
}

// precomputeShipped precomputes every shipped view of net whose file name
// matches the pattern only, and the bundled trails of each epochs view
// whose layouts or bundles file name matches it (from the layouts in dir).
func precomputeShipped(dir, net, only string) error {
	if net != "mlp" && net != "cnn" {
		return fmt.Errorf("-model %q: want mlp or cnn", net)
	}
	if _, err := path.Match(only, ""); err != nil {
		return fmt.Errorf("-only %q: %v", only, err)
	}
	for _, p := range pipeline.Shipped(net) {
		file, _ := viewstate.LayoutsFile(p)
		layouts, _ := path.Match(only, file)
		bundles, _ := path.Match(only, pipeline.BundlesFile(file))
		if layouts {
			if err := precompute(dir, p, file); err != nil {
				return err
			}
		}
		if p.View == "epochs" && (layouts || bundles) { // the bundled view shows epochs
			if err := precomputeBundles(dir, net, file); err != nil {
				return err
			}
		}
	}
	return nil
}

// precomputeBundles bundles the trails of the shipped layouts dir/file as
// the bundled view does, writes them to dir/BundlesFile(file) and registers them.
func precomputeBundles(dir, net, file string) error {
	start := time.Now()
	b, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return err
	}
	l, err := pipeline.DecodeLayouts(b)
	if err != nil {
		return err
	}
	res, err := pipeline.Bundle(l)
	if err != nil {
		return err
	}
	enc, err := pipeline.EncodeBundles(&pipeline.Bundles{Layouts: assets.Hash(b), Result: res})
	if err != nil {
		return err
	}
	out := pipeline.BundlesFile(file)
	if err := os.WriteFile(filepath.Join(dir, out), enc, 0o644); err != nil {
		return err
	}
	if err := assets.Update(dir, assets.Asset{File: out, Kind: assets.KindBundles, Network: net}); err != nil {
		return err
	}
	log.Printf("%s: %d trails bundled, %d bytes, %.1f s", out, len(res.Lines), len(enc), time.Since(start).Seconds())
	return nil
}

// precompute computes the view p, writes it to dir/file and registers it.
func precompute(dir string, p params.Params, file string) error {
	start := time.Now()
	pl, err := run(dir, p)
	if err != nil {
		return err
	}
	b, kind, what, err := encode(pl, p)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, file), b, 0o644); err != nil {
		return err
	}
	if err := assets.Update(dir, assets.Asset{File: file, Kind: kind, Network: p.Model}); err != nil {
		return err
	}
	log.Printf("%s: %s, %d bytes, %.1f s", file, what, len(b), time.Since(start).Seconds())
	return nil
}

// encode returns the finished view p as an asset of its kind, and a summary.
func encode(pl *pipeline.Pipeline, p params.Params) (b []byte, kind, what string, err error) {
	if p.View == "neurons" {
		l, err := pl.NeuronLayouts()
		if err != nil {
			return nil, "", "", err
		}
		b, err = pipeline.EncodeNeuronLayouts(l)
		return b, assets.KindNeurons, fmt.Sprintf("%d stages × %d neurons", len(l.Stages), len(l.Stages[0].Class)), err
	}
	l, err := pl.Layouts()
	if err != nil {
		return nil, "", "", err
	}
	b, err = pipeline.EncodeLayouts(l)
	return b, assets.KindLayouts, fmt.Sprintf("%d stages × %d digits", len(l.Stages), l.N()), err
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
