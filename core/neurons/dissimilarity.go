package neurons

import "math"

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
	p := newPearson(act, n, d)
	dst = resize(dst, d*d)
	p.rows(0, d, dst)
	return dst, nil
}

// pearson holds every neuron's activations centred and scaled to unit
// norm, so that their dot products are Pearson correlations.
type pearson struct {
	n, d int
	z    []float64 // d×n, row j = neuron j; zero for constant neurons
	live []bool    // which neurons vary at all
}

func newPearson(act []float32, n, d int) *pearson {
	p := &pearson{n: n, d: d, z: make([]float64, d*n), live: make([]bool, d)}
	for i := range n {
		for j, v := range act[i*d : (i+1)*d] {
			p.z[j*n+i] = float64(v)
		}
	}
	for j := range d {
		row := p.z[j*n : (j+1)*n]
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
		p.live[j] = ss > 1e-20*float64(n)*(1+mean*mean)
		s := 0.0
		if p.live[j] {
			s = 1 / math.Sqrt(ss)
		}
		for k := range row {
			row[k] *= s
		}
	}
	return p
}

// rows writes the dissimilarities of neurons i in [a, b) to the neurons
// j ≥ i into dst, at (i, j) and (j, i).
func (p *pearson) rows(a, b int, dst []float64) {
	d, n := p.d, p.n
	for i := a; i < b; i++ {
		zi := p.z[i*n : (i+1)*n]
		for j := i; j < d; j++ {
			v := 0.0
			switch {
			case i == j:
			case p.live[i] && p.live[j]:
				v = 1 - math.Min(math.Abs(dot(zi, p.z[j*n:(j+1)*n])), 1)
			case p.live[i] || p.live[j]:
				v = 1
			}
			dst[i*d+j], dst[j*d+i] = v, v
		}
	}
}

// dot returns the dot product of a and b (len(b) ≥ len(a)), with four
// accumulators so that the additions pipeline.
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	k := 0
	for ; k+4 <= len(a); k += 4 {
		s0 += a[k] * b[k]
		s1 += a[k+1] * b[k+1]
		s2 += a[k+2] * b[k+2]
		s3 += a[k+3] * b[k+3]
	}
	for ; k < len(a); k++ {
		s0 += a[k] * b[k]
	}
	return (s0 + s1) + (s2 + s3)
}

// resize returns dst with length n, reallocated only when too small.
func resize(dst []float64, n int) []float64 {
	if cap(dst) < n {
		return make([]float64, n)
	}
	return dst[:n]
}
