package neurons

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/mds"
)

// TestClassicalMatchesGonum checks the subspace-iteration classical MDS
// against gonum's stat/mds.TorgersonScaling, axis by axis up to sign.
func TestClassicalMatchesGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	euclid := func(d, dim int) []float64 {
		x := make([]float64, d*dim)
		for k := range x {
			x[k] = r.NormFloat64() * float64(1+k%dim) // distinct spreads per axis
		}
		dis := make([]float64, d*d)
		for i := range d {
			for j := range d {
				s := 0.0
				for a := range dim {
					e := x[i*dim+a] - x[j*dim+a]
					s += e * e
				}
				dis[i*d+j] = math.Sqrt(s)
			}
		}
		return dis
	}
	pearson, err := Dissimilarity(groups(400, 60, 5, 4), 400, 60, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		dis  []float64
		d    int
	}{
		{"euclidean 5-D", euclid(80, 5), 80},
		{"euclidean 2-D", euclid(30, 2), 30},
		{"1−|r| of neuron groups", pearson, 60},
	} {
		cl := newClassical(c.dis, c.d, 1)
		for !cl.iterate() {
		}
		got := cl.positions()
		var want mat.Dense
		k, _ := mds.TorgersonScaling(&want, nil, mat.NewSymDense(c.d, append([]float64(nil), c.dis...)))
		if k < 2 {
			t.Fatalf("%s: gonum found %d positive eigenvalues", c.name, k)
		}
		for a := range 2 {
			sign, scale, worst, agree := 1.0, 0.0, 0.0, 0.0
			for i := range c.d {
				agree += got[2*i+a] * want.At(i, a)
			}
			if agree < 0 {
				sign = -1
			}
			for i := range c.d {
				scale = max(scale, math.Abs(want.At(i, a)))
				worst = max(worst, math.Abs(sign*got[2*i+a]-want.At(i, a)))
			}
			t.Logf("%s: axis %d within %.2g of gonum (scale %.3g), %d iterations", c.name, a, worst, scale, cl.iters)
			if worst > 1e-6*scale {
				t.Errorf("%s: axis %d differs from gonum's by up to %.3g (scale %.3g) after %d iterations", c.name, a, worst, scale, cl.iters)
			}
		}
	}
}
