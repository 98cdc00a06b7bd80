package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/nlpodyssey/spago/ag"
	"github.com/nlpodyssey/spago/mat"
	"github.com/nlpodyssey/spago/nn"
)

// TestGradients checks the backward passes of the custom operators against
// central finite differences of the loss, on a small conv → pool → affine
// (ReLU) → affine (tanh) → affine → cross-entropy graph.
func TestGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	param := func(r, c int) *nn.Param {
		v := make([]float32, r*c)
		for i := range v {
			v[i] = float32(rng.NormFloat64() * 0.5)
		}
		return newParam(tensor{rows: r, cols: c}, v)
	}
	const n = 3
	gIn, gC1, gP1 := geom{7, 7, 2}, geom{5, 5, 3}, geom{2, 2, 3}
	xin := param(n, gIn.size())
	xin.SetRequiresGrad(true)
	ps := []*nn.Param{xin, param(9*2, 3), param(1, 3), param(gP1.size(), 6), param(1, 6), param(6, 5), param(1, 5), param(5, 4), param(1, 4)}
	labels := []uint8{0, 3, 1}
	loss := func() mat.Tensor {
		x := run(&conv{x: ps[0], w: ps[1], b: ps[2], g: gIn, k: 3})
		x = run(&pool{x: x, g: gC1})
		x = run(&affine{x: x, w: ps[3], b: ps[4], act: ReLU})
		x = run(&affine{x: x, w: ps[5], b: ps[6], act: Tanh})
		x = run(&affine{x: x, w: ps[7], b: ps[8]})
		return run(&crossEntropy{z: x, labels: labels})
	}
	l := loss()
	if err := ag.Backward(l); err != nil {
		t.Fatal(err)
	}
	for pi, p := range ps {
		grad := f32(p.Grad())
		v := f32(p)
		for i := range v {
			const eps = 1e-2
			old := v[i]
			v[i] = old + eps
			up := loss().Item().F64()
			v[i] = old - eps
			down := loss().Item().F64()
			v[i] = old
			num := (up - down) / (2 * eps)
			if d := math.Abs(num - float64(grad[i])); d > 2e-3+0.05*math.Abs(num) {
				t.Errorf("param %d value %d: gradient %g, finite difference %g", pi, i, grad[i], num)
			}
		}
	}
}

// TestGemm compares gemm with spago's matrix product, on shapes with and
// without a remainder of rows, and with zero rows to skip.
func TestGemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, s := range [][3]int{{1, 1, 1}, {4, 9, 16}, {7, 144, 32}, {13, 5, 3}, {64, 784, 10}} {
		m, k, n := s[0], s[1], s[2]
		a, b := make([]float32, m*k), make([]float32, k*n)
		for i := range a {
			if rng.IntN(3) > 0 { // leave a third 0
				a[i] = float32(rng.NormFloat64())
			}
		}
		for i := range b {
			b[i] = float32(rng.NormFloat64())
		}
		c := make([]float32, m*n)
		for i := range c {
			c[i] = 99 // gemm must overwrite
		}
		gemm(m, k, n, a, b, c)
		want := dense(m, k, a).Mul(dense(k, n, b))
		if d := maxDiff(c, toF64(f32(want))); d > 1e-4 {
			t.Errorf("%d×%d·%d×%d: max difference %g from spago", m, k, k, n, d)
		}
	}
}

// TestGemmBitForBit checks that gemm gives exactly what adding its pairs
// one at a time gives (gemmPairs), on MNIST pixels and on random values
// with runs of zeros, for every k mod 4: training is the same bit for bit.
func TestGemmBitForBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pixels := testDigits(t, 10)
	for _, s := range [][3]int{{10, 784, 128}, {8, 5, 7}, {6, 6, 3}, {4, 7, 16}, {9, 12, 5}, {4, 2, 2}} {
		m, k, n := s[0], s[1], s[2]
		a, b := make([]float32, m*k), make([]float32, k*n)
		for i := range a {
			if k == Pixels {
				a[i] = float32(pixels.Images[i]) / 255
			} else if rng.IntN(2) > 0 { // leave half 0, in runs
				a[i] = float32(rng.NormFloat64())
			}
		}
		for i := range b {
			b[i] = float32(rng.NormFloat64())
		}
		got, want := make([]float32, m*n), make([]float32, m*n)
		gemm(m, k, n, a, b, got)
		gemmPairs(m, k, n, a, b, want)
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%d×%d·%d×%d: c[%d] = %g, pair by pair %g", m, k, k, n, i, got[i], want[i])
			}
		}
	}
}

// gemmPairs is gemm adding one pair of columns at a time (its definition).
func gemmPairs(m, k, n int, a, b, c []float32) {
	clear(c)
	i := 0
	for ; i+4 <= m; i += 4 {
		for p := 0; p < k; p += 2 {
			q := min(p+1, k-1)
			skip := p+1 < k
			for r := i; r < i+4; r++ {
				skip = skip && a[r*k+p] == 0 && a[r*k+q] == 0
			}
			for r := i; r < i+4 && !skip; r++ {
				for j := range n {
					if p+1 < k {
						c[r*n+j] += a[r*k+p]*b[p*n+j] + a[r*k+q]*b[q*n+j]
					} else {
						c[r*n+j] += a[r*k+p] * b[p*n+j]
					}
				}
			}
		}
	}
	for ; i < m; i++ {
		for p := range k {
			if a[i*k+p] != 0 {
				for j := range n {
					c[i*n+j] += a[i*k+p] * b[p*n+j]
				}
			}
		}
	}
}

// TestGradientsKeptZeroed checks what accGradAT relies on: after a
// training step every gradient is kept, zeroed in place; and that
// accGradAT then gives the gradient AccGrad of the product gives, bit for
// bit (under js/wasm, gemm adds into the kept gradient directly).
func TestGradientsKeptZeroed(t *testing.T) {
	set := testDigits(t, 64)
	net := mustNew(t, MLPArch([]int{32}, ReLU), 0)
	tr, err := NewTrainer(net, TrainConfig{BatchSize: 64, LearningRate: 0.001, Seed: 0})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tr.Step(set.Images, set.Labels); err != nil {
		t.Fatal(err)
	}
	for i, p := range net.params {
		if !p.HasGrad() || slices.ContainsFunc(f32(p.Grad()), func(v float32) bool { return v != 0 }) {
			t.Fatalf("param %d after a step: gradient kept %v, not all 0", i, p.HasGrad())
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	a, b := dense(64, 30, nil), dense(64, 20, nil)
	for _, v := range [][]float32{f32(a), f32(b)} {
		for i := range v {
			if rng.IntN(3) > 0 { // a third 0
				v[i] = float32(rng.NormFloat64())
			}
		}
	}
	p := newParam(tensor{rows: 30, cols: 20}, make([]float32, 30*20))
	p.AccGrad(dense(30, 20, nil)) // kept and zeroed, as after a step
	accGradAT(p, a, b)
	want := f32(matMulAT(a, b))
	for i, v := range f32(p.Grad()) {
		if math.Float32bits(v) != math.Float32bits(want[i]) {
			t.Fatalf("gradient %d: %g, the product's %g", i, v, want[i])
		}
	}
}
