//go:build !js

package pipeline

import (
	"os"
	"slices"
	"strings"
	"testing"

	"annvis/core/model"
)

// TestWithCheckpoint opens an MLP of another architecture, as the train
// view downloads it, in the layers, epochs and map views: the views of one
// layer show its last hidden layer, and say so.
func TestWithCheckpoint(t *testing.T) {
	net, err := model.New("mlp:24,16:tanh", 5)
	if err != nil {
		t.Fatal(err)
	}
	b, err := model.EncodeCheckpoint(&model.Checkpoint{Arch: net.Arch(), Epoch: 3, Accuracy: 0.25, Net: net})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		view   string
		stages []string
		layer  int
	}{
		{"layers", []string{"layer 1", "layer 2"}, 0},
		{"epochs", []string{"epoch 3"}, 2},
		{"map", []string{"epoch 3"}, 2},
	} {
		p := smallView(tc.view)
		p.Model = "cnn"
		fetch, p, err := WithCheckpoint(FSFetcher(os.DirFS("../../models")), "trained.zst", b, p)
		if err != nil || p.Model != "mlp" || p.Layer != tc.layer {
			t.Fatalf("WithCheckpoint: model %q, layer %d, %v; want mlp, %d", p.Model, p.Layer, err, tc.layer)
		}
		pl := New(p, fetch, false)
		run(t, pl)
		if err := pl.Status().Err; err != nil || pl.Status().Precomputed {
			t.Fatalf("%s view: %v (precomputed %v)", tc.view, err, pl.Status().Precomputed)
		}
		if !slices.Equal(pl.Stages(), tc.stages) {
			t.Errorf("%s view: stages %q, want %q", tc.view, pl.Stages(), tc.stages)
		}
	}
	p := smallView("neurons")
	p.Layer = 3
	if _, _, err := WithCheckpoint(FSFetcher(os.DirFS("../../models")), "trained.zst", b, p); err == nil ||
		err.Error() != "pipeline: trained.zst: layer 3: its network (mlp:24,16:tanh) has hidden layers 1..2" {
		t.Errorf("layer 3 of a network of 2: %v", err)
	}
	b[len(b)/2] ^= 0xff
	if _, _, err := WithCheckpoint(FSFetcher(os.DirFS("../../models")), "bad.zst", b, p); err == nil || !strings.HasPrefix(err.Error(), "pipeline: bad.zst: model: checkpoint") {
		t.Errorf("corrupted checkpoint: %v", err)
	}
}
