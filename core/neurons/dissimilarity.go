package neurons

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Dissimilarity returns the d×d row-major matrix 1 − |r| of the Pearson
// correlation r between the activations of every two neurons (columns) of
// the row-major n×d matrix act, written into dst when it has room.
//
// A neuron whose activation is constant over the samples (a dead ReLU
// never fires) has no correlation: it is at dissimilarity 1 from every
// varying neuron and 0 from the other constant ones, so dead neurons gather
// in one place. The diagonal is 0 and every entry lies in [0, 1].
func Dissimilarity(act []float32, n, d int, dst []float64) ([]float64, error) {
	if err := checkMatrix(act, n, d); err != nil {
		return dst, err
	}
	z, live := standardColumns(act, n, d)
	var c mat.SymDense
	c.SymOuterK(1, z)
	dst = resize(dst, d*d)
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			v := 0.0
			switch {
			case i == j:
			case live[i] && live[j]:
				v = 1 - min(math.Abs(c.At(i, j)), 1)
			case live[i] || live[j]:
				v = 1
			}
			dst[i*d+j], dst[j*d+i] = v, v
		}
	}
	return dst, nil
}

// standardColumns returns the d×n matrix whose rows are the columns of act
// centred and scaled to unit norm (so that their dot products are Pearson
// correlations), and which columns vary at all; constant ones are zero.
func standardColumns(act []float32, n, d int) (*mat.Dense, []bool) {
	z := mat.NewDense(d, n, nil)
	raw := z.RawMatrix()
	for i := 0; i < n; i++ {
		for j, v := range act[i*d : (i+1)*d] {
			raw.Data[j*raw.Stride+i] = float64(v)
		}
	}
	live := make([]bool, d)
	for j := range d {
		row := raw.Data[j*raw.Stride : j*raw.Stride+n]
		mean := 0.0
		for _, v := range row {
			mean += v
		}
		mean /= float64(n)
		ss := 0.0
		for k, v := range row {
			row[k] = v - mean
			ss += row[k] * row[k]
		}
		// Variance below this (relative to the scale) is rounding noise.
		live[j] = ss > 1e-20*float64(n)*(1+mean*mean)
		s := 0.0
		if live[j] {
			s = 1 / math.Sqrt(ss)
		}
		for k := range row {
			row[k] *= s
		}
	}
	return z, live
}

// resize returns dst with length n, reallocated only when too small.
func resize(dst []float64, n int) []float64 {
	if cap(dst) < n {
		return make([]float64, n)
	}
	return dst[:n]
}
