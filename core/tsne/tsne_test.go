package tsne

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// blobs returns n points in d dimensions around k well separated centres,
// with their cluster labels.
func blobs(n, d, k int, seed uint64) ([]float32, []uint8) {
	r := rand.New(rand.NewPCG(seed, 1))
	centres := make([]float64, k*d)
	for i := range centres {
		centres[i] = 12 * r.NormFloat64()
	}
	x := make([]float32, n*d)
	labels := make([]uint8, n)
	for i := range n {
		c := i % k
		labels[i] = uint8(c)
		for f := range d {
			x[i*d+f] = float32(centres[c*d+f] + r.NormFloat64())
		}
	}
	return x, labels
}

func TestBlobsSeparate(t *testing.T) {
	for _, tc := range []struct {
		name       string
		n, d, k    int
		cfg        Config
		wantHitMin float64
	}{
		{"exact", 200, 20, 4, Config{Gradient: Exact}, 0.95},
		{"barnes-hut", 600, 60, 5, Config{Gradient: BarnesHut}, 0.95},
		{"pca-standardized", 500, 80, 6, Config{Standardize: true, PCA: 10}, 0.95},
		{"no-pca", 300, 8, 3, Config{PCA: -1, Perplexity: 10}, 0.95},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, labels := blobs(tc.n, tc.d, tc.k, 7)
			r, err := New(x, tc.n, tc.d, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			y := r.Run().Positions(nil)
			if hit := NeighborhoodHit(y, labels, 6); hit < tc.wantHitMin {
				t.Errorf("neighbourhood hit %.3f, want >= %.2f", hit, tc.wantHitMin)
			}
			if kl := r.KL(); !(kl >= 0 && kl < 5) {
				t.Errorf("KL = %v, want a small non-negative number", kl)
			}
		})
	}
}

// prepared returns a run of blobs with preparation done and the given
// number of iterations made.
func prepared(t testing.TB, n, iters int, cfg Config) *TSNE {
	x, _ := blobs(n, 30, 5, 3)
	r, err := New(x, n, 30, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for !r.Prepared() {
		r.Step()
	}
	for range iters {
		r.Step()
	}
	return r
}

func TestBarnesHutMatchesExact(t *testing.T) {
	// Stated tolerance: the L2 error of the Barnes-Hut gradient relative to
	// the exact repulsive term 4·Σ_j q_ij² Z (y_i - y_j) stays below 1.5%
	// at θ = 0.5 and 0.1% at θ = 0.1, on an early (compact) and a late
	// (spread, near equilibrium) layout; the kernel sums Z agree within
	// 0.5% and 0.05%.
	for _, tc := range []struct {
		theta, tol float64
		iters      int
	}{
		{0.5, 0.015, 10},
		{0.5, 0.015, 400},
		{0.1, 0.001, 10},
		{0.1, 0.001, 400},
	} {
		r := prepared(t, 800, tc.iters, Config{Gradient: BarnesHut, Theta: tc.theta})
		o := &r.opt
		o.gradient()
		o.combine()
		bh, zbh := slices.Clone(o.grad), o.lastZ
		o.exact = true
		o.gradient()
		o.combine()
		diff, norm := 0.0, 0.0
		for i, g := range o.grad {
			diff += sq(bh[i] - g)
			norm += sq(4 * o.rep[i] / o.lastZ)
		}
		if rel := math.Sqrt(diff / norm); !(rel < tc.tol) {
			t.Errorf("θ=%v after %d iterations: relative gradient error %.2g, want < %v", tc.theta, tc.iters, rel, tc.tol)
		}
		if rel := math.Abs(zbh/o.lastZ - 1); !(rel < tc.tol/3) {
			t.Errorf("θ=%v after %d iterations: relative error of Z %.2g, want < %v", tc.theta, tc.iters, rel, tc.tol/3)
		}
	}
}

func TestExactGradientNumerically(t *testing.T) {
	// The exact gradient is the derivative of KL(P‖Q): compare with
	// central differences (no exaggeration).
	r := prepared(t, 60, 300, Config{Gradient: Exact, Perplexity: 10, ExaggerationIters: -1})
	o := &r.opt
	o.gradient()
	o.combine()
	grad := slices.Clone(o.grad)
	for _, i := range []int{0, 7, 31, 119} {
		const h = 1e-6
		keep := o.y[i]
		o.y[i] = keep + h
		o.gradient()
		o.combine()
		up := o.divergence()
		o.y[i] = keep - h
		o.gradient()
		o.combine()
		down := o.divergence()
		o.y[i] = keep
		num := (up - down) / (2 * h)
		if math.Abs(num-grad[i]) > 1e-5*max(1, math.Abs(num)) {
			t.Errorf("∂KL/∂y[%d]: gradient %.8g, central difference %.8g", i, grad[i], num)
		}
	}
}

func TestCalibrationEntropy(t *testing.T) {
	for _, perp := range []float64{2, 5, 30, 50} {
		x, _ := blobs(400, 10, 3, 11)
		r, err := New(x, 400, 10, Config{Perplexity: perp})
		if err != nil {
			t.Fatal(err)
		}
		// Stop right after calibration, before symmetrisation.
		for r.task < len(r.tasks)-1 {
			r.Step()
		}
		k := r.prep.k
		for i := 0; i < 400; i += 37 {
			row := r.prep.dist[i*k : (i+1)*k]
			h, sum := 0.0, 0.0
			for _, p := range row {
				sum += p
				if p > 0 {
					h -= p * math.Log(p)
				}
			}
			if math.Abs(sum-1) > 1e-12 || math.Abs(h-math.Log(perp)) > 1e-4 {
				t.Errorf("perplexity %v row %d: sum %v, entropy %.6f, want 1 and %.6f ± 1e-4", perp, i, sum, h, math.Log(perp))
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	x, _ := blobs(300, 70, 4, 5)
	run := func(seed int64) []float64 {
		r, err := New(x, 300, 70, Config{Seed: seed, PCA: 20, Iterations: 400})
		if err != nil {
			t.Fatal(err)
		}
		return r.Run().Positions(nil)
	}
	a, b := run(3), run(3)
	if !slices.Equal(a, b) {
		t.Error("two runs with seed 3 differ")
	}
	if c := run(4); slices.Equal(a, c) {
		t.Error("seeds 3 and 4 give bit-identical layouts; the seed is not used")
	}
}

func TestSteppingEqualsRun(t *testing.T) {
	for _, tc := range []struct {
		name    string
		n, d    int
		cfg     Config
		minStep int
	}{
		{"pca", 400, 120, Config{Standardize: true, Iterations: 300, Seed: 2}, 300},
		// More points than gradSlice: iterations are cut into Steps too.
		{"sliced", gradSlice + 300, 4, Config{Iterations: 30, Perplexity: 10}, 60},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, _ := blobs(tc.n, tc.d, 4, 9)
			whole, err := New(x, tc.n, tc.d, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			want := whole.Run().Positions(nil)
			stepped, _ := New(x, tc.n, tc.d, tc.cfg)
			var y []float64
			last, steps := 0.0, 0
			for !stepped.Step() {
				steps++
				y = stepped.Positions(y) // reading never disturbs the run
				p := stepped.Progress()
				if p < last || p > 1 {
					t.Fatalf("progress went from %v to %v", last, p)
				}
				last = p
			}
			if got := stepped.Positions(y); !slices.Equal(got, want) {
				t.Error("stepping to done differs from Run")
			}
			if steps < tc.minStep || stepped.Progress() != 1 {
				t.Errorf("%d steps, progress %v; want >= %d and 1", steps, stepped.Progress(), tc.minStep)
			}
			if whole.KL() != stepped.KL() || whole.Iteration() != stepped.Iteration() {
				t.Errorf("KL %v after %d iterations of Run, %v after %d stepped", whole.KL(), whole.Iteration(), stepped.KL(), stepped.Iteration())
			}
			mixed, _ := New(x, tc.n, tc.d, tc.cfg)
			for range steps / 2 {
				mixed.Step()
			}
			if got := mixed.Run().Positions(nil); !slices.Equal(got, want) {
				t.Error("stepping half way, then Run, differs from Run")
			}
		})
	}
}

func TestPositionsBeforePreparation(t *testing.T) {
	x, _ := blobs(50, 5, 2, 1)
	r, err := New(x, 50, 5, Config{Perplexity: 5})
	if err != nil {
		t.Fatal(err)
	}
	y := r.Positions(make([]float64, 3))
	if len(y) != 100 || slices.ContainsFunc(y, func(v float64) bool { return v != 0 }) {
		t.Errorf("before preparation: got %d values, want 100 zeros", len(y))
	}
	if !math.IsNaN(r.KL()) {
		t.Errorf("KL before any iteration = %v, want NaN", r.KL())
	}
}

func TestInitIsUsed(t *testing.T) {
	x, _ := blobs(100, 5, 2, 1)
	init := make([]float64, 200)
	for i := range init {
		init[i] = float64(i%7) - 3
	}
	r, err := New(x, 100, 5, Config{Perplexity: 10, Init: init, Iterations: 1, ExaggerationIters: -1})
	if err != nil {
		t.Fatal(err)
	}
	for !r.Prepared() {
		r.Step()
	}
	if got := r.Positions(nil); !slices.Equal(got, init) {
		t.Error("prepared layout is not Config.Init")
	}
}

// TestAnchorHoldsLayout runs a t-SNE of new data from a previous layout,
// without and with the Anchor term: the anchored layout must stay closer to
// the previous one, and stepping must equal Run.
func TestAnchorHoldsLayout(t *testing.T) {
	const n, d = 300, 6
	x0, _ := blobs(n, d, 4, 1)
	prev, err := New(x0, n, d, Config{Perplexity: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	anchor := prev.Run().Positions(nil)
	x1, _ := blobs(n, d, 4, 2) // other centres: the layout must move
	moved := func(weight float64, step bool) []float64 {
		r, err := New(x1, n, d, Config{Perplexity: 20, Seed: 1, Init: anchor, ExaggerationIters: -1,
			Iterations: 300, Anchor: anchor, AnchorWeight: weight})
		if err != nil {
			t.Fatal(err)
		}
		if step {
			for !r.Step() {
			}
			return r.Positions(nil)
		}
		return r.Run().Positions(nil)
	}
	dist := func(y []float64) float64 {
		s := 0.0
		for i := range y {
			s += sq(y[i] - anchor[i])
		}
		return math.Sqrt(s / n)
	}
	free, held := moved(0, false), moved(5, false)
	t.Logf("RMS displacement from the previous layout: free %.3f, anchored (λ = 5) %.3f", dist(free), dist(held))
	if !(dist(held) < 0.8*dist(free)) {
		t.Errorf("anchored displacement %.3f not below 0.8 × the free %.3f", dist(held), dist(free))
	}
	if !slices.Equal(moved(5, true), held) {
		t.Error("stepping an anchored run differs from Run")
	}
}

func TestPCAMatchesEigen(t *testing.T) {
	// The subspace iteration finds the leading principal axes: compare with
	// gonum's symmetric eigendecomposition of the same covariance.
	const n, d, pcs = 500, 90, 6
	x, _ := blobs(n, d, 8, 21)
	r, err := New(x, n, d, Config{PCA: pcs})
	if err != nil {
		t.Fatal(err)
	}
	for r.prep.basis == nil {
		r.Step()
	}
	xc := mat.NewDense(n, d, nil)
	row := make([]float64, d)
	for i := range n {
		r.centred(i, row)
		xc.SetRow(i, row)
	}
	var c mat.SymDense
	c.SymOuterK(1/float64(n), xc.T())
	var eig mat.EigenSym
	if !eig.Factorize(&c, true) {
		t.Fatal("gonum eigen failed")
	}
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	for k := range pcs {
		dot := 0.0
		for f := range d {
			dot += r.prep.basis[f*pcs+k] * vecs.At(f, d-1-k)
		}
		if math.Abs(math.Abs(dot)-1) > 1e-6 {
			t.Errorf("component %d: |cos| with gonum's eigenvector = %.9f, want 1", k, math.Abs(dot))
		}
	}
}

func TestNewErrors(t *testing.T) {
	x, _ := blobs(20, 3, 2, 1)
	nan := slices.Clone(x)
	nan[7] = float32(math.NaN())
	for _, tc := range []struct {
		name string
		x    []float32
		n, d int
		cfg  Config
		want string
	}{
		{"few points", x[:6], 2, 3, Config{}, "tsne: n = 2 points, need at least 3"},
		{"no dims", x, 20, 0, Config{}, "tsne: d = 0 dimensions"},
		{"short x", x[:50], 20, 3, Config{Perplexity: 5}, "tsne: len(x) = 50, want n×d = 20×3 = 60"},
		{"nan", nan, 20, 3, Config{Perplexity: 5}, "tsne: x[7] (row 2, column 1) = NaN, want finite with magnitude <= 1e+15"},
		{"perplexity negative", x, 20, 3, Config{Perplexity: -1}, "tsne: perplexity -1 must be > 0"},
		{"perplexity large", x, 20, 3, Config{}, "tsne: perplexity 30 must be < n-1 = 19"},
		{"iterations", x, 20, 3, Config{Perplexity: 5, Iterations: -2}, "tsne: iterations -2 must be >= 0"},
		{"learning rate", x, 20, 3, Config{Perplexity: 5, LearningRate: -1}, "tsne: learning rate -1 must be finite and > 0"},
		{"theta", x, 20, 3, Config{Perplexity: 5, Theta: 3}, "tsne: theta 3 must be in (0, 2]"},
		{"gradient", x, 20, 3, Config{Perplexity: 5, Gradient: 9}, "tsne: unknown gradient method 9"},
		{"init length", x, 20, 3, Config{Perplexity: 5, Init: make([]float64, 5)}, "tsne: init has length 5, want 2n = 40"},
		{"init inf", x, 20, 3, Config{Perplexity: 5, Init: append(make([]float64, 39), math.Inf(1))}, "tsne: init[39] = +Inf is not finite"},
		{"anchor length", x, 20, 3, Config{Perplexity: 5, Anchor: make([]float64, 5)}, "tsne: anchor has length 5, want 2n = 40"},
		{"anchor nan", x, 20, 3, Config{Perplexity: 5, Anchor: append(make([]float64, 39), math.NaN())}, "tsne: anchor[39] = NaN is not finite"},
		{"anchor weight", x, 20, 3, Config{Perplexity: 5, AnchorWeight: -1}, "tsne: anchor weight -1 must be finite and >= 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.x, tc.n, tc.d, tc.cfg)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %v, want prefix %q", err, tc.want)
			}
		})
	}
}

func TestZeroIterations(t *testing.T) {
	x, _ := blobs(30, 4, 2, 1)
	r, err := New(x, 30, 4, Config{Perplexity: 5, Iterations: -0})
	if err != nil {
		t.Fatal(err)
	}
	if r.Run().Iteration() == 0 {
		t.Error("Iterations 0 must mean the default, not none")
	}
}

func TestNeighboursOnceEqualsAll(t *testing.T) {
	// With one thread each distance is computed once for both points;
	// with several, each row against all: the neighbours must agree.
	x, _ := blobs(301, 60, 5, 13)
	var got [2][]float64
	var nbr [2][]int32
	for a, once := range []bool{false, true} {
		r, err := New(x, 301, 60, Config{PCA: 20, Perplexity: 20})
		if err != nil {
			t.Fatal(err)
		}
		r.prep.once = once
		for r.prep.in == nil {
			r.Step()
		}
		got[a], nbr[a] = r.prep.dist, r.prep.nbr
	}
	if !slices.Equal(got[0], got[1]) || !slices.Equal(nbr[0], nbr[1]) {
		t.Error("neighbours differ between the one-thread and the parallel computation")
	}
}

func TestCalibrateDegenerate(t *testing.T) {
	for _, tc := range []struct {
		name string
		row  []float64
	}{
		{"more ties than perplexity", []float64{1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 1e-5, 2e-4, 0.3, 0.4}},
		{"all equal", []float64{2, 2, 2, 2, 2, 2, 2, 2}},
		{"all zero", []float64{0, 0, 0, 0, 0, 0}},
		{"huge spread", []float64{0, 1e-30, 1e30, 1e38}},
	} {
		row := slices.Clone(tc.row)
		calibrateRow(row, 3)
		sum := 0.0
		for _, p := range row {
			if !(p >= 0 && p <= 1) {
				t.Fatalf("%s: p = %v", tc.name, p)
			}
			sum += p
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("%s: probabilities sum to %v", tc.name, sum)
		}
	}
}

func TestCovarianceInBlocks(t *testing.T) {
	// The covariance, accumulated over blocks of rows (the last one
	// partial; an odd number of features), equals bit for bit the dot
	// products of the full centred columns, summed in row order.
	const n, d = 2*covBlock + 37, 9
	x, _ := blobs(n, d, 3, 4)
	r, err := New(x, n, d, Config{Standardize: true})
	if err != nil {
		t.Fatal(err)
	}
	for r.prep.v == nil {
		r.Step()
	}
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = make([]float64, d)
		r.centred(i, rows[i])
	}
	for a := range d {
		for b := range d {
			s := 0.0
			for _, row := range rows {
				s += float64(row[a] * row[b])
			}
			if want := s * (1 / float64(n)); r.prep.cov[a*d+b] != want {
				t.Fatalf("cov[%d][%d] = %v, want %v", a, b, r.prep.cov[a*d+b], want)
			}
		}
	}
}
