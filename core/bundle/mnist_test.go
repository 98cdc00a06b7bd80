package bundle

import (
	"math"
	"math/rand/v2"
	"testing"

	"annvis/core/mnist"
	"annvis/core/tsne"
)

// reluLayer returns the activations of a randomly initialised (He) ReLU
// layer of m neurons on the row-major n×d inputs x.
func reluLayer(x []float32, n, d, m int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 3))
	w := make([]float32, d*m)
	s := math.Sqrt(2.0 / float64(d))
	for k := range w {
		w[k] = float32(s * r.NormFloat64())
	}
	act := make([]float32, n*m)
	for i := range n {
		row := act[i*m : (i+1)*m]
		for p, v := range x[i*d : (i+1)*d] {
			if v == 0 {
				continue
			}
			for j, wj := range w[p*m : (p+1)*m] {
				row[j] += v * wj
			}
		}
		for j := range row {
			row[j] = max(row[j], 0)
		}
	}
	return act
}

// mnistTrails returns the trails of the first n MNIST test digits through
// stages independent t-SNE layouts (seeded, 500 iterations): of the pixels,
// of the images transposed, then of random ReLU layers (256 neurons, an
// untrained network) on top of those, alternately; and the digits' labels.
// Independent layouts put the classes in unrelated places, so the trails
// cross all over: the clutter bundling is for.
func mnistTrails(tb testing.TB, n, stages int) ([][]float64, []uint8) {
	set, err := mnist.LoadModule("t10k")
	if err != nil {
		tb.Fatal(err)
	}
	images, labels := set.Images[:n*mnist.Pixels], set.Labels[:n]
	x := make([]float32, n*784)
	xt := make([]float32, n*784)
	for i := range n {
		for p, v := range images[i*784 : (i+1)*784] {
			x[i*784+p] = float32(v) / 255
			xt[i*784+(p%28)*28+p/28] = float32(v) / 255
		}
	}
	inputs := [][]float32{x, xt}
	dims := []int{784, 784}
	for s := 2; s < stages; s++ {
		inputs = append(inputs, reluLayer(inputs[s-2], n, dims[s-2], 256, uint64(s)))
		dims = append(dims, 256)
	}
	trails := make([][]float64, n)
	for s := range stages {
		t, err := tsne.New(inputs[s], n, dims[s], tsne.Config{Seed: int64(s), Iterations: 500})
		if err != nil {
			tb.Fatal(err)
		}
		y := t.Run().Positions(nil)
		for i := range trails {
			trails[i] = append(trails[i], y[2*i], y[2*i+1])
		}
	}
	return trails, labels
}
