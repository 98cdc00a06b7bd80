package model

import (
	"math"

	"github.com/nlpodyssey/spago/ag"
	"github.com/nlpodyssey/spago/mat"
)

// This file holds the custom spago operators the two networks are built of.
// Each works on whole batches (one row per digit) and has its own backward
// pass, so a training step is a graph of a handful of nodes, not one node per
// value or per convolution patch.

// dense returns a new row-major float32 matrix of the given shape, backed by
// data (allocated when nil).
func dense(rows, cols int, data []float32) *mat.Dense[float32] {
	if data == nil {
		data = make([]float32, rows*cols)
	}
	return mat.NewDense[float32](mat.WithShape(rows, cols), mat.WithBacking(data))
}

// f32 returns the float32 values of a tensor, without copying.
func f32(t mat.Tensor) []float32 { return t.Value().(mat.Matrix).Data().F32() }

// rows returns the number of rows of a tensor's value.
func rows(t mat.Tensor) int { return t.Value().Shape()[0] }

// addBias adds the row vector b to every row of y (n×len(b)) and applies act.
func addBias(y, b []float32, act Activation) {
	for r := 0; r < len(y); r += len(b) {
		row := y[r : r+len(b)]
		for j, v := range b {
			v += row[j]
			switch {
			case act == ReLU && v < 0:
				v = 0
			case act == Tanh:
				v = float32(math.Tanh(float64(v)))
			}
			row[j] = v
		}
	}
}

// tanhGrad multiplies the gradients g by tanh's derivative 1 − y² at its
// outputs y.
func tanhGrad(g, y []float32) {
	for i, v := range y {
		g[i] *= 1 - v*v
	}
}

// reluMask zeroes the gradients g where the ReLU output y is 0.
func reluMask(g, y []float32) {
	for i, v := range y {
		if v <= 0 {
			g[i] = 0
		}
	}
}

// colSums returns the sums of the columns of the n×cols matrix g as 1×cols.
func colSums(g []float32, cols int) *mat.Dense[float32] {
	s := make([]float32, cols)
	for r := 0; r < len(g); r += cols {
		for j, v := range g[r : r+cols] {
			s[j] += v
		}
	}
	return dense(1, cols, s)
}

// affineForward returns act(x·w + b).
func affineForward(x, w, b mat.Matrix, act Activation) mat.Matrix {
	y := matMul(x, w)
	addBias(f32(y), f32(b), act)
	return y
}

// affine is the operator y = act(x·w + b) (b broadcast over the rows).
type affine struct {
	x, w, b mat.Tensor
	act     Activation
	y       mat.Matrix
}

// Operands returns x, w and b.
func (a *affine) Operands() []mat.Tensor { return []mat.Tensor{a.x, a.w, a.b} }

// Forward computes y.
func (a *affine) Forward() (mat.Tensor, error) {
	a.y = affineForward(a.x.Value().(mat.Matrix), a.w.Value().(mat.Matrix), a.b.Value().(mat.Matrix), a.act)
	return a.y, nil
}

// Backward propagates gy to x, w and b.
func (a *affine) Backward(gy mat.Tensor) error {
	g := gy.(mat.Matrix)
	switch a.act {
	case ReLU:
		g = g.Clone()
		reluMask(f32(g), f32(a.y))
	case Tanh:
		g = g.Clone()
		tanhGrad(f32(g), f32(a.y))
	}
	if a.x.RequiresGrad() {
		a.x.AccGrad(matMulBT(g, a.w.Value().(mat.Matrix)))
	}
	if a.w.RequiresGrad() {
		accGradAT(a.w, a.x.Value().(mat.Matrix), g)
	}
	if a.b.RequiresGrad() {
		a.b.AccGrad(colSums(f32(g), g.Shape()[1]))
	}
	return nil
}

// geom is the geometry of a batch of feature maps, stored one map per row in
// height × width × channels (NHWC) order.
type geom struct{ h, w, c int }

// size returns the number of values of one map.
func (g geom) size() int { return g.h * g.w * g.c }

// im2col returns the patches of a valid k×k convolution of x (n maps of
// geometry g) as an (n·oh·ow) × (k·k·c) matrix: one row per output pixel,
// the patch in (ky, kx, c) order.
func im2col(x []float32, n int, g geom, k int) mat.Matrix {
	oh, ow, kc := g.h-k+1, g.w-k+1, k*g.c
	cols := make([]float32, n*oh*ow*k*kc)
	o := 0
	for b := 0; b < n; b++ {
		m := x[b*g.size() : (b+1)*g.size()]
		for y := 0; y < oh; y++ {
			for xx := 0; xx < ow; xx++ {
				for ky := 0; ky < k; ky++ {
					// An explicit loop: a copy call per 3 to 48 values is
					// slow under js/wasm.
					src := m[((y+ky)*g.w+xx)*g.c:][:kc]
					dst := cols[o : o+kc]
					for i, v := range src {
						dst[i] = v
					}
					o += kc
				}
			}
		}
	}
	return dense(n*oh*ow, k*kc, cols)
}

// col2im adds the patch gradients gc (the layout of im2col) into gx.
func col2im(gc, gx []float32, n int, g geom, k int) {
	oh, ow, kc := g.h-k+1, g.w-k+1, k*g.c
	o := 0
	for b := 0; b < n; b++ {
		m := gx[b*g.size() : (b+1)*g.size()]
		for y := 0; y < oh; y++ {
			for xx := 0; xx < ow; xx++ {
				for ky := 0; ky < k; ky++ {
					dst := m[((y+ky)*g.w+xx)*g.c:][:kc]
					for i, v := range gc[o : o+kc] {
						dst[i] += v
					}
					o += kc
				}
			}
		}
	}
}

// convForward returns the patches of x and the ReLU of the valid convolution
// of x (n maps of geometry g) with the (k·k·c)×f kernel w and bias b, as
// n × (oh·ow·f) maps.
func convForward(x, w, b mat.Matrix, g geom, k int) (cols, y mat.Matrix) {
	n := x.Shape()[0]
	cols = im2col(f32(x), n, g, k)
	y = matMul(cols, w)
	addBias(f32(y), f32(b), ReLU)
	return cols, dense(n, y.Size()/n, f32(y)) // the same values, one map per row
}

// conv is the operator y = ReLU(conv(x, w) + b) for a valid k×k
// convolution, computed as im2col and one matrix product.
type conv struct {
	x, w, b mat.Tensor
	g       geom
	k       int
	cols, y mat.Matrix
}

// Operands returns x, w and b.
func (c *conv) Operands() []mat.Tensor { return []mat.Tensor{c.x, c.w, c.b} }

// Forward computes y.
func (c *conv) Forward() (mat.Tensor, error) {
	c.cols, c.y = convForward(c.x.Value().(mat.Matrix), c.w.Value().(mat.Matrix), c.b.Value().(mat.Matrix), c.g, c.k)
	return c.y, nil
}

// Backward propagates gy to x, w and b.
func (c *conv) Backward(gy mat.Tensor) error {
	f := c.w.Value().Shape()[1]
	gd := f32(gy)
	g := make([]float32, len(gd))
	copy(g, gd)
	reluMask(g, f32(c.y))
	gm := dense(len(g)/f, f, g)
	if c.w.RequiresGrad() {
		accGradAT(c.w, c.cols, gm)
	}
	if c.b.RequiresGrad() {
		c.b.AccGrad(colSums(g, f))
	}
	if c.x.RequiresGrad() {
		n := rows(c.x)
		gx := dense(n, c.g.size(), nil)
		col2im(f32(matMulBT(gm, c.w.Value().(mat.Matrix))), f32(gx), n, c.g, c.k)
		c.x.AccGrad(gx)
	}
	return nil
}

// poolForward returns the 2×2 max pooling (stride 2, odd edges dropped) of x
// (n maps of geometry g) and, if withArg, for each output the index of its
// maximum in x.
func poolForward(x mat.Matrix, g geom, withArg bool) (y mat.Matrix, arg []int32) {
	n := x.Shape()[0]
	xd := f32(x)
	ph, pw := g.h/2, g.w/2
	out := make([]float32, n*ph*pw*g.c)
	if withArg {
		arg = make([]int32, len(out))
	}
	o := 0
	for b := 0; b < n; b++ {
		for y := 0; y < ph; y++ {
			for xx := 0; xx < pw; xx++ {
				i00 := b*g.size() + (2*y*g.w+2*xx)*g.c
				i01, i10 := i00+g.c, i00+g.w*g.c
				i11 := i10 + g.c
				for ch := 0; ch < g.c; ch++ {
					best, bi := xd[i00+ch], i00+ch
					if v := xd[i01+ch]; v > best {
						best, bi = v, i01+ch
					}
					if v := xd[i10+ch]; v > best {
						best, bi = v, i10+ch
					}
					if v := xd[i11+ch]; v > best {
						best, bi = v, i11+ch
					}
					out[o] = best
					if withArg {
						arg[o] = int32(bi)
					}
					o++
				}
			}
		}
	}
	return dense(n, ph*pw*g.c, out), arg
}

// pool is the 2×2 max-pooling operator.
type pool struct {
	x   mat.Tensor
	g   geom
	arg []int32
}

// Operands returns x.
func (p *pool) Operands() []mat.Tensor { return []mat.Tensor{p.x} }

// Forward computes the pooled maps.
func (p *pool) Forward() (mat.Tensor, error) {
	y, arg := poolForward(p.x.Value().(mat.Matrix), p.g, true)
	p.arg = arg
	return y, nil
}

// Backward routes each gradient to the input that was the maximum.
func (p *pool) Backward(gy mat.Tensor) error {
	if !p.x.RequiresGrad() {
		return nil
	}
	gx := dense(rows(p.x), p.g.size(), nil)
	gd := f32(gx)
	for o, v := range f32(gy) {
		gd[p.arg[o]] += v
	}
	p.x.AccGrad(gx)
	return nil
}

// softmaxRow writes the softmax of the logits z into p and returns the log
// of its normaliser, so that log p_i = z_i - max - logSum.
func softmaxRow(z, p []float32) (max, logSum float64) {
	max = math.Inf(-1)
	for _, v := range z {
		max = math.Max(max, float64(v))
	}
	var sum float64
	for i, v := range z {
		e := math.Exp(float64(v) - max)
		p[i] = float32(e)
		sum += e
	}
	for i := range p {
		p[i] /= float32(sum)
	}
	return max, math.Log(sum)
}

// crossEntropy is the operator computing the mean softmax cross-entropy of a
// batch of logits against class labels.
type crossEntropy struct {
	z      mat.Tensor
	labels []uint8
	p      []float32
}

// Operands returns the logits.
func (c *crossEntropy) Operands() []mat.Tensor { return []mat.Tensor{c.z} }

// Forward computes the mean loss.
func (c *crossEntropy) Forward() (mat.Tensor, error) {
	z := f32(c.z)
	k := len(z) / len(c.labels)
	c.p = make([]float32, len(z))
	var loss float64
	for i, l := range c.labels {
		row := z[i*k : (i+1)*k]
		max, logSum := softmaxRow(row, c.p[i*k:(i+1)*k])
		loss += max + logSum - float64(row[l])
	}
	return mat.Scalar(float32(loss / float64(len(c.labels)))), nil
}

// Backward propagates gy·(softmax − onehot)/n to the logits.
func (c *crossEntropy) Backward(gy mat.Tensor) error {
	if !c.z.RequiresGrad() {
		return nil
	}
	k := len(c.p) / len(c.labels)
	scale := float32(gy.Item().F64()) / float32(len(c.labels))
	g := make([]float32, len(c.p))
	for i, v := range c.p {
		g[i] = v * scale
	}
	for i, l := range c.labels {
		g[i*k+int(l)] -= scale
	}
	c.z.AccGrad(dense(len(c.labels), k, g))
	return nil
}

// run wraps fn in a spago operator and runs its forward pass.
func run(fn ag.AutoGradFunction) mat.Tensor { return ag.NewOperator(fn).Run() }
