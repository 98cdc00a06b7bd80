// Package model holds the two networks annvis visualises, an MLP and a CNN
// for MNIST digits, defined and trained with spago: their batched forward
// pass returning every hidden layer, training, and the checkpoint codec.
package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/nlpodyssey/spago/mat"
	"github.com/nlpodyssey/spago/nn"

	"annvis/core/mnist"
)

// Pixels is the number of input values of a digit, Classes of outputs.
const Pixels, Classes = 784, 10

// Layer describes one hidden layer shown by the views.
type Layer struct {
	Name string // e.g. "dense1"
	Size int    // number of neurons
}

// tensor describes one parameter matrix.
type tensor struct {
	name       string
	rows, cols int
}

// CNN geometry: 28×28×1 → conv 3×3 → 26×26×16 → pool → 13×13×16 →
// conv 3×3 → 11×11×32 → pool → 5×5×32 = 800 → 256 → 128 → 10.
var (
	geomIn    = geom{28, 28, 1}
	geomConv1 = geom{26, 26, 16}
	geomPool1 = geom{13, 13, 16}
	geomConv2 = geom{11, 11, 32}
	geomPool2 = geom{5, 5, 32}
)

// kernel is the side of the CNN's convolution kernels.
const kernel = 3

// Net is an MLP (the shipped 784-256-256-256-256-10 ReLU, or any MLPArch)
// or a CNN (conv16 3×3 → maxpool 2 → conv32 3×3 → maxpool 2 → dense 256 →
// dense 128 → 10, ReLU), its parameters spago float32 params.
type Net struct {
	arch   string
	spec   spec
	params []*nn.Param
}

// New returns an untrained network of architecture arch ("mlp", "cnn" or an
// MLPArch name), with He-uniform weights drawn from seed and zero biases.
func New(arch string, seed int64) (*Net, error) {
	a, err := archSpec(arch)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x616e6e766973))
	n := &Net{arch: arch, spec: a}
	for _, t := range a.params {
		v := make([]float32, t.rows*t.cols)
		if t.rows > 1 {
			lim := math.Sqrt(6 / float64(t.rows))
			for i := range v {
				v[i] = float32((2*rng.Float64() - 1) * lim)
			}
		}
		n.params = append(n.params, newParam(t, v))
	}
	return n, nil
}

// newParam returns a trainable parameter of shape t holding v.
func newParam(t tensor, v []float32) *nn.Param {
	p := &nn.Param{Matrix: dense(t.rows, t.cols, v)}
	p.SetRequiresGrad(true)
	return p
}

// Arch returns the architecture: "mlp", "cnn" or an MLPArch name.
func (n *Net) Arch() string { return n.arch }

// Hidden returns the hidden layers the views show: the MLP's layers, the
// CNN's two dense layers.
func (n *Net) Hidden() []Layer { return append([]Layer(nil), n.spec.hidden...) }

// Output is the result of a forward pass over count digits.
type Output struct {
	// Logits holds count×10 class scores, row-major.
	Logits []float32
	// Hidden holds, per layer of Hidden(), the count×Size activations
	// (after ReLU), row-major.
	Hidden [][]float32
	// Conv holds, for the CNN, the two convolution blocks' feature maps after
	// ReLU and max pooling: count × 13·13·16 and count × 5·5·32, each map in
	// height × width × channel order. It is nil for the MLP.
	Conv [][]float32
}

// Forward runs the network on count digits (count×784 bytes, 0…255, scaled
// by 1/255) and returns the logits and every hidden layer. Natively, large
// batches are split across GOMAXPROCS goroutines; the result is the same.
func (n *Net) Forward(images []uint8, count int) (*Output, error) {
	if count < 0 || len(images) != count*Pixels {
		return nil, fmt.Errorf("model: forward: %d pixels for %d digits, want %d", len(images), count, count*Pixels)
	}
	parts := min(runtime.GOMAXPROCS(0), count/32)
	if runtime.GOARCH == "wasm" || parts < 2 {
		return n.forward(images, count), nil
	}
	outs := make([]*Output, parts)
	var wg sync.WaitGroup
	for i := range outs {
		from, to := i*count/parts, (i+1)*count/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i] = n.forward(images[from*Pixels:to*Pixels], to-from)
		}()
	}
	wg.Wait()
	return concat(outs), nil
}

// concat joins the outputs of consecutive batches.
func concat(outs []*Output) *Output {
	join := func(part func(o *Output) []float32) []float32 {
		var all []float32
		for _, o := range outs {
			all = append(all, part(o)...)
		}
		return all
	}
	out := &Output{Logits: join(func(o *Output) []float32 { return o.Logits })}
	for l := range outs[0].Hidden {
		out.Hidden = append(out.Hidden, join(func(o *Output) []float32 { return o.Hidden[l] }))
	}
	for l := range outs[0].Conv {
		out.Conv = append(out.Conv, join(func(o *Output) []float32 { return o.Conv[l] }))
	}
	return out
}

// forward runs the network on count digits as one batch.
func (n *Net) forward(images []uint8, count int) *Output {
	out := &Output{Hidden: make([][]float32, 0, len(n.spec.hidden))}
	if count == 0 {
		out.Hidden = out.Hidden[:len(n.spec.hidden)]
		return out
	}
	x := input(images, count)
	v := func(i int) mat.Matrix { return n.params[i].Value().(mat.Matrix) }
	if n.spec.conv {
		_, c1 := convForward(x, v(0), v(1), geomIn, kernel)
		p1, _ := poolForward(c1, geomConv1, false)
		_, c2 := convForward(p1, v(2), v(3), geomPool1, kernel)
		p2, _ := poolForward(c2, geomConv2, false)
		out.Conv = [][]float32{f32(p1), f32(p2)}
		x = p2
	}
	last := len(n.params)/2 - 1
	for l := len(n.params)/2 - len(n.spec.hidden) - 1; l < last; l++ {
		x = affineForward(x, v(2*l), v(2*l+1), n.spec.act)
		out.Hidden = append(out.Hidden, f32(x))
	}
	out.Logits = f32(affineForward(x, v(2*last), v(2*last+1), Identity))
	return out
}

// input returns count digits as a count×784 matrix of pixels/255.
func input(images []uint8, count int) mat.Matrix {
	x := make([]float32, count*Pixels)
	for i, p := range images[:count*Pixels] {
		x[i] = float32(p) / 255
	}
	return dense(count, Pixels, x)
}

// Predict returns the class with the highest score in row i of logits
// (rows of 10).
func Predict(logits []float32, i int) int {
	row := logits[i*Classes : (i+1)*Classes]
	best := 0
	for c, v := range row {
		if v > row[best] {
			best = c
		}
	}
	return best
}

// graph builds the training graph of the network on the batch x and returns
// its logits node.
func (n *Net) graph(x mat.Tensor) mat.Tensor {
	p := func(i int) mat.Tensor { return n.params[i] }
	if n.spec.conv {
		x = run(&conv{x: x, w: p(0), b: p(1), g: geomIn, k: kernel})
		x = run(&pool{x: x, g: geomConv1})
		x = run(&conv{x: x, w: p(2), b: p(3), g: geomPool1, k: kernel})
		x = run(&pool{x: x, g: geomConv2})
	}
	last := len(n.params)/2 - 1
	for l := len(n.params)/2 - len(n.spec.hidden) - 1; l <= last; l++ {
		act := n.spec.act
		if l == last {
			act = Identity
		}
		x = run(&affine{x: x, w: p(2 * l), b: p(2*l + 1), act: act})
	}
	return x
}

// Accuracy returns the fraction of the digits of set that n classifies
// correctly, running the forward pass in batches of batch digits.
func Accuracy(n *Net, set *mnist.Set, batch int) (float64, error) {
	if set.Len() == 0 || batch < 1 {
		return 0, fmt.Errorf("model: accuracy of %d digits in batches of %d", set.Len(), batch)
	}
	correct := 0
	for from := 0; from < set.Len(); from += batch {
		to := min(from+batch, set.Len())
		out, err := n.Forward(set.Images[from*Pixels:to*Pixels], to-from)
		if err != nil {
			return 0, err
		}
		for i := range to - from {
			if Predict(out.Logits, i) == int(set.Labels[from+i]) {
				correct++
			}
		}
	}
	return float64(correct) / float64(set.Len()), nil
}
