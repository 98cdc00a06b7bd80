// Command live is the single-threaded peer of the page's live-view
// benchmark (bench/page.sh): it computes a view with the page's own core
// (core/pipeline: decoding the shipped assets, forward passes, t-SNE),
// stepping it on one goroutine until its layouts are final, and prints the
// seconds it took. Compiled to js/wasm and run under Node it is the page's
// computation on one thread, without workers or drawing.
//
//	GOOS=js GOARCH=wasm go build -o live.wasm ./bench/live
//	node "$(go env GOROOT)/lib/wasm/wasm_exec_node.js" live.wasm -query 'seed=1&n=2000'
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"annvis/core/params"
	"annvis/core/pipeline"
	"annvis/models"
)

func main() {
	query := flag.String("query", "seed=1&n=2000", "the page's URL query of the view")
	flag.Parse()
	if err := run(*query); err != nil {
		fmt.Fprintln(os.Stderr, "live:", err)
		os.Exit(1)
	}
}

func run(query string) error {
	p, err := params.Parse(query)
	if err != nil {
		return err
	}
	start := time.Now()
	pl := pipeline.New(p, pipeline.FSFetcher(models.FS), true)
	for st := pl.Status(); !st.Done; st = pl.Status() {
		if err := pl.Step(time.Second); err != nil {
			return err
		}
		if !pl.Status().Done {
			time.Sleep(time.Millisecond) // let the fetching goroutine run
		}
	}
	fmt.Printf("query=%s stages=%d seconds=%.3f\n", query, len(pl.Stages()), time.Since(start).Seconds())
	return nil
}
