package bundle

import (
	"testing"

	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/core/tsne"
	"annvis/models"
)

// layerTrails returns the trails of the first n test digits through the
// shipped trained MLP's four hidden layers, laid out by chained t-SNE as
// the app's inter-layer view does, and the digits' labels.
func layerTrails(t *testing.T, n int) ([][]float64, []uint8) {
	b, err := models.FS.ReadFile("mnist-t10k.zst")
	if err != nil {
		t.Fatal(err)
	}
	set, err := mnist.DecodeAsset(b)
	if err != nil {
		t.Fatal(err)
	}
	if b, err = models.FS.ReadFile("mlp-e20.zst"); err != nil {
		t.Fatal(err)
	}
	c, err := model.DecodeCheckpoint(b)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Net.Forward(set.Images[:n*mnist.Pixels], n)
	if err != nil {
		t.Fatal(err)
	}
	var dims []int
	for _, l := range c.Net.Hidden() {
		dims = append(dims, l.Size)
	}
	seq, err := tsne.NewSequence(out.Hidden, n, dims, tsne.Chained, 0, tsne.Config{Seed: 1, Standardize: true})
	if err != nil {
		t.Fatal(err)
	}
	for !seq.Step() {
	}
	trails := make([][]float64, n)
	for s := range seq.Len() {
		y := seq.Positions(s, nil)
		for i := range trails {
			trails[i] = append(trails[i], y[2*i], y[2*i+1])
		}
	}
	return trails, set.Labels[:n]
}

// TestBundleTrainedLayers bundles the trails of the app's inter-layer view.
// Chained t-SNE keeps the layouts coherent, so trails are short and their
// fixed end points leave less to bundle than TestBundleMNISTTrails's
// independent layouts: ≥ 20 % fewer pixels (measured: 31 % all together,
// 27 % by class).
func TestBundleTrainedLayers(t *testing.T) {
	trails, labels := layerTrails(t, 1000)
	for _, class := range []bool{false, true} {
		var out [][]float64
		var err error
		if class {
			out, err = BundleByClass(trails, labels, Config{})
		} else {
			out, err = Bundle(trails, Config{})
		}
		if err != nil {
			t.Fatal(err)
		}
		raw, bundled := coverage(trails, trails, 512), coverage(out, trails, 512)
		t.Logf("by class %t: raw trails cover %d pixels, bundled %d (%.0f %% fewer)", class, raw, bundled, 100-100*float64(bundled)/float64(raw))
		if float64(bundled) > 0.8*float64(raw) {
			t.Errorf("by class %t: bundled trails cover %d pixels, raw %d: want ≥ 20 %% fewer", class, bundled, raw)
		}
	}
}
