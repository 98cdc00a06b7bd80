package synth

import (
	"math"
	"slices"
	"testing"
)

func TestShapes(t *testing.T) {
	for _, name := range Names {
		a, err := Make(name, 1000, 3)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Make(name, 1000, 3)
		c, _ := Make(name, 1000, 4)
		if len(a.X) != a.N*a.D || len(a.Labels) != a.N || a.N != 1000 {
			t.Fatalf("%s: %d values, %d labels for %d×%d", name, len(a.X), len(a.Labels), a.N, a.D)
		}
		if !slices.Equal(a.X, b.X) || slices.Equal(a.X, c.X) {
			t.Errorf("%s: seed 3 twice must agree and seed 4 differ", name)
		}
		if slices.ContainsFunc(a.X, func(v float32) bool { return math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) }) {
			t.Errorf("%s: non-finite value", name)
		}
	}
	if _, err := Make("spiral", 10, 1); err == nil {
		t.Error("unknown name: no error")
	}
	if _, err := Make("noise", 0, 1); err == nil {
		t.Error("n = 0: no error")
	}
}

func TestClusterSizesAndSpreads(t *testing.T) {
	// Cluster c holds a share (c+1)/55 and has spread 0.5 + 3.5c/9.
	s := Clusters(5500, 1)
	var count [10]int
	var sum, sum2 [10]float64
	for i, c := range s.Labels {
		count[c]++
		v := float64(s.X[i*s.D])
		sum[c] += v
		sum2[c] += v * v
	}
	for c := range 10 {
		if count[c] != 100*(c+1) {
			t.Errorf("cluster %d has %d points, want %d", c, count[c], 100*(c+1))
		}
		m := sum[c] / float64(count[c])
		sd := math.Sqrt(sum2[c]/float64(count[c]) - m*m)
		want := 0.5 + 3.5*float64(c)/9
		if math.Abs(sd/want-1) > 0.2 {
			t.Errorf("cluster %d: spread %.2f, want %.2f ± 20%%", c, sd, want)
		}
	}
}

func TestNoiseLabels(t *testing.T) {
	s := Noise(4000, 2)
	var count [8]int
	for _, l := range s.Labels {
		count[l]++
	}
	for o, c := range count {
		if c < 400 || c > 600 {
			t.Errorf("octant %d has %d of 4000 points, want about 500", o, c)
		}
	}
}
