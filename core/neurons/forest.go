package neurons

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// ForestConfig sets up FitExtraTrees. The zero value gives scikit-learn's
// ExtraTreesClassifier defaults: 100 trees, Gini impurity, ⌊√d⌋ candidate
// features per split, trees grown until their leaves are pure, no bootstrap.
type ForestConfig struct {
	Trees       int   // number of trees; 0 → 100
	MaxFeatures int   // candidate features per split; 0 → max(1, ⌊√d⌋)
	MaxDepth    int   // depth limit; 0 → unlimited
	Workers     int   // goroutines; 0 → runtime.GOMAXPROCS(0)
	Seed        int64 // seeds every tree; the result does not depend on Workers
}

// Forest is a fitted one-vs-rest extremely randomized trees classifier.
type Forest struct {
	d     int
	trees [][]node
	imp   []float64
}

// node is one tree node; feature < 0 marks a leaf holding the fraction of
// positive samples that reached it.
type node struct {
	feature     int32
	threshold   float32
	left, right int32
	p           float32
}

// featureThreshold is scikit-learn's FEATURE_THRESHOLD: a feature whose
// range in a node is no larger is constant there.
const featureThreshold = 1e-7

// FitExtraTrees fits a forest to the row-major n×d matrix x and the binary
// labels y (len n, both classes present).
func FitExtraTrees(x []float32, n, d int, y []bool, cfg ForestConfig) (*Forest, error) {
	if err := checkMatrix(x, n, d); err != nil {
		return nil, err
	}
	if len(y) != n {
		return nil, fmt.Errorf("neurons: %d labels for %d samples", len(y), n)
	}
	pos := 0
	for _, v := range y {
		if v {
			pos++
		}
	}
	if pos == 0 || pos == n {
		return nil, fmt.Errorf("neurons: labels are all %t; both classes are needed", pos == n)
	}
	cfg, err := cfg.withDefaults(d)
	if err != nil {
		return nil, err
	}
	lab := make([]uint8, n)
	for i, v := range y {
		if v {
			lab[i] = 1
		}
	}
	f := newFitter(transpose(x, n, d), lab, n, d, cfg)
	f.grow(cfg.Trees)
	return f.forest(), nil
}

// fitter grows a forest in steps of a few trees.
type fitter struct {
	cols     []float32 // column-major features, d×n
	lab      []uint8   // 1 for positive samples
	n, d     int
	cfg      ForestConfig // with defaults applied
	builders []*builder
	trees    [][]node
	perTree  []float64 // unnormalised importances, d per tree
	next     int       // trees grown so far
}

func newFitter(cols []float32, lab []uint8, n, d int, cfg ForestConfig) *fitter {
	return &fitter{cols: cols, lab: lab, n: n, d: d, cfg: cfg,
		trees: make([][]node, cfg.Trees), perTree: make([]float64, cfg.Trees*d)}
}

// grow grows the next k trees, over up to cfg.Workers goroutines, and
// reports whether the forest is complete. Tree t is seeded with (Seed, t),
// so the result does not depend on k or on the workers.
func (f *fitter) grow(k int) bool {
	end := min(f.next+k, f.cfg.Trees)
	for len(f.builders) < min(f.cfg.Workers, end-f.next) {
		f.builders = append(f.builders, newBuilder(f.cols, f.lab, f.n, f.d, f.cfg))
	}
	var next atomic.Int64
	next.Store(int64(f.next))
	var wg sync.WaitGroup
	for _, b := range f.builders[:min(len(f.builders), end-f.next)] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := int(next.Add(1) - 1); t < end; t = int(next.Add(1) - 1) {
				f.trees[t] = b.grow(uint64(t), f.perTree[t*f.d:(t+1)*f.d])
			}
		}()
	}
	wg.Wait()
	f.next = end
	return f.next == f.cfg.Trees
}

// forest returns the fitted forest; call it once grow reported true.
func (f *fitter) forest() *Forest {
	return &Forest{d: f.d, trees: f.trees, imp: averageImportances(f.perTree, f.trees, f.d)}
}

func (cfg ForestConfig) withDefaults(d int) (ForestConfig, error) {
	switch {
	case cfg.Trees < 0:
		return cfg, fmt.Errorf("neurons: %d trees must be ≥ 0", cfg.Trees)
	case cfg.MaxFeatures < 0 || cfg.MaxFeatures > d:
		return cfg, fmt.Errorf("neurons: max features %d must be between 0 and %d", cfg.MaxFeatures, d)
	case cfg.MaxDepth < 0:
		return cfg, fmt.Errorf("neurons: max depth %d must be ≥ 0", cfg.MaxDepth)
	case cfg.Workers < 0:
		return cfg, fmt.Errorf("neurons: %d workers must be ≥ 0", cfg.Workers)
	}
	if cfg.Trees == 0 {
		cfg.Trees = 100
	}
	if cfg.MaxFeatures == 0 {
		cfg.MaxFeatures = max(1, int(math.Sqrt(float64(d))))
	}
	if cfg.MaxDepth == 0 {
		cfg.MaxDepth = math.MaxInt
	}
	if cfg.Workers == 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	return cfg, nil
}

// averageImportances normalises each tree's importances to sum 1 and
// averages them over the trees that split at least once, renormalised, as
// scikit-learn does. A forest without any split has all-zero importances.
func averageImportances(perTree []float64, trees [][]node, d int) []float64 {
	imp := make([]float64, d)
	for t, nodes := range trees {
		if len(nodes) < 2 {
			continue
		}
		ti := perTree[t*d : (t+1)*d]
		normalise(ti)
		for j, v := range ti {
			imp[j] += v
		}
	}
	normalise(imp)
	return imp
}

// normalise scales v to sum 1 unless its sum is zero.
func normalise(v []float64) {
	s := 0.0
	for _, x := range v {
		s += x
	}
	if s > 0 {
		for i := range v {
			v[i] /= s
		}
	}
}

// Importances writes the impurity-based (mean decrease in Gini) importance
// of every feature, summing to 1, into dst[:0] and returns it.
func (f *Forest) Importances(dst []float64) []float64 {
	return append(dst[:0], f.imp...)
}

// Predict returns the forest's probability that the sample row (len d) is
// positive: the mean over the trees of the positive fraction in its leaf.
func (f *Forest) Predict(row []float32) (float64, error) {
	if len(row) != f.d {
		return 0, fmt.Errorf("neurons: sample has %d features, the forest %d", len(row), f.d)
	}
	s := 0.0
	for _, nodes := range f.trees {
		k := int32(0)
		for nodes[k].feature >= 0 {
			if row[nodes[k].feature] <= nodes[k].threshold {
				k = nodes[k].left
			} else {
				k = nodes[k].right
			}
		}
		s += float64(nodes[k].p)
	}
	return s / float64(len(f.trees)), nil
}

// transpose returns the column-major (feature-major) copy of x.
func transpose(x []float32, n, d int) []float32 {
	c := make([]float32, n*d)
	for i := 0; i < n; i++ {
		row := x[i*d : (i+1)*d]
		for j, v := range row {
			c[j*n+i] = v
		}
	}
	return c
}

// checkMatrix validates a row-major n×d matrix.
func checkMatrix(x []float32, n, d int) error {
	switch {
	case n < 1 || d < 1:
		return fmt.Errorf("neurons: matrix %d×%d must have at least one row and column", n, d)
	case len(x) != n*d:
		return fmt.Errorf("neurons: matrix has %d values, want %d×%d = %d", len(x), n, d, n*d)
	}
	for i, v := range x {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("neurons: value %d (row %d, column %d) is %v", i, i/d, i%d, v)
		}
	}
	return nil
}
