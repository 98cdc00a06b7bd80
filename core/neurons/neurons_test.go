package neurons

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// groups returns n samples of d neurons: neuron j follows latent factor
// j%2 plus noise, and the last `dead` neurons never fire.
func groups(n, d, dead int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 1))
	act := make([]float32, n*d)
	for i := range n {
		f := [2]float64{r.NormFloat64(), r.NormFloat64()}
		for j := range d - dead {
			act[i*d+j] = float32(max(0, 1+f[j%2]+0.3*r.NormFloat64()))
		}
	}
	return act
}

func TestDissimilarity(t *testing.T) {
	// Columns: x, 2x+1, −x, constant 3, constant 0, y (independent of x).
	const n, d = 200, 6
	r := rand.New(rand.NewPCG(1, 2))
	act := make([]float32, n*d)
	for i := range n {
		x, y := float32(r.NormFloat64()), float32(r.NormFloat64())
		copy(act[i*d:], []float32{x, 2*x + 1, -x, 3, 0, y})
	}
	dis, err := Dissimilarity(act, n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		i, j      int
		want, tol float64
	}{
		{0, 0, 0, 0}, {0, 1, 0, 1e-9}, {0, 2, 0, 1e-9}, {3, 4, 0, 0},
		{0, 3, 1, 0}, {4, 5, 1, 0}, {0, 5, 1, 0.25},
	} {
		if got := dis[c.i*d+c.j]; math.Abs(got-c.want) > c.tol || got != dis[c.j*d+c.i] {
			t.Errorf("dis(%d,%d) = %g, want %g ± %g and symmetric", c.i, c.j, got, c.want, c.tol)
		}
	}
	for k, v := range dis {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("dis[%d] = %g outside [0, 1]", k, v)
		}
	}
	again, _ := Dissimilarity(act, n, d, dis[:0])
	if &again[0] != &dis[0] {
		t.Error("Dissimilarity did not reuse dst")
	}
}

func TestInputErrors(t *testing.T) {
	act := []float32{1, 2, 3, 4}
	nan := []float32{1, float32(math.NaN()), 3, 4}
	for _, c := range []struct {
		name, want string
		err        func() error
	}{
		{"short", "matrix has 4 values, want 3×2", func() error { _, err := Dissimilarity(act, 3, 2, nil); return err }},
		{"nan", "value 1 (row 0, column 1) is NaN", func() error { _, err := Dissimilarity(nan, 2, 2, nil); return err }},
		{"diagonal", "on the diagonal must be 0", func() error { _, err := Project([]float64{1, 0, 0, 0}, 2, MDSConfig{}); return err }},
		{"asymmetric", "must be symmetric", func() error { _, err := Project([]float64{0, 1, 2, 0}, 2, MDSConfig{}); return err }},
		{"negative", "must be finite and ≥ 0", func() error { _, err := Project([]float64{0, -1, -1, 0}, 2, MDSConfig{}); return err }},
		{"one point", "need at least 2", func() error { _, err := Project([]float64{0}, 1, MDSConfig{}); return err }},
		{"perplexity", "perplexity 5 must be > 0 and ≤ 1", func() error {
			_, err := ProjectTSNE([]float64{0, 1, 1, 0}, 2, TSNEConfig{Perplexity: 5})
			return err
		}},
		{"labels", "3 labels for 2 samples", func() error {
			_, err := FitExtraTrees(act, 2, 2, []bool{true, false, true}, ForestConfig{})
			return err
		}},
		{"one class", "labels are all true", func() error { _, err := FitExtraTrees(act, 2, 2, []bool{true, true}, ForestConfig{}); return err }},
		{"features", "max features 3 must be between 0 and 2", func() error {
			_, err := FitExtraTrees(act, 2, 2, []bool{true, false}, ForestConfig{MaxFeatures: 3})
			return err
		}},
		{"class", "class 20 must be between 0 and 19", func() error { _, err := Discriminative(act, 2, 2, []uint8{0, 1}, 20, ForestConfig{}); return err }},
		{"digit", "label 20 of sample 1", func() error { _, err := DiscriminativeMap(act, 2, 2, []uint8{0, 20}, ForestConfig{}); return err }},
	} {
		err := c.err()
		if err == nil || !strings.HasPrefix(err.Error(), "neurons: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestProjectSeparatesGroups(t *testing.T) {
	const n, d, dead = 500, 40, 4
	dis, err := Dissimilarity(groups(n, d, dead, 3), n, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	mdsP, err := Project(dis, d, MDSConfig{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k < len(mdsP.Stress); k++ {
		if mdsP.Stress[k] > mdsP.Stress[k-1]*(1+1e-12) {
			t.Errorf("stress rose at iteration %d: %g → %g", k, mdsP.Stress[k-1], mdsP.Stress[k])
		}
	}
	if len(mdsP.Stress) < 3 || mdsP.Stress[len(mdsP.Stress)-1] >= mdsP.Stress[0] {
		t.Errorf("SMACOF did not improve on classical MDS: stress %v", mdsP.Stress)
	}
	tsneP, err := ProjectTSNE(dis, d, TSNEConfig{Perplexity: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		pos  []float64
	}{{"MDS", mdsP.Pos}, {"t-SNE", tsneP.Pos}} {
		within, between := spread(c.pos, func(i int) int { return i % 2 }, d-dead)
		if within >= between {
			t.Errorf("%s: groups overlap: largest distance within a group %.3g ≥ smallest between groups %.3g", c.name, within, between)
		}
	}
}

// spread returns the largest distance between points of one group and the
// smallest between points of different groups, among the first k points.
func spread(pos []float64, group func(int) int, k int) (within, between float64) {
	between = math.Inf(1)
	for i := range k {
		for j := i + 1; j < k; j++ {
			e := math.Hypot(pos[2*i]-pos[2*j], pos[2*i+1]-pos[2*j+1])
			if group(i) == group(j) {
				within = max(within, e)
			} else {
				between = min(between, e)
			}
		}
	}
	return within, between
}

// synthetic returns n samples of d uniform features and labels (30 %
// positive) that only the first three features carry: on them positives lie
// in [0.5, 1) and negatives in [0, 0.45).
func synthetic(n, d int, seed uint64) ([]float32, []bool) {
	r := rand.New(rand.NewPCG(seed, 5))
	x := make([]float32, n*d)
	y := make([]bool, n)
	for i := range n {
		y[i] = r.Float64() < 0.3
		for j := range d {
			x[i*d+j] = r.Float32()
			if j < 3 && y[i] {
				x[i*d+j] = 0.5 + 0.5*r.Float32()
			} else if j < 3 {
				x[i*d+j] = 0.45 * r.Float32()
			}
		}
	}
	return x, y
}

func TestExtraTreesInformativeFeatures(t *testing.T) {
	const n, d = 1000, 30
	x, y := synthetic(n, d, 7)
	for _, cfg := range []ForestConfig{{Seed: 1}, {Seed: 2, Trees: 30, Workers: 1}, {Seed: 3, MaxFeatures: d}} {
		f, err := FitExtraTrees(x, n, d, y, cfg)
		if err != nil {
			t.Fatal(err)
		}
		imp := f.Importances(nil)
		sum, top := 0.0, imp[0]+imp[1]+imp[2]
		for _, v := range imp {
			sum += v
		}
		t.Logf("%+v: informative features hold %.3f of the importance", cfg, top)
		if math.Abs(sum-1) > 1e-9 || top < 0.8 {
			t.Errorf("%+v: importances sum to %g, informative ones hold %.3f, want 1 and > 0.8", cfg, sum, top)
		}
		xt, yt := synthetic(500, d, 8)
		right := 0
		for i := range 500 {
			p, err := f.Predict(xt[i*d : (i+1)*d])
			if err != nil {
				t.Fatal(err)
			}
			if (p > 0.5) == yt[i] {
				right++
			}
		}
		if right < 450 {
			t.Errorf("%+v: %d/500 held-out samples right, want ≥ 450", cfg, right)
		}
	}
}

func TestExtraTreesDeterministic(t *testing.T) {
	const n, d = 300, 16
	x, y := synthetic(n, d, 9)
	var runs [][]float64
	for _, w := range []int{1, 2, 5} {
		f, err := FitExtraTrees(x, n, d, y, ForestConfig{Seed: 4, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, f.Importances(nil))
	}
	other, _ := FitExtraTrees(x, n, d, y, ForestConfig{Seed: 5})
	if !slices.Equal(runs[0], runs[1]) || !slices.Equal(runs[0], runs[2]) {
		t.Error("importances depend on the number of workers")
	}
	if slices.Equal(runs[0], other.Importances(nil)) {
		t.Error("importances do not depend on the seed")
	}
}

func TestDiscriminativeMap(t *testing.T) {
	// Neuron j fires for digits of class j%10 (plus noise); neurons 20–23
	// are noise only and 24 is dead.
	const n, d = 600, 25
	r := rand.New(rand.NewPCG(11, 12))
	act := make([]float32, n*d)
	labels := make([]uint8, n)
	for i := range n {
		labels[i] = uint8(i % Digits)
		for j := range d - 1 {
			v := 0.5 * r.Float64()
			if j < 20 && j%Digits == int(labels[i]) {
				v += 0.2 + float64(j/Digits)*0.5
			}
			act[i*d+j] = float32(v)
		}
	}
	m, err := DiscriminativeMap(act, n, d, labels, ForestConfig{Seed: 1, Trees: 50})
	if err != nil {
		t.Fatal(err)
	}
	for j := range 20 {
		if m.Class[j] != j%Digits {
			t.Errorf("neuron %d: class %d, want %d (row %.3f)", j, m.Class[j], j%Digits, m.Importance[j*Digits:(j+1)*Digits])
		}
		// Of the two neurons of each class, the one with the larger
		// response (j ≥ 10) should be the more important one.
		if j >= 10 && m.Opacity[j] != 1 {
			t.Errorf("neuron %d: opacity %g, want 1", j, m.Opacity[j])
		}
	}
	if m.Importance[24*Digits+3] != 0 {
		t.Errorf("dead neuron has importance %g", m.Importance[24*Digits+3])
	}
	for j, o := range m.Opacity {
		if !(o >= 0 && o <= 1) {
			t.Errorf("neuron %d: opacity %g outside [0, 1]", j, o)
		}
	}
	one, err := Discriminative(act, n, d, labels, 3, ForestConfig{Seed: 4, Trees: 50})
	if err != nil {
		t.Fatal(err)
	}
	for j := range d {
		if one[j] != m.Importance[j*Digits+3] {
			t.Fatalf("Discriminative(class 3) differs from the map's column 3 at neuron %d", j)
		}
	}
}

// TestDiscriminativeMapTwentyClasses checks the map of a user's data set
// of twenty classes: twenty columns, and neuron j found discriminating
// class j, classes 10–19 included.
func TestDiscriminativeMapTwentyClasses(t *testing.T) {
	const n, d = 1000, MaxClasses
	r := rand.New(rand.NewPCG(3, 4))
	act := make([]float32, n*d)
	labels := make([]uint8, n)
	for i := range n {
		labels[i] = uint8(i % MaxClasses)
		for j := range d {
			v := 0.5 * r.Float64()
			if j == int(labels[i]) {
				v += 0.7
			}
			act[i*d+j] = float32(v)
		}
	}
	m, err := DiscriminativeMap(act, n, d, labels, ForestConfig{Seed: 1, Trees: 20})
	if err != nil {
		t.Fatal(err)
	}
	if m.Classes != MaxClasses || len(m.Importance) != d*MaxClasses {
		t.Fatalf("%d classes, %d importances; want %d and %d", m.Classes, len(m.Importance), MaxClasses, d*MaxClasses)
	}
	for j, c := range m.Class {
		if c != j {
			t.Errorf("neuron %d: class %d, want %d", j, c, j)
		}
	}
	if _, err := DiscriminativeMap(act, n, d, append(labels[:n-1:n-1], MaxClasses), ForestConfig{}); err == nil {
		t.Errorf("label %d accepted", MaxClasses)
	}
}
