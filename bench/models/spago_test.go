package models_test

import (
	"math/rand/v2"
	"testing"

	"github.com/nlpodyssey/spago/ag"
	"github.com/nlpodyssey/spago/mat"
	"github.com/nlpodyssey/spago/nn/activation"
	"github.com/nlpodyssey/spago/nn/convolution/convolution2d"

	"annvis/core/mnist"
)

// BenchmarkSpagoConv2D is the peer of the CNN forward pass: spago's own
// convolution2d (one graph node per patch and channel pair) computing only
// the CNN's two convolution layers and the first pooling, digit by digit,
// with random weights. It reports digits/s like BenchmarkForward.
func BenchmarkSpagoConv2D(b *testing.B) {
	test, _ := load(b, "cnn")
	rng := rand.New(rand.NewPCG(1, 1))
	conv := func(in, out int) *convolution2d.Model {
		m := convolution2d.New[float32](convolution2d.Config{
			KernelSizeX: 3, KernelSizeY: 3, XStride: 1, YStride: 1,
			InputChannels: in, OutputChannels: out, Activation: activation.ReLU,
		})
		for _, k := range m.K {
			w := k.Value().(mat.Matrix).Data().F32()
			for i := range w {
				w[i] = float32(rng.NormFloat64() * 0.3)
			}
		}
		return m
	}
	c1, c2 := conv(1, 16), conv(16, 32)
	const digits = 10
	for range b.N {
		for d := range digits {
			x := make([]float32, mnist.Pixels)
			for i, p := range test.Image(d) {
				x[i] = float32(p) / 255
			}
			h := c1.Forward(mat.NewDense[float32](mat.WithShape(mnist.Side, mnist.Side), mat.WithBacking(x)))
			for i := range h {
				h[i] = ag.MaxPooling(h[i], 2, 2)
			}
			c2.Forward(h...)
		}
	}
	b.ReportMetric(digits*float64(b.N)/b.Elapsed().Seconds(), "digits/s")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/digits*10000, "s/10k")
}
