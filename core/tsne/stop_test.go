package tsne

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"annvis/core/tsne/synth"
)

func TestNoProgress(t *testing.T) {
	// scikit-learn's rule: stop when the best KL is more than limit
	// iterations old at a check.
	for _, tc := range []struct {
		name  string
		kls   []float64 // at iterations 300, 350, ...
		limit int
		stop  int // iteration it stops at; 0: never
	}{
		{"decreasing", []float64{5, 4, 3, 2.9, 2.8, 2.79, 2.789}, 300, 0},
		{"flat", []float64{3, 3, 3, 3, 3, 3, 3, 3, 3}, 300, 650},
		{"rising after a minimum", []float64{3, 2, 2.5, 2.6, 2.7, 2.8, 2.9, 3, 3.1}, 300, 700},
		{"tiny progress counts", []float64{3, 3, 3, 3, 3, 3, 2.999999, 3, 3, 3}, 300, 0},
		{"short limit", []float64{3, 2, 2.1, 2.2}, 50, 450},
		{"never", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, -1, 0},
	} {
		best, bestIter, stop := 1e300, 250, 0
		for c, kl := range tc.kls {
			iter := 300 + 50*c
			if noProgress(kl, &best, iter, &bestIter, tc.limit) {
				stop = iter
				break
			}
		}
		if stop != tc.stop {
			t.Errorf("%s: stopped at iteration %d, want %d", tc.name, stop, tc.stop)
		}
	}
}

// synthRun runs t-SNE with cfg on the synthetic set name (n points, seed 1).
func synthRun(t *testing.T, name string, n int, cfg Config) (*TSNE, synth.Set) {
	t.Helper()
	s, err := synth.Make(name, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(s.X, s.N, s.D, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r.Run(), s
}

func TestStoppingIterations(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want int
	}{
		// The KL divergence still decreases at 1000 iterations: all run,
		// as in scikit-learn.
		{"default", Config{Seed: 1}, 1000},
		// A huge gradient-norm floor stops at the first check after
		// exaggeration.
		{"min grad norm", Config{Seed: 1, MinGradNorm: 1e6}, 300},
		{"no exaggeration", Config{Seed: 1, MinGradNorm: 1e6, ExaggerationIters: -1}, 50},
		{"iterations", Config{Seed: 1, Iterations: 420}, 420},
	} {
		r, _ := synthRun(t, "clusters", 300, tc.cfg)
		if got := r.Iteration(); got != tc.want {
			t.Errorf("%s: %d iterations, want %d", tc.name, got, tc.want)
		}
	}
}

func TestSyntheticQualityMatchesScikitLearn(t *testing.T) {
	// Trustworthiness (k=10) within 0.003 of scikit-learn's on the same
	// data (testdata/sklearn-trust.txt, which says how it was measured).
	if testing.Short() {
		t.Skip("three t-SNE runs of 500 points")
	}
	f, err := os.Open("testdata/sklearn-trust.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc, cases := bufio.NewScanner(f), 0
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 4 || strings.HasPrefix(fs[0], "#") {
			continue
		}
		n, _ := strconv.Atoi(fs[1])
		seed, _ := strconv.ParseInt(fs[2], 10, 64)
		want, err := strconv.ParseFloat(fs[3], 64)
		if err != nil || seed != 1 {
			t.Fatalf("bad line %q", sc.Text())
		}
		cases++
		r, s := synthRun(t, fs[0], n, Config{Seed: seed})
		got := Trustworthiness(s.X, s.D, r.Positions(nil), 10)
		t.Logf("%s n=%d: trustworthiness %.4f, scikit-learn %.4f, %d iterations", fs[0], n, got, want, r.Iteration())
		if got < want-0.003 {
			t.Errorf("%s n=%d: trustworthiness %.4f, want >= scikit-learn's %.4f - 0.003", fs[0], n, got, want)
		}
	}
	if cases != len(synth.Names) {
		t.Errorf("%d reference cases, want one per data set (%d)", cases, len(synth.Names))
	}
}
