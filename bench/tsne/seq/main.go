// Command seq is the sequence part of bench/tsne.sh: it runs the t-SNE
// sequences of the inter-layer view on the shipped MLP (4 hidden layers)
// for the first n test digits, natively or as js/wasm under Node, and
// prints for each method the time, the longest Step and the layouts'
// quality (neighbourhood hit of the last layer, mean coherence).
//
//	seq -n 2000
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/core/tsne"
	"annvis/models"
)

func main() {
	n := flag.Int("n", 2000, "number of test digits")
	flag.Parse()
	if err := run(*n); err != nil {
		fmt.Fprintln(os.Stderr, "seq:", err)
		os.Exit(1)
	}
}

// run projects the MLP's hidden layers with each sequence method.
func run(n int) error {
	xs, dims, labels, err := activations(n)
	if err != nil {
		return err
	}
	for _, m := range []struct {
		method tsne.SeqMethod
		lambda float64
	}{{tsne.Chained, 0}, {tsne.Dynamic, 0.1}} {
		s, err := tsne.NewSequence(xs, n, dims, m.method, m.lambda, tsne.Config{Standardize: true})
		if err != nil {
			return err
		}
		start := time.Now()
		var longest time.Duration
		for done := false; !done; {
			t := time.Now()
			done = s.Step()
			longest = max(longest, time.Since(t))
		}
		seconds := time.Since(start).Seconds()
		coherence := 0.0
		for k := 1; k < s.Len(); k++ {
			coherence += tsne.Coherence(s.Positions(k-1, nil), s.Positions(k, nil)) / float64(s.Len()-1)
		}
		hit := tsne.NeighborhoodHit(s.Positions(s.Len()-1, nil), labels, 6)
		fmt.Printf("method=%v n=%d layers=%d seconds=%.3f longest_step_ms=%.1f hit6_last=%.4f coherence=%.4f\n",
			m.method, n, s.Len(), seconds, longest.Seconds()*1000, hit, coherence)
	}
	return nil
}

// activations returns the MLP's hidden layers for the first n test digits.
func activations(n int) ([][]float32, []int, []uint8, error) {
	b, err := models.FS.ReadFile("mnist-t10k.zst")
	if err != nil {
		return nil, nil, nil, err
	}
	set, err := mnist.DecodeAsset(b)
	if err != nil {
		return nil, nil, nil, err
	}
	if n > set.Len() {
		return nil, nil, nil, fmt.Errorf("n = %d, the test set has %d digits", n, set.Len())
	}
	if b, err = models.FS.ReadFile("mlp-e20.zst"); err != nil {
		return nil, nil, nil, err
	}
	ck, err := model.DecodeCheckpoint(b)
	if err != nil {
		return nil, nil, nil, err
	}
	out, err := ck.Net.Forward(set.Images[:n*mnist.Pixels], n)
	if err != nil {
		return nil, nil, nil, err
	}
	var dims []int
	for _, l := range ck.Net.Hidden() {
		dims = append(dims, l.Size)
	}
	return out.Hidden, dims, set.Labels[:n], nil
}
