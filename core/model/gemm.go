package model

import (
	"runtime"

	"github.com/nlpodyssey/spago/mat"
)

// matMul returns a·b. Natively it is spago's product, whose inner loop is an
// assembly axpy; under js/wasm, where that axpy is a pure-Go call per value
// of a, it is gemm, which updates four rows of the result per pass over a
// row of b.
func matMul(a, b mat.Matrix) mat.Matrix {
	if runtime.GOARCH != "wasm" {
		return a.Mul(b)
	}
	m, k, n := a.Shape()[0], a.Shape()[1], b.Shape()[1]
	c := dense(m, n, nil)
	gemm(m, k, n, f32(a), f32(b), f32(c))
	return c
}

// gemm sets c (m×n) to a (m×k) · b (k×n), all row-major. Four rows of c are
// computed together, skipping the rows of b whose four factors are 0 (ReLU
// outputs and blank pixels are mostly 0).
func gemm(m, k, n int, a, b, c []float32) {
	clear(c[:m*n])
	i := 0
	for ; i+4 <= m; i += 4 {
		a0, a1, a2, a3 := a[i*k:(i+1)*k], a[(i+1)*k:(i+2)*k], a[(i+2)*k:(i+3)*k], a[(i+3)*k:(i+4)*k]
		c0, c1, c2, c3 := c[i*n:(i+1)*n], c[(i+1)*n:(i+2)*n], c[(i+2)*n:(i+3)*n], c[(i+3)*n:(i+4)*n]
		for p := range k {
			x0, x1, x2, x3 := a0[p], a1[p], a2[p], a3[p]
			if x0 == 0 && x1 == 0 && x2 == 0 && x3 == 0 {
				continue
			}
			bp := b[p*n : (p+1)*n]
			c0, c1, c2, c3 := c0[:len(bp)], c1[:len(bp)], c2[:len(bp)], c3[:len(bp)]
			for j, v := range bp {
				c0[j] += x0 * v
				c1[j] += x1 * v
				c2[j] += x2 * v
				c3[j] += x3 * v
			}
		}
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
