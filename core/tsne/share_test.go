package tsne

import (
	"errors"
	"slices"
	"testing"
)

// localHelper hands a run's messages to a Forces in the same program, as a
// Web Worker does with its port; after fail answers, it fails.
type localHelper struct {
	f       Forces
	answers [][]byte
	served  int
	fail    int // answers given before failing; 0: never fails
}

func (h *localHelper) Send(msg []byte) {
	a, err := h.f.Handle(msg)
	if err != nil {
		panic(err)
	}
	if a != nil {
		h.answers = append(h.answers, a)
	}
}

func (h *localHelper) Receive() ([]byte, error) {
	if h.fail > 0 && h.served >= h.fail {
		return nil, errors.New("helper gone")
	}
	a := h.answers[0]
	h.answers = h.answers[1:]
	h.served++
	return a, nil
}

// staleHelper answers every request after the first twice: once with the
// previous request's answer (a late answer), then with its own.
type staleHelper struct {
	localHelper
	last []byte
}

func (h *staleHelper) Send(msg []byte) {
	a, err := h.f.Handle(msg)
	if err != nil {
		panic(err)
	}
	if a == nil {
		return
	}
	if h.last != nil {
		h.answers = append(h.answers, h.last)
	}
	h.answers = append(h.answers, a)
	h.last = a
}

func TestSharedGradientEqualsAlone(t *testing.T) {
	const n = shareMin + 300
	x, _ := blobs(n, 4, 4, 9)
	for _, tc := range []struct {
		name   string
		cfg    Config
		helper func() Helper
	}{
		{"barnes-hut", Config{Iterations: 30, Perplexity: 10}, func() Helper { return &localHelper{} }},
		// The grid's repulsion of every point is computed at once: the helper computes attractions only.
		{"interpolation", Config{Iterations: 20, Perplexity: 10, Gradient: Interpolation}, func() Helper { return &localHelper{} }},
		{"exact", Config{Iterations: 4, Perplexity: 10, Gradient: Exact}, func() Helper { return &localHelper{} }},
		{"helper fails", Config{Iterations: 30, Perplexity: 10}, func() Helper { return &localHelper{fail: 7} }},
		{"late answers", Config{Iterations: 30, Perplexity: 10}, func() Helper { return &staleHelper{} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			alone, err := New(x, n, 4, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			want := alone.Run().Positions(nil)
			shared, _ := New(x, n, 4, tc.cfg)
			h := tc.helper()
			for range 5 { // sharing may begin at any step
				shared.Step()
			}
			shared.Share(h)
			for !shared.Step() {
			}
			if got := shared.Positions(nil); !slices.Equal(got, want) {
				t.Error("a run sharing its gradient differs from the run alone")
			}
			if alone.KL() != shared.KL() || alone.Iteration() != shared.Iteration() {
				t.Errorf("KL %v after %d iterations alone, %v after %d shared", alone.KL(), alone.Iteration(), shared.KL(), shared.Iteration())
			}
			if servedBy(h) == 0 {
				t.Error("the helper computed no forces")
			}
		})
	}
}

// servedBy returns how many answers the test helper h gave.
func servedBy(h Helper) int {
	switch h := h.(type) {
	case *localHelper:
		return h.served
	case *staleHelper:
		return h.served
	}
	return 0
}

func TestSharedSequenceEqualsAlone(t *testing.T) {
	const n = shareMin/2 + 100
	xs, dims, _ := stages(n)
	for _, m := range []SeqMethod{Chained, Joint} {
		t.Run(m.String(), func(t *testing.T) {
			d := dims
			if m == Joint {
				xs, d = [][]float32{xs[0], xs[0]}, []int{dims[0], dims[0]}
			}
			cfg := Config{Iterations: 40, Perplexity: 10}
			alone, err := NewSequence(xs, n, d, m, 0, cfg)
			if err != nil {
				t.Fatal(err)
			}
			want := runSeq(t, alone)
			shared, _ := NewSequence(xs, n, d, m, 0, cfg)
			h := &localHelper{}
			shared.Share(h)
			if got := runSeq(t, shared); !slices.EqualFunc(got, want, slices.Equal) {
				t.Error("a sequence sharing its gradients differs from the sequence alone")
			}
			if m == Joint && h.served == 0 {
				t.Error("the joint run of 2 × n points shared no gradient")
			}
		})
	}
}

func TestForcesRejects(t *testing.T) {
	var f Forces
	for _, msg := range [][]byte{nil, []byte("TSNEREQ1............"), []byte("TSNESET1"), []byte("something else")} {
		if _, err := f.Handle(msg); err == nil {
			t.Errorf("Handle(%q) accepted", msg)
		}
	}
}
