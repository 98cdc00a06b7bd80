package tsne

import (
	"math"
	"testing"
)

// ulps returns how many representable float64 values lie between a and b.
func ulps(a, b float64) uint64 {
	x, y := math.Float64bits(a), math.Float64bits(b)
	if x > y {
		return x - y
	}
	return y - x
}

func TestExpLog(t *testing.T) {
	for _, x := range []float64{-745.2, -708.5, -700, -50, -1, -1e-9, 0, 1e-300, 0.5, 1, 2.5, 88, 700} {
		if u := ulps(exp(x), math.Exp(x)); u > 1 {
			t.Errorf("exp(%v) = %v, math.Exp gives %v (%d ulps apart)", x, exp(x), math.Exp(x), u)
		}
	}
	for _, x := range []float64{1e-300, 1e-5, 0.3, 1, 2, math.E, 30, 1e300} {
		if u := ulps(log(x), math.Log(x)); u > 1 {
			t.Errorf("log(%v) = %v, math.Log gives %v (%d ulps apart)", x, log(x), math.Log(x), u)
		}
	}
	// Where the amd64 assembly of math.Exp and math.Log is off (overflow
	// threshold, subnormal input), compare with correctly rounded values.
	if got := exp(709.7); got != 1.6549840276802644e+308 {
		t.Errorf("exp(709.7) = %v, want 1.6549840276802644e+308", got)
	}
	if got := log(5e-324); got != -744.4400719213812 {
		t.Errorf("log(5e-324) = %v, want -744.4400719213812", got)
	}
	if !math.IsInf(exp(710), 1) || exp(-746) != 0 || !math.IsInf(log(0), -1) || !math.IsNaN(log(-1)) {
		t.Error("special cases of exp and log")
	}
}
