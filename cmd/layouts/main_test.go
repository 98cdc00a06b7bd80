package main

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"annvis/core/assets"
	"annvis/core/params"
	"annvis/core/pipeline"
	"annvis/core/pipeline/pipelinetest"
)

// TestPrecompute precomputes cheap views of every kind and checks that the
// shipped files hold exactly what the live pipeline computes for the same
// parameters (positions rounded to float32 as the format stores them), and
// that the manifest lists them.
func TestPrecompute(t *testing.T) {
	a, err := pipelinetest.Build(300, 1000, "mlp")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := a.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		view  string
		layer int
		kind  string
	}{
		{"layers", 0, assets.KindLayouts},
		{"epochs", 1, assets.KindLayouts},
		{"neurons", 2, assets.KindNeurons},
	} {
		t.Run(tc.view, func(t *testing.T) {
			p := params.Default()
			p.N, p.Perplexity, p.View, p.Layer = 150, 15, tc.view, tc.layer
			file := "layouts-test-" + tc.view + ".zst"
			if err := precompute(dir, p, file); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			m, err := assets.ReadManifest(dir)
			if err != nil {
				t.Fatal(err)
			}
			if as, ok := m.Find(file); !ok || as.Kind != tc.kind || as.Network != "mlp" || m.Verify(file, b) != nil {
				t.Errorf("manifest entry %+v, found %v", as, ok)
			}
			live, err := run(dir, p)
			if err != nil {
				t.Fatal(err)
			}
			if tc.kind == assets.KindNeurons {
				compareNeurons(t, b, live)
				return
			}
			compareLayouts(t, b, live)
			if tc.view == "epochs" {
				checkBundles(t, dir, file, b)
			}
		})
	}
	if err := precomputeShipped(dir, "nope", "*"); err == nil {
		t.Error("network nope: no error")
	}
	if err := precomputeShipped(dir, "mlp", "["); err == nil {
		t.Error("pattern [: no error")
	}
}

// compareLayouts checks that the digit layouts b equal the live view's.
func compareLayouts(t *testing.T, b []byte, live *pipeline.Pipeline) {
	l, err := pipeline.DecodeLayouts(b)
	if err != nil {
		t.Fatal(err)
	}
	want, err := live.Layouts()
	if err != nil {
		t.Fatal(err)
	}
	if l.N() != 150 || len(l.Stages) != len(want.Stages) || l.View != want.View || l.Method != want.Method || !reflect.DeepEqual(l.Labels, want.Labels) {
		t.Fatalf("layouts %s %s n=%d, %d stages; live %s %s, %d stages", l.View, l.Method, l.N(), len(l.Stages), want.View, want.Method, len(want.Stages))
	}
	for k, s := range l.Stages {
		w := want.Stages[k]
		if s.Name != w.Name || !reflect.DeepEqual(s.Predicted, w.Predicted) || s.Quality != w.Quality {
			t.Errorf("stage %d: %s, quality %+v; live %s, %+v", k, s.Name, s.Quality, w.Name, w.Quality)
		}
		for i, v := range s.Positions {
			if v != float64(float32(w.Positions[i])) {
				t.Fatalf("stage %d coordinate %d: shipped %v, live %v", k, i, v, w.Positions[i])
			}
		}
	}
	if q := l.Stages[len(l.Stages)-1].Quality; !(q.NH > 0.5 && q.TW > 0.8) {
		t.Errorf("last stage: quality %+v", q)
	}
}

// checkBundles bundles the layouts file (contents b) and checks that the
// bundles file holds pipeline.Bundle's trails of those very layouts.
func checkBundles(t *testing.T, dir, file string, b []byte) {
	if err := precomputeBundles(dir, "mlp", file); err != nil {
		t.Fatal(err)
	}
	out := pipeline.BundlesFile(file)
	enc, err := os.ReadFile(filepath.Join(dir, out))
	if err != nil {
		t.Fatal(err)
	}
	m, err := assets.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if as, ok := m.Find(out); !ok || as.Kind != assets.KindBundles || m.Verify(out, enc) != nil {
		t.Errorf("manifest entry %+v, found %v", as, ok)
	}
	got, err := pipeline.DecodeBundles(enc)
	if err != nil {
		t.Fatal(err)
	}
	l, err := pipeline.DecodeLayouts(b)
	if err != nil {
		t.Fatal(err)
	}
	want, err := pipeline.Bundle(l)
	if err != nil {
		t.Fatal(err)
	}
	if got.Layouts != assets.Hash(b) || len(got.Result.Lines) != len(want.Lines) {
		t.Fatalf("bundles of layouts %s, %d trails; want %s, %d", got.Layouts, len(got.Result.Lines), assets.Hash(b), len(want.Lines))
	}
	for i, line := range want.Lines {
		for k, v := range line {
			if math.Abs(got.Result.Lines[i][k]-v) > 1e-3 {
				t.Fatalf("trail %d coordinate %d: shipped %v, bundled %v", i, k, got.Result.Lines[i][k], v)
			}
		}
	}
}

// compareNeurons checks that the neuron layouts b equal the live view's.
func compareNeurons(t *testing.T, b []byte, live *pipeline.Pipeline) {
	l, err := pipeline.DecodeNeuronLayouts(b)
	if err != nil {
		t.Fatal(err)
	}
	want, err := live.NeuronLayouts()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(l, want) {
		t.Errorf("shipped neuron layouts differ from the live ones")
	}
	if l.Layer != 2 || l.N != 150 || len(l.Stages) != 2 || l.Stages[0].Name != "epoch 0" || len(l.Stages[0].Class) != 256 {
		t.Errorf("neuron layouts of layer %d, n=%d, %d stages", l.Layer, l.N, len(l.Stages))
	}
	for _, s := range l.Stages {
		if math.IsNaN(s.Stress) || s.Stress <= 0 || s.Stress >= 1 {
			t.Errorf("%s: stress-1 %v", s.Name, s.Stress)
		}
	}
}
