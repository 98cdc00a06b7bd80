package neurons

import (
	"math"
	"testing"
)

// FuzzNeurons runs the whole neuron pipeline on small matrices decoded from
// bytes (n and d from the first two, then one value per byte, labels from
// the low bit): never a panic, dissimilarities in [0, 1], importances in
// [0, 1] summing to 1 (or all 0 when nothing splits).
func FuzzNeurons(f *testing.F) {
	f.Add([]byte{4, 3, 0, 0, 0, 1, 2, 0, 3, 6, 0, 2, 4, 0})
	f.Add([]byte{3, 2, 5, 5, 5, 5, 5, 5})
	f.Add([]byte{5, 2, 1, 9, 2, 8, 3, 7, 4, 6, 5, 5})
	f.Add([]byte{4, 2, 0x7f, 0x81, 0x80, 0x7f, 1, 0x80, 0x7e, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 2 {
			return
		}
		n, d := int(b[0]%12)+2, int(b[1]%6)+2
		b = b[2:]
		if len(b) < n*d {
			return
		}
		x := make([]float32, n*d)
		y := make([]bool, n)
		for k := range x {
			x[k] = float32(int8(b[k])) / 8
			if c := int8(b[k]); c == 127 || c == -128 {
				x[k] = float32(c) * 2.6e36 // near ±MaxFloat32
			}
		}
		for i := range y {
			y[i] = b[i*d]&1 == 1
		}
		dis, err := Dissimilarity(x, n, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range dis {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("dissimilarity %v", v)
			}
		}
		p, err := Project(dis, d, MDSConfig{Iterations: 20})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range p.Pos {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("position %v", v)
			}
		}
		pos := 0
		for _, v := range y {
			if v {
				pos++
			}
		}
		f, err := FitExtraTrees(x, n, d, y, ForestConfig{Trees: 5})
		if pos == 0 || pos == n {
			if err == nil {
				t.Fatal("no error for labels of one class")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, v := range f.Importances(nil) {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("importance %v", v)
			}
			sum += v
		}
		if sum != 0 && math.Abs(sum-1) > 1e-9 {
			t.Fatalf("importances sum to %v", sum)
		}
	})
}
