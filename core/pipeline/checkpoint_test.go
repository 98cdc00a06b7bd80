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
// view downloads it, in the layers, epochs and map views.
func TestWithCheckpoint(t *testing.T) {
	net, err := model.New("mlp:24,16:tanh", 5)
	if err != nil {
		t.Fatal(err)
	}
	b, err := model.EncodeCheckpoint(&model.Checkpoint{Arch: net.Arch(), Epoch: 3, Accuracy: 0.25, Net: net})
	if err != nil {
		t.Fatal(err)
	}
	fetch, network, err := WithCheckpoint(FSFetcher(os.DirFS("../../models")), "trained.zst", b)
	if err != nil || network != "mlp" {
		t.Fatalf("WithCheckpoint: %q, %v", network, err)
	}
	for _, tc := range []struct {
		view   string
		stages []string
	}{
		{"layers", []string{"layer 1", "layer 2"}},
		{"epochs", []string{"epoch 3"}},
		{"map", []string{"epoch 3"}},
	} {
		p := smallView(tc.view)
		pl := New(p, fetch, false)
		run(t, pl)
		if err := pl.Status().Err; err != nil || pl.Status().Precomputed {
			t.Fatalf("%s view: %v (precomputed %v)", tc.view, err, pl.Status().Precomputed)
		}
		if !slices.Equal(pl.Stages(), tc.stages) {
			t.Errorf("%s view: stages %q, want %q", tc.view, pl.Stages(), tc.stages)
		}
	}
	b[len(b)/2] ^= 0xff
	if _, _, err := WithCheckpoint(fetch, "bad.zst", b); err == nil || !strings.HasPrefix(err.Error(), "pipeline: bad.zst: model: checkpoint") {
		t.Errorf("corrupted checkpoint: %v", err)
	}
}
