package tsne

import (
	"slices"
	"strings"
	"testing"
)

// TestAdoptedStagesGiveTheSameLayouts prepares stages of chained and
// dynamic sequences alone (StageAffinities), sends their affinities
// through their encoding, has the sequence adopt them, and checks that it
// computes bit for bit the layouts it computes preparing every stage
// itself.
func TestAdoptedStagesGiveTheSameLayouts(t *testing.T) {
	const n = 150
	xs, dims, _ := stages(n)
	cfg := Config{Perplexity: 10, Iterations: 150, Seed: 3, Standardize: true}
	for _, method := range []SeqMethod{Chained, Dynamic} {
		lambda := map[SeqMethod]float64{Dynamic: 0.05}[method]
		plain, err := NewSequence(xs, n, dims, method, lambda, cfg)
		if err != nil {
			t.Fatal(err)
		}
		want := runSeq(t, plain)
		adopting, err := NewSequence(xs, n, dims, method, lambda, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for st := 1; st < len(xs); st++ {
			a, err := StageAffinities(xs[st], n, dims[st], method, cfg, st)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := a.MarshalBinary()
			var got Affinities
			if err := got.UnmarshalBinary(b); err != nil {
				t.Fatalf("%v stage %d: %v", method, st, err)
			}
			if err := adopting.Adopt(st, &got); err != nil {
				t.Fatalf("%v stage %d: %v", method, st, err)
			}
		}
		for st, pos := range runSeq(t, adopting) {
			if !slices.Equal(pos, want[st]) {
				t.Errorf("%v: stage %d differs when its affinities were adopted", method, st)
			}
		}
		if err := adopting.Adopt(1, &Affinities{}); err == nil {
			t.Errorf("%v: a finished stage adopted affinities", method)
		}
	}
}

// TestAdoptErrors checks that affinities that do not fit the run are
// refused with a message that says why.
func TestAdoptErrors(t *testing.T) {
	xs, dims, _ := stages(60)
	cfg := Config{Perplexity: 5}
	a, err := StageAffinities(xs[1], 60, dims[1], Chained, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	first, err := StageAffinities(xs[0], 60, dims[0], Chained, cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	bad := *a
	bad.Col = slices.Clone(a.Col)
	bad.Col[3] = 60
	for _, tc := range []struct {
		name  string
		stage int
		a     *Affinities
		want  string
	}{
		{"other size", 1, &Affinities{N: 59}, "tsne: affinities of 59 points"},
		{"without start layout", 0, a, "tsne: affinities adopted by a run that starts from another layout"},
		{"with start layout", 2, first, "tsne: affinities adopted by a run that starts from another layout"},
		{"column out of range", 1, &bad, "tsne: affinities: entry 3"},
	} {
		s, err := NewSequence(xs, 60, dims, Chained, 0, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Adopt(tc.stage, tc.a); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q…", tc.name, err, tc.want)
		}
	}
	if _, err := StageAffinities(xs[0], 60, dims[0], Joint, cfg, 0); err == nil {
		t.Error("a joint sequence's stage prepared alone")
	}
}

// FuzzAffinities decodes arbitrary bytes: an error, or affinities that
// encode back to the same bytes; never a panic.
func FuzzAffinities(f *testing.F) {
	xs, dims, _ := stages(30)
	for st := range 2 {
		a, err := StageAffinities(xs[st], 30, dims[st], Chained, Config{Perplexity: 5}, st)
		if err != nil {
			f.Fatal(err)
		}
		b, _ := a.MarshalBinary()
		f.Add(b)
	}
	f.Add([]byte(affinitiesMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		var a Affinities
		if a.UnmarshalBinary(b) != nil {
			return
		}
		if c, _ := a.MarshalBinary(); string(c) != string(b) {
			t.Fatal("affinities do not encode back to their bytes")
		}
	})
}
