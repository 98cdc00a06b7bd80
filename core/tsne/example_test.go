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
