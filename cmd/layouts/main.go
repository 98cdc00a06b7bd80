// Command layouts precomputes the layouts of each network's default view
// (the layers view with default parameters) with the same pipeline the page
// runs live, writes them to models/layouts-<net>.zst and registers them in
// models/manifest.json, so that the default view animates as soon as the
// page has fetched them. `make models` runs it after training.
//
// Usage:
//
//	layouts [-models DIR] [-model mlp,cnn]
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
	flag.Parse()
	for _, net := range strings.Split(*nets, ",") {
		if err := precompute(*dir, net); err != nil {
			log.Fatal(err)
		}
	}
}

// precompute computes, writes and registers the default view of net.
func precompute(dir, net string) error {
	p := params.Default()
	p.Model = net
	if err := p.Validate(); err != nil || !p.IsDefaultView() {
		return fmt.Errorf("-model %q: want mlp or cnn", net)
	}
	start := time.Now()
	pl := pipeline.New(p, pipeline.FSFetcher(os.DirFS(dir)), true)
	last := ""
	for !pl.Status().Done {
		if err := pl.Step(time.Second); err != nil {
			return err
		}
		if st := pl.Status(); st.Phase != last {
			fmt.Fprintf(os.Stderr, "\r%s: %-40s %3.0f%%", net, st.Phase, 100*st.Progress)
			last = st.Phase
		}
	}
	fmt.Fprintln(os.Stderr)
	l, err := pl.Layouts()
	if err != nil {
		return err
	}
	b, err := pipeline.EncodeLayouts(l)
	if err != nil {
		return err
	}
	file := "layouts-" + net + ".zst"
	if err := os.WriteFile(filepath.Join(dir, file), b, 0o644); err != nil {
		return err
	}
	if err := assets.Update(dir, assets.Asset{File: file, Kind: assets.KindLayouts, Network: net}); err != nil {
		return err
	}
	log.Printf("%s: %d stages × %d digits, %d bytes, %.1f s", file, len(l.Stages), l.N(), len(b), time.Since(start).Seconds())
	return nil
}
