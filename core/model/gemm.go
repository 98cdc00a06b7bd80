package model

import (
	"runtime"

	"github.com/nlpodyssey/spago/mat"
)

// matMul returns a·b. Natively it is spago's product, whose inner loop is an
// assembly axpy; under js/wasm, where that axpy is a pure-Go call per value
// of a, it is gemm (about 2× faster there on these shapes).
func matMul(a, b mat.Matrix) mat.Matrix {
	if runtime.GOARCH != "wasm" {
		return a.Mul(b)
	}
	m, k, n := a.Shape()[0], a.Shape()[1], b.Shape()[1]
	c := dense(m, n, nil)
	gemm(m, k, n, f32(a), f32(b), f32(c))
	return c
}

// matMulBT returns a·bᵀ and matMulAT aᵀ·b, the products of the backward
// passes: natively spago's products of the transposes, under js/wasm gemm
// on transposed copies (spago's transpose-and-multiply was most of a
// training step's time there).
func matMulBT(a, b mat.Matrix) mat.Matrix {
	if runtime.GOARCH != "wasm" {
		return a.Mul(b.T())
	}
	return matMul(a, transposed(b))
}

// matMulAT returns aᵀ·b (see matMulBT).
func matMulAT(a, b mat.Matrix) mat.Matrix {
	if runtime.GOARCH != "wasm" {
		return a.T().Mul(b)
	}
	return matMul(transposed(a), b)
}

// accGradAT adds aᵀ·b to the gradient of p, as p.AccGrad(matMulAT(a, b))
// does. Under js/wasm, once p has a gradient (Trainer.update zeroes it in
// place after each step), gemm adds the product into it directly: the same
// sums bit for bit (0 + x is x), without allocating, cloning and
// collecting a product of the weights' size at every step.
func accGradAT(p mat.Tensor, a, b mat.Matrix) {
	if runtime.GOARCH != "wasm" || !p.HasGrad() {
		p.AccGrad(matMulAT(a, b))
		return
	}
	m, k, n := a.Shape()[1], a.Shape()[0], b.Shape()[1]
	gemmAdd(m, k, n, f32(transposed(a)), f32(b), f32(p.Grad()))
}

// transposed returns a row-major copy of mᵀ.
func transposed(m mat.Matrix) mat.Matrix {
	r, c := m.Shape()[0], m.Shape()[1]
	src, dst := f32(m), make([]float32, r*c)
	for i := range r {
		for j, v := range src[i*c : (i+1)*c] {
			dst[j*r+i] = v
		}
	}
	return dense(c, r, dst)
}

// gemm sets c (m×n) to a (m×k) · b (k×n), all row-major. Four rows of c are
// updated together, from two rows of b at a time: for each pair of columns
// p, p+1 of a whose four rows are not all 0 there (ReLU outputs and blank
// pixels are mostly 0), c[r][j] += a[r][p]·b[p][j] + a[r][p+1]·b[p+1][j],
// pair after pair, then the last column alone when k is odd; the rows left
// over get c[r][j] += a[r][p]·b[p][j] for every value of a not 0.
func gemm(m, k, n int, a, b, c []float32) {
	clear(c[:m*n])
	gemmAdd(m, k, n, a, b, c)
}

// gemmAdd adds a (m×k) · b (k×n) to c (m×n), as gemm sums it.
func gemmAdd(m, k, n int, a, b, c []float32) {
	i := 0
	for ; i+4 <= m; i += 4 {
		gemm4(k, n, a[i*k:(i+4)*k], b, c[i*n:(i+4)*n])
	}
	for ; i < m; i++ {
		ci := c[i*n : (i+1)*n]
		for p, x := range a[i*k : (i+1)*k] {
			if x == 0 {
				continue
			}
			for j, v := range b[p*n : (p+1)*n] {
				ci[j] += x * v
			}
		}
	}
}

// gemm4 adds a (4×k) · b (k×n) to c (4×n) (see gemm). Two pairs go in one
// pass over c when neither is skipped: the same operations in the same
// order as one pass each, with half the loads and stores of c.
func gemm4(k, n int, a, b, c []float32) {
	a0, a1, a2, a3 := a[:k], a[k:2*k], a[2*k:3*k], a[3*k:4*k]
	c0, c1, c2, c3 := c[:n], c[n:2*n], c[2*n:3*n], c[3*n:4*n]
	zero := func(p int) bool { // the pair p, p+1 is skipped
		return a0[p] == 0 && a1[p] == 0 && a2[p] == 0 && a3[p] == 0 &&
			a0[p+1] == 0 && a1[p+1] == 0 && a2[p+1] == 0 && a3[p+1] == 0
	}
	pair := func(p int) { // adds the pair p, p+1
		pair4(a0[p:p+2], a1[p:p+2], a2[p:p+2], a3[p:p+2], b[p*n:(p+2)*n], c0, c1, c2, c3)
	}
	p := 0
	for ; p+4 <= k; p += 4 {
		switch lo, hi := !zero(p), !zero(p+2); {
		case lo && hi:
			quad4(a0[p:p+4], a1[p:p+4], a2[p:p+4], a3[p:p+4], b[p*n:(p+4)*n], c0, c1, c2, c3)
		case lo:
			pair(p)
		case hi:
			pair(p + 2)
		}
	}
	if p+2 <= k && !zero(p) {
		pair(p)
	}
	if k%2 == 1 {
		p = k - 1
		x0, x1, x2, x3 := a0[p], a1[p], a2[p], a3[p]
		for j, v := range b[p*n : (p+1)*n] {
			c0[j] += x0 * v
			c1[j] += x1 * v
			c2[j] += x2 * v
			c3[j] += x3 * v
		}
	}
}

// pair4 adds x_r[0]·b[0][j] + x_r[1]·b[1][j] to c_r[j] for the four rows r
// (b holds two rows of len(c0)).
func pair4(x0, x1, x2, x3, b, c0, c1, c2, c3 []float32) {
	n := len(c0)
	bp, bq := b[:n], b[n:2*n]
	bq, c0, c1, c2, c3 = bq[:len(bp)], c0[:len(bp)], c1[:len(bp)], c2[:len(bp)], c3[:len(bp)]
	x00, x01, x10, x11 := x0[0], x0[1], x1[0], x1[1]
	x20, x21, x30, x31 := x2[0], x2[1], x3[0], x3[1]
	for j, v := range bp {
		w := bq[j]
		c0[j] += x00*v + x01*w
		c1[j] += x10*v + x11*w
		c2[j] += x20*v + x21*w
		c3[j] += x30*v + x31*w
	}
}

// quad4 adds two pairs in turn (see pair4) from the four rows of b.
func quad4(x0, x1, x2, x3, b, c0, c1, c2, c3 []float32) {
	n := len(c0)
	bp, bq, br, bs := b[:n], b[n:2*n], b[2*n:3*n], b[3*n:4*n]
	bq, br, bs = bq[:len(bp)], br[:len(bp)], bs[:len(bp)]
	c0, c1, c2, c3 = c0[:len(bp)], c1[:len(bp)], c2[:len(bp)], c3[:len(bp)]
	x00, x01, x02, x03 := x0[0], x0[1], x0[2], x0[3]
	x10, x11, x12, x13 := x1[0], x1[1], x1[2], x1[3]
	x20, x21, x22, x23 := x2[0], x2[1], x2[2], x2[3]
	x30, x31, x32, x33 := x3[0], x3[1], x3[2], x3[3]
	for j, v := range bp {
		w, u, s := bq[j], br[j], bs[j]
		c0[j] = c0[j] + (x00*v + x01*w) + (x02*u + x03*s)
		c1[j] = c1[j] + (x10*v + x11*w) + (x12*u + x13*s)
		c2[j] = c2[j] + (x20*v + x21*w) + (x22*u + x23*s)
		c3[j] = c3[j] + (x30*v + x31*w) + (x32*u + x33*s)
	}
}
