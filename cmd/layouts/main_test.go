package main

import (
	"os"
	"path/filepath"
	"testing"

	"annvis/core/assets"
	"annvis/core/params"
	"annvis/core/pipeline"
	"annvis/core/pipeline/pipelinetest"
)

func TestPrecompute(t *testing.T) {
	a, err := pipelinetest.Build(300, 1000, "mlp")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := a.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	p := params.Default()
	p.N, p.Perplexity = 150, 15
	if err := precompute(dir, p, "layouts-test.zst"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "layouts-test.zst"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := pipeline.DecodeLayouts(b)
	if err != nil {
		t.Fatal(err)
	}
	if l.N() != 150 || len(l.Stages) != 4 || l.Network != "mlp" || l.View != "layers" || l.Method != "chained" {
		t.Errorf("layouts %s %s %s n=%d, %d stages", l.Network, l.View, l.Method, l.N(), len(l.Stages))
	}
	for _, s := range l.Stages {
		if !(s.Quality.NH > 0.5 && s.Quality.TW > 0.8) {
			t.Errorf("%s: quality %+v", s.Name, s.Quality)
		}
	}
	m, err := assets.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if as, ok := m.Find("layouts-test.zst"); !ok || as.Kind != assets.KindLayouts || as.Network != "mlp" || m.Verify("layouts-test.zst", b) != nil {
		t.Errorf("manifest entry %+v, found %v", as, ok)
	}
	if err := precomputeDefault(dir, "nope", "layers"); err == nil {
		t.Error("network nope: no error")
	}
}
