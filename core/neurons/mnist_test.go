package neurons

import (
	"math"
	"math/rand/v2"
	"testing"

	"annvis/core/mnist"
)

// mnistTest returns the first n MNIST test digits (n×784 pixels) and labels.
func mnistTest(tb testing.TB, n int) ([]uint8, []uint8) {
	s, err := mnist.LoadModule("t10k")
	if err != nil {
		tb.Fatal(err)
	}
	return s.Images[:n*mnist.Pixels], s.Labels[:n]
}

// reluLayer returns the activations of a randomly initialised (He) ReLU
// layer of d neurons on n MNIST images: what an untrained network's first
// hidden layer computes.
func reluLayer(images []uint8, n, d int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 3))
	w := make([]float32, 784*d)
	s := math.Sqrt(2.0 / 784)
	for k := range w {
		w[k] = float32(s * r.NormFloat64())
	}
	act := make([]float32, n*d)
	for i := range n {
		row := act[i*d : (i+1)*d]
		for p, v := range images[i*784 : (i+1)*784] {
			if v == 0 {
				continue
			}
			x := float32(v) / 255
			for j, wj := range w[p*d : (p+1)*d] {
				row[j] += x * wj
			}
		}
		for j := range row {
			row[j] = max(row[j]-0.2, 0)
		}
	}
	return act
}
