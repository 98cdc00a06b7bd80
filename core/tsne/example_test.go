package tsne_test

import (
	"fmt"
	"math/rand/v2"

	"annvis/core/tsne"
)

// Example projects three well separated 10-D clusters and checks that the
// layout keeps them apart.
func Example() {
	const n, d = 150, 10
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, n*d)
	labels := make([]uint8, n)
	for i := range n {
		labels[i] = uint8(i % 3)
		for f := range d {
			x[i*d+f] = float32(r.NormFloat64())
			if f == int(labels[i]) {
				x[i*d+f] += 20
			}
		}
	}
	t, err := tsne.New(x, n, d, tsne.Config{Perplexity: 20, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	y := t.Run().Positions(nil)
	fmt.Printf("points: %d\n", len(y)/2)
	fmt.Printf("neighbourhood hit: %.2f\n", tsne.NeighborhoodHit(y, labels, 6))
	// Output:
	// points: 150
	// neighbourhood hit: 1.00
}

// clusters returns n points of d dimensions in k separated clusters, and
// their labels.
func clusters(n, d, k int, seed uint64) ([]float32, []uint8) {
	r := rand.New(rand.NewPCG(seed, 2))
	x := make([]float32, n*d)
	labels := make([]uint8, n)
	for i := range n {
		labels[i] = uint8(i % k)
		for f := range d {
			x[i*d+f] = float32(r.NormFloat64())
			if f%k == int(labels[i]) {
				x[i*d+f] += 8
			}
		}
	}
	return x, labels
}

// ExampleTSNE_Step runs t-SNE a step at a time, as a browser frame would,
// reading the layout into the same memory each time.
func ExampleTSNE_Step() {
	x, labels := clusters(300, 12, 4, 3)
	t, err := tsne.New(x, 300, 12, tsne.Config{Seed: 7})
	if err != nil {
		fmt.Println(err)
		return
	}
	var y []float64
	frames := 0
	for !t.Step() {
		frames++
		if t.Prepared() {
			y = t.Positions(y) // draw y
		}
	}
	y = t.Positions(y)
	fmt.Printf("progress %.0f%% after more than 250 steps: %v\n", 100*t.Progress(), frames > 250)
	fmt.Printf("neighbourhood hit %.2f\n", tsne.NeighborhoodHit(y, labels, 6))
	// Output:
	// progress 100% after more than 250 steps: true
	// neighbourhood hit 1.00
}

// ExampleNewSequence lays out the same points seen at three stages, each
// stage starting from the previous layout, and measures how far points
// move between stages.
func ExampleNewSequence() {
	const n, d = 240, 10
	base, labels := clusters(n, d, 3, 10)
	r := rand.New(rand.NewPCG(11, 0))
	var xs [][]float32
	for range 3 { // the same points, a little noisier each stage
		x := make([]float32, n*d)
		for i, v := range base {
			x[i] = v + float32(0.3*r.NormFloat64())
		}
		xs, base = append(xs, x), x
	}
	seq, err := tsne.NewSequence(xs, n, []int{d, d, d}, tsne.Chained, 0, tsne.Config{Perplexity: 20})
	if err != nil {
		fmt.Println(err)
		return
	}
	for !seq.Step() {
	}
	a, b := seq.Positions(0, nil), seq.Positions(1, nil)
	fmt.Printf("stages: %d, ready: %v\n", seq.Len(), seq.Ready(2))
	fmt.Printf("hit at stage 1: %.2f\n", tsne.NeighborhoodHit(b, labels, 6))
	fmt.Printf("points move less than a tenth of the layout: %v\n", tsne.Coherence(a, b) < 0.1)
	// Output:
	// stages: 3, ready: true
	// hit at stage 1: 1.00
	// points move less than a tenth of the layout: true
}
