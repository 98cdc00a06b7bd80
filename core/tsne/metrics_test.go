package tsne

import (
	"math"
	"testing"
)

// spiral returns a small 3-D data set and a distorted 2-D layout of it.
func spiral() ([]float32, []float64) {
	const n = 40
	x := make([]float32, 3*n)
	y := make([]float64, 2*n)
	for i := range n {
		fi := float64(i)
		x[3*i], x[3*i+1], x[3*i+2] = float32(math.Sin(fi)), float32(math.Cos(2*fi)), float32(float64(i%7)/3)
		y[2*i], y[2*i+1] = math.Sin(fi)+0.3*math.Cos(3*fi), math.Cos(2*fi)
	}
	return x, y
}

func TestTrustworthinessContinuity(t *testing.T) {
	x, y := spiral()
	// References: sklearn.manifold.trustworthiness(x, y, n_neighbors=5)
	// and trustworthiness(y, x, n_neighbors=5) (continuity swaps roles).
	for _, tc := range []struct {
		name string
		got  float64
		want float64
	}{
		{"trustworthiness", Trustworthiness(x, 3, y, 5), 0.87515625},
		{"continuity", Continuity(x, 3, y, 5), 0.93703125},
	} {
		if math.Abs(tc.got-tc.want) > 1e-12 {
			t.Errorf("%s = %.10f, scikit-learn gives %.10f", tc.name, tc.got, tc.want)
		}
	}
	// A layout that is the data itself is perfect.
	x2 := make([]float32, 80)
	for i := range x2 {
		x2[i] = float32(y[i])
	}
	if tr, co := Trustworthiness(x2, 2, y, 5), Continuity(x2, 2, y, 5); tr != 1 || co != 1 {
		t.Errorf("identity layout: trustworthiness %v, continuity %v, want 1, 1", tr, co)
	}
}

func TestTrustSteppedEqualsWhole(t *testing.T) {
	x, y := spiral()
	want := Trustworthiness(x, 3, y, 5)
	for _, rows := range []int{1, 3, 40, 100} {
		tr := NewTrust(x, 3, y, 5)
		steps := 0
		for !tr.Step(rows) {
			if v := tr.Value(); !math.IsNaN(v) {
				t.Fatalf("%d rows a step: Value %v before the last step, want NaN", rows, v)
			}
			steps++
		}
		if got := tr.Value(); got != want {
			t.Errorf("%d rows a step: %v after %d steps, Trustworthiness gives %v", rows, got, steps+1, want)
		}
	}
	if v := NewTrust(x, 3, y[:10], 5).Value(); !math.IsNaN(v) {
		t.Errorf("mismatched lengths: Value %v, want NaN", v)
	}
}

func TestLabelMetrics(t *testing.T) {
	// Two tight groups far apart, labelled by group except point 0.
	y := []float64{0, 0, 0.1, 0, 0, 0.1, 0.1, 0.1, 10, 10, 10.1, 10, 10, 10.1, 10.1, 10.1}
	labels := []uint8{1, 0, 0, 0, 1, 1, 1, 1}
	for _, tc := range []struct {
		name string
		got  float64
		want float64
	}{
		// Points 1-3 see two label-0 points among 3 neighbours, point 0
		// sees none, points 4-7 see 3 of 3.
		{"hit k=3", NeighborhoodHit(y, labels, 3), (0 + 3*2.0/3 + 4) / 8},
		// Majority of 3: points 1-3 vote 0 (2 of 3), point 0 votes 0 (wrong).
		{"knn k=3", KNNAccuracy(y, labels, 3), 7.0 / 8},
		{"hit bad k", NeighborhoodHit(y, labels, 8), math.NaN()},
		{"knn bad length", KNNAccuracy(y, labels[:3], 1), math.NaN()},
	} {
		if !(tc.got == tc.want || math.IsNaN(tc.got) && math.IsNaN(tc.want)) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestCoherence(t *testing.T) {
	a := []float64{0, 0, 3, 0, 0, 4}
	shifted := []float64{1, 0, 4, 0, 1, 4}
	for _, tc := range []struct {
		name string
		a, b []float64
		want float64
	}{
		{"same", a, a, 0},
		{"shifted", a, shifted, 1.0 / 5}, // displacement 1, diameter 5
		{"length", a, a[:4], math.NaN()},
		{"empty", nil, nil, math.NaN()},
	} {
		got := Coherence(tc.a, tc.b)
		if !(math.Abs(got-tc.want) < 1e-15 || math.IsNaN(got) && math.IsNaN(tc.want)) {
			t.Errorf("%s: Coherence = %v, want %v", tc.name, got, tc.want)
		}
	}
}
