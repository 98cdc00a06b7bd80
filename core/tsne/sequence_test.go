package tsne

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// stages returns three noisy views of the same labelled points, each a
// random linear map of blobs plus noise, with different widths.
func stages(n int) ([][]float32, []int, []uint8) {
	x, labels := blobs(n, 12, 5, 17)
	dims := []int{12, 20, 8}
	r := rand.New(rand.NewPCG(4, 4))
	var xs [][]float32
	for _, d := range dims {
		m := make([]float64, 12*d)
		for i := range m {
			m[i] = r.NormFloat64()
		}
		xt := make([]float32, n*d)
		for i := range n {
			for c := range d {
				s := 0.0
				for f := range 12 {
					s += float64(x[i*12+f]) * m[f*d+c]
				}
				xt[i*d+c] = float32(s + 6*r.NormFloat64())
			}
		}
		xs = append(xs, xt)
	}
	return xs, dims, labels
}

// runSeq runs a sequence to completion, checking Ready and Progress.
func runSeq(t *testing.T, s *Sequence) [][]float64 {
	t.Helper()
	last := 0.0
	for !s.Step() {
		if p := s.Progress(); p < last || p > 1 {
			t.Fatalf("progress went from %v to %v", last, p)
		} else {
			last = p
		}
	}
	var out [][]float64
	for st := range s.Len() {
		if !s.Ready(st) {
			t.Fatalf("stage %d not ready after done", st)
		}
		out = append(out, s.Positions(st, nil))
	}
	return out
}

func TestDynamicMovesLess(t *testing.T) {
	const n = 300
	xs, dims, labels := stages(n)
	cfg := Config{Perplexity: 20, Iterations: 500, Seed: 1}
	var indep [][]float64
	for st := range xs {
		r, err := New(xs[st], n, dims[st], cfg)
		if err != nil {
			t.Fatal(err)
		}
		indep = append(indep, r.Run().Positions(nil))
	}
	s, err := NewSequence(xs, n, dims, Dynamic, 0.1, cfg)
	if err != nil {
		t.Fatal(err)
	}
	dyn := runSeq(t, s)
	if it := s.runs[0].Iteration(); it <= 300 {
		t.Errorf("dynamic stopped after %d iterations, before its second convergence check", it)
	}
	for st := range xs {
		hi, hd := NeighborhoodHit(indep[st], labels, 6), NeighborhoodHit(dyn[st], labels, 6)
		if hd < hi-0.05 {
			t.Errorf("stage %d: neighbourhood hit %.3f dynamic, %.3f independent; want within 0.05", st, hd, hi)
		}
		if st == 0 {
			continue
		}
		ci, cd := Coherence(indep[st-1], indep[st]), Coherence(dyn[st-1], dyn[st])
		if !(cd < ci) {
			t.Errorf("stages %d→%d: dynamic moves points by %.4f of the diameter, independent runs by %.4f; want less", st-1, st, cd, ci)
		}
	}
}

func TestChainedAndJoint(t *testing.T) {
	const n = 200
	xs, dims, labels := stages(n)
	cfg := Config{Perplexity: 15, Seed: 2}
	chained, err := NewSequence(xs, n, dims, Chained, 0, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if chained.Ready(1) || chained.Ready(-1) || chained.Ready(3) {
		t.Error("chained stage 1 ready before anything ran, or stages -1 or 3 ready")
	}
	if got := chained.Positions(1, nil); len(got) != 2*n || slices.Max(got) != 0 || slices.Min(got) != 0 {
		t.Errorf("positions of a stage not ready: %d values, want %d zeros", len(got), 2*n)
	}
	if got := chained.Positions(3, []float64{1}); len(got) != 0 {
		t.Errorf("positions of stage 3 of 3: %d values, want none", len(got))
	}
	ys := runSeq(t, chained)
	for st, y := range ys {
		if h := NeighborhoodHit(y, labels, 6); h < 0.9 {
			t.Errorf("chained stage %d: neighbourhood hit %.3f, want >= 0.9", st, h)
		}
	}
	if it := chained.runs[1].Iteration(); it > ChainIterations {
		t.Errorf("chained stage 1 ran %d iterations, want <= %d", it, ChainIterations)
	}
	same := [][]float32{xs[0], xs[0]}
	joint, err := NewSequence(same, n, dims[:1:1], Joint, 0, cfg)
	if err == nil {
		t.Fatal("joint with 2 stages and 1 dims: no error")
	}
	joint, err = NewSequence(same, n, []int{dims[0], dims[0]}, Joint, 0, cfg)
	if err != nil {
		t.Fatal(err)
	}
	js := runSeq(t, joint)
	if joint.Len() != 2 || len(js[1]) != 2*n {
		t.Fatalf("joint: %d stages of %d values, want 2 of %d", joint.Len(), len(js[1]), 2*n)
	}
	for st, y := range js {
		if h := NeighborhoodHit(y, labels, 6); h < 0.9 {
			t.Errorf("joint stage %d: neighbourhood hit %.3f, want >= 0.9", st, h)
		}
	}
}

func TestSequenceErrors(t *testing.T) {
	xs, dims, _ := stages(50)
	for _, tc := range []struct {
		name   string
		xs     [][]float32
		dims   []int
		method SeqMethod
		lambda float64
		cfg    Config
		want   string
	}{
		{"no stages", nil, nil, Chained, 0, Config{}, "tsne: sequence has 0 stages"},
		{"init", xs, dims, Chained, 0, Config{Init: []float64{1}}, "tsne: a sequence computes its own init"},
		{"lambda", xs, dims, Dynamic, -1, Config{Perplexity: 5}, "tsne: lambda -1 must be finite and >= 0"},
		{"lambda chained", xs, dims, Chained, 0.1, Config{Perplexity: 5}, "tsne: lambda 0.1 is only for the dynamic method"},
		{"joint dims", xs, dims, Joint, 0, Config{Perplexity: 5}, "tsne: joint sequence needs equal dims"},
		{"method", xs, dims, 7, 0, Config{Perplexity: 5}, "tsne: unknown sequence method 7"},
		{"stage error", xs, []int{12, 20, 9}, Dynamic, 0, Config{Perplexity: 5}, "tsne: len(x) = 400, want n×d = 50×9 = 450 (stage 2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewSequence(tc.xs, 50, tc.dims, tc.method, tc.lambda, tc.cfg)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %v, want prefix %q", err, tc.want)
			}
		})
	}
}

func TestSequenceDeterministic(t *testing.T) {
	xs, dims, _ := stages(120)
	run := func() [][]float64 {
		s, err := NewSequence(xs, 120, dims, Dynamic, 0.05, Config{Perplexity: 10, Iterations: 200})
		if err != nil {
			t.Fatal(err)
		}
		return runSeq(t, s)
	}
	a, b := run(), run()
	for st := range a {
		if !slices.Equal(a[st], b[st]) {
			t.Errorf("stage %d differs between two runs", st)
		}
	}
}
