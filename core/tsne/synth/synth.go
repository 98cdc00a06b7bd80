// Package synth generates labelled synthetic data sets of very different
// shapes, to check that a projection keeps its quality beyond MNIST:
// Gaussian clusters of unequal sizes and spreads, a swiss roll and uniform
// noise. Every set is a pure function of its size and seed.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Set is a data set: N rows of D features, row-major, with a label each.
type Set struct {
	X      []float32
	N, D   int
	Labels []uint8
}

// Names lists the data sets Make knows, in a stable order.
var Names = []string{"clusters", "roll", "noise"}

// Make returns the named data set of n points drawn with seed.
func Make(name string, n int, seed uint64) (Set, error) {
	if n < 1 {
		return Set{}, fmt.Errorf("synth: n = %d points, need at least 1", n)
	}
	switch name {
	case "clusters":
		return Clusters(n, seed), nil
	case "roll":
		return SwissRoll(n, seed), nil
	case "noise":
		return Noise(n, seed), nil
	}
	return Set{}, fmt.Errorf("synth: unknown data set %q, want one of %v", name, Names)
}

// ClusterDims is the dimension of Clusters.
const ClusterDims = 50

// Clusters returns n points in 50 dimensions from 10 Gaussian clusters of
// unequal sizes (cluster c gets a share proportional to c+1) and spreads
// (standard deviation from 0.5 to 4 by cluster), with centres drawn from a
// normal distribution of standard deviation 5 per coordinate, so the wide
// clusters overlap their neighbours. The label is the cluster.
func Clusters(n int, seed uint64) Set {
	const k, d = 10, ClusterDims
	r := rand.New(rand.NewPCG(seed, 0xc1))
	centres := make([]float64, k*d)
	for i := range centres {
		centres[i] = 5 * r.NormFloat64()
	}
	s := Set{X: make([]float32, n*d), N: n, D: d, Labels: make([]uint8, n)}
	for i := range n {
		c := clusterOf(i, n, k)
		sd := 0.5 + 3.5*float64(c)/float64(k-1)
		s.Labels[i] = uint8(c)
		for f := range d {
			s.X[i*d+f] = float32(centres[c*d+f] + sd*r.NormFloat64())
		}
	}
	return s
}

// clusterOf returns the cluster of point i of n when cluster c holds a
// share (c+1)/Σ(c+1) of the points, in order.
func clusterOf(i, n, k int) int {
	total := k * (k + 1) / 2
	acc := 0
	for c := range k {
		acc += c + 1
		if i*total < acc*n {
			return c
		}
	}
	return k - 1
}

// SwissRoll returns n points of scikit-learn's swiss roll in 3 dimensions,
// (t cos t, h, t sin t) with t uniform in [1.5π, 4.5π] and h in [0, 21],
// plus Gaussian noise of standard deviation 0.05; the label is the tenth
// of the roll's length t falls into.
func SwissRoll(n int, seed uint64) Set {
	r := rand.New(rand.NewPCG(seed, 0x5011))
	s := Set{X: make([]float32, n*3), N: n, D: 3, Labels: make([]uint8, n)}
	for i := range n {
		u := r.Float64()
		t := 1.5 * math.Pi * (1 + 2*u)
		h := 21 * r.Float64()
		s.X[3*i] = float32(t*math.Cos(t) + 0.05*r.NormFloat64())
		s.X[3*i+1] = float32(h + 0.05*r.NormFloat64())
		s.X[3*i+2] = float32(t*math.Sin(t) + 0.05*r.NormFloat64())
		s.Labels[i] = uint8(min(9, int(10*u)))
	}
	return s
}

// NoiseDims is the dimension of Noise.
const NoiseDims = 10

// Noise returns n points uniform in the unit cube of 10 dimensions; the
// label is the octant of the first three coordinates (0..7).
func Noise(n int, seed uint64) Set {
	const d = NoiseDims
	r := rand.New(rand.NewPCG(seed, 0x0153))
	s := Set{X: make([]float32, n*d), N: n, D: d, Labels: make([]uint8, n)}
	for i := range n {
		for f := range d {
			s.X[i*d+f] = float32(r.Float64())
		}
		for f := range 3 {
			if s.X[i*d+f] >= 0.5 {
				s.Labels[i] |= 1 << f
			}
		}
	}
	return s
}
