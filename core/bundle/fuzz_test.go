package bundle

import (
	"math"
	"testing"
)

// FuzzBundle bundles trails decoded from bytes (each byte a coordinate
// −128..127, a 0xff byte ending a trail) on a small grid: never a panic,
// valid input never fails, end points stay, every output finite.
func FuzzBundle(f *testing.F) {
	f.Add([]byte{0, 0, 10, 10, 0xff, 0, 5, 10, 5}, false)
	f.Add([]byte{1, 1, 1, 1, 0xff, 1, 1}, true)
	f.Add([]byte{200, 3, 7, 90, 30, 30, 0xff, 201, 4, 8, 91, 29, 31}, true)
	f.Fuzz(func(t *testing.T, b []byte, keep bool) {
		var trails [][]float64
		var cur []float64
		for _, c := range b {
			if c == 0xff {
				if len(cur) >= 2 {
					trails = append(trails, cur[:len(cur)/2*2])
				}
				cur = nil
				continue
			}
			cur = append(cur, float64(int8(c)))
		}
		if len(cur) >= 2 {
			trails = append(trails, cur[:len(cur)/2*2])
		}
		out, err := Bundle(trails, Config{Size: 32, Bandwidth: 8, Iterations: 4, KeepVertices: keep})
		if err != nil {
			t.Fatal(err)
		}
		for i, o := range out {
			in := trails[i]
			if o[0] != in[0] || o[1] != in[1] || o[len(o)-2] != in[len(in)-2] || o[len(o)-1] != in[len(in)-1] {
				t.Fatalf("trail %d: end points moved: %v → %v", i, in, o)
			}
			for _, v := range o {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("trail %d: %v → %v", i, in, o)
				}
			}
		}
	})
}
