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
// updated together from two rows of b at a time, which halves the loads and
// stores of c per multiply-add; pairs of b rows whose eight factors are all
// 0 are skipped (ReLU outputs and blank pixels are mostly 0).
func gemm(m, k, n int, a, b, c []float32) {
	clear(c[:m*n])
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

// gemm4 adds a (4×k) · b (k×n) to c (4×n).
func gemm4(k, n int, a, b, c []float32) {
	a0, a1, a2, a3 := a[:k], a[k:2*k], a[2*k:3*k], a[3*k:4*k]
	c0, c1, c2, c3 := c[:n], c[n:2*n], c[2*n:3*n], c[3*n:4*n]
	p := 0
	for ; p+2 <= k; p += 2 {
		x0, x1, x2, x3 := a0[p], a1[p], a2[p], a3[p]
		y0, y1, y2, y3 := a0[p+1], a1[p+1], a2[p+1], a3[p+1]
		if x0 == 0 && x1 == 0 && x2 == 0 && x3 == 0 && y0 == 0 && y1 == 0 && y2 == 0 && y3 == 0 {
			continue
		}
		bp, bq := b[p*n:(p+1)*n], b[(p+1)*n:(p+2)*n]
		bq, c0, c1, c2, c3 := bq[:len(bp)], c0[:len(bp)], c1[:len(bp)], c2[:len(bp)], c3[:len(bp)]
		for j, v := range bp {
			w := bq[j]
			c0[j] += x0*v + y0*w
			c1[j] += x1*v + y1*w
			c2[j] += x2*v + y2*w
			c3[j] += x3*v + y3*w
		}
	}
	if p < k {
		x0, x1, x2, x3 := a0[p], a1[p], a2[p], a3[p]
		for j, v := range b[p*n : (p+1)*n] {
			c0[j] += x0 * v
			c1[j] += x1 * v
			c2[j] += x2 * v
			c3[j] += x3 * v
		}
	}
}
