package neurons

import (
	"slices"
	"testing"
)

func TestViewMatchesFunctions(t *testing.T) {
	const n, d = 300, 24
	act := groups(n, d, 3, 21)
	labels := make([]uint8, n)
	for i := range labels {
		labels[i] = uint8(i * 7 % Digits)
		// Let a few neurons respond to the class.
		act[i*d+int(labels[i])] += 1.5
	}
	cfg := ViewConfig{MDS: MDSConfig{Seed: 3}, Forest: ForestConfig{Trees: 20, Seed: 5}}
	v, err := NewView(act, n, d, labels, cfg)
	if err != nil {
		t.Fatal(err)
	}
	steps, last := 0, 0.0
	for !v.Step() {
		steps++
		p := v.Progress()
		if p < last || p > 1 {
			t.Fatalf("progress went from %g to %g", last, p)
		}
		last = p
		if v.Map() != nil {
			t.Fatal("map before the view is done")
		}
	}
	if v.Progress() != 1 || steps < 10 {
		t.Errorf("done after %d steps with progress %g; want ≥ 10 steps and 1", steps, v.Progress())
	}
	dis, _ := Dissimilarity(act, n, d, nil)
	proj, _ := Project(dis, d, cfg.MDS)
	m, _ := DiscriminativeMap(act, n, d, labels, cfg.Forest)
	switch {
	case !slices.Equal(v.Dissimilarities(), dis):
		t.Error("dissimilarities differ from Dissimilarity's")
	case !slices.Equal(v.Projection().Pos, proj.Pos) || !slices.Equal(v.Projection().Stress, proj.Stress):
		t.Error("projection differs from Project's")
	case !slices.Equal(v.Map().Importance, m.Importance) || !slices.Equal(v.Map().Class, m.Class) || !slices.Equal(v.Map().Opacity, m.Opacity):
		t.Error("map differs from DiscriminativeMap's")
	}
	tcfg := cfg
	tcfg.TSNE = &TSNEConfig{Perplexity: 5, Iterations: 300, Seed: 2}
	tv, err := NewView(act, n, d, labels, tcfg)
	if err != nil {
		t.Fatal(err)
	}
	tp, _ := ProjectTSNE(dis, d, *tcfg.TSNE)
	if got := tv.Run().Projection(); !slices.Equal(got.Pos, tp.Pos) || got.KL != tp.KL {
		t.Error("t-SNE projection differs from ProjectTSNE's")
	}
	if _, err := NewView(act, n, d, labels[:5], cfg); err == nil {
		t.Error("no error for 5 labels of 300 digits")
	}
}
