package tsne

import (
	"runtime"
	"slices"
	"testing"

	"annvis/core/mnist"
	"annvis/core/tsne/synth"
)

// mnistRows returns the first n MNIST test digits as rows of 784 values in
// 0..1, with their labels.
func mnistRows(t testing.TB, n int) ([]float32, []uint8) {
	set, err := mnist.LoadModule("t10k")
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float32, n*mnist.Pixels)
	for i, v := range set.Images[:n*mnist.Pixels] {
		x[i] = float32(v) / 255
	}
	return x, set.Labels[:n]
}

// approxRun prepares a run of x up to its neighbours, found by the
// approximate search whatever n.
func approxRun(t testing.TB, x []float32, n, d int) *TSNE {
	r, err := New(x, n, d, Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for r.prep.z == nil || r.opt.n == 0 {
		r.Step()
	}
	for _, tk := range r.approxTasks() {
		tk.do(0, tk.units)
		if tk.finish != nil {
			tk.finish()
		}
	}
	return r
}

// exactNeighbours returns the exact neighbours of the rows r searched.
func exactNeighbours(r *TSNE) []int32 {
	approx, dist := r.prep.nbr, r.prep.dist
	r.prep.nbr, r.prep.heaps = nil, nil
	r.neighbours(0, r.n)
	exact := r.prep.nbr
	r.prep.nbr, r.prep.dist = approx, dist
	return exact
}

func TestApproxRecall(t *testing.T) {
	// The approximate search finds at least 99% of the exact
	// 3·perplexity+1 = 91 nearest neighbours of MNIST digits (50 PCs).
	if testing.Short() {
		t.Skip("exact neighbours of 5000 digits")
	}
	const n = 5000
	x, _ := mnistRows(t, n)
	approx := approxRun(t, x, n, 784)
	exact := exactNeighbours(approx)
	k := approx.prep.k
	found := 0
	for i := range n {
		want := exact[i*k : (i+1)*k]
		for _, j := range approx.prep.nbr[i*k : (i+1)*k] {
			if slices.Contains(want, j) {
				found++
			}
		}
	}
	recall := float64(found) / float64(n*k)
	t.Logf("recall %.4f of %d neighbours of %d digits", recall, k, n)
	if recall < 0.99 {
		t.Errorf("recall %.4f, want >= 0.99", recall)
	}
}

func TestSplitDoesNotChangeResults(t *testing.T) {
	// The approximate neighbours and a run with interpolated repulsion
	// are bit-identical whatever the number of goroutines.
	s, err := synth.Make("clusters", 1500, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var nbrs [][]int32
	var layouts [][]float64
	for _, procs := range []int{1, 3} {
		runtime.GOMAXPROCS(procs)
		r := approxRun(t, s.X, s.N, s.D)
		nbrs = append(nbrs, r.prep.nbr)
		run, err := New(s.X, s.N, s.D, Config{Seed: 2, Gradient: Interpolation, Iterations: 300})
		if err != nil {
			t.Fatal(err)
		}
		layouts = append(layouts, run.Run().Positions(nil))
	}
	if !slices.Equal(nbrs[0], nbrs[1]) {
		t.Error("approximate neighbours differ between 1 and 3 goroutines")
	}
	if !slices.Equal(layouts[0], layouts[1]) {
		t.Error("interpolation layouts differ between 1 and 3 goroutines")
	}
}
