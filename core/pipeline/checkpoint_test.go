//go:build !js

package pipeline

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"annvis/core/model"
	"annvis/core/viewstate"
)

// TestWithCheckpoint opens an MLP of another architecture, as the train
// view downloads it, in the layers, epochs and map views: the views across
// epochs and the neuron views compare it with its untrained network (the
// seed's), and the views of one layer show its last hidden layer.
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
		{"epochs", []string{"epoch 0", "epoch 3"}, 2},
		{"map", []string{"epoch 0", "epoch 3"}, 2},
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
	// Epoch 0 is the network the view's seed draws, as the train view's
	// run of that seed starts from.
	p := smallView("epochs")
	fetch, p, err := WithCheckpoint(FSFetcher(os.DirFS("../../models")), "trained.zst", b, p)
	if err != nil {
		t.Fatal(err)
	}
	ub, err := fetch("untrained-trained.zst", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	u, err := model.DecodeCheckpoint(ub)
	seeded, _ := model.New("mlp:24,16:tanh", p.Seed)
	if err != nil || u.Epoch != 0 || u.Arch != "mlp:24,16:tanh" || !(u.Accuracy > 0 && u.Accuracy < 0.3) {
		t.Fatalf("untrained checkpoint %+v, %v", u, err)
	}
	digits := make([]uint8, 3*784)
	for i := range digits {
		digits[i] = uint8(i * 7)
	}
	got, _ := u.Net.Forward(digits, 3)
	want, _ := model.Quantize(seeded).Forward(digits, 3)
	if !slices.Equal(got.Logits, want.Logits) {
		t.Errorf("epoch 0 is not the network seed %d draws", p.Seed)
	}
	p = smallView("neurons")
	p.Layer = 3
	if _, _, err := WithCheckpoint(FSFetcher(os.DirFS("../../models")), "trained.zst", b, p); err == nil ||
		err.Error() != "pipeline: trained.zst: layer 3: its network (mlp:24,16:tanh) has hidden layers 1..2" {
		t.Errorf("layer 3 of a network of 2: %v", err)
	}
	p.Layer = 2
	if _, q, err := WithCheckpoint(FSFetcher(os.DirFS("../../models")), "trained.zst", b, p); err != nil || q.Layer != 2 || q.Model != "mlp" {
		t.Errorf("layer 2 of a network of 2: model %q, layer %d, %v", q.Model, q.Layer, err)
	}
	b[len(b)/2] ^= 0xff
	if _, _, err := WithCheckpoint(FSFetcher(os.DirFS("../../models")), "bad.zst", b, p); err == nil || !strings.HasPrefix(err.Error(), "pipeline: bad.zst: model: checkpoint") {
		t.Errorf("corrupted checkpoint: %v", err)
	}
	// Started in the background, the corrupted file is the view's error.
	bg := StartWithCheckpoint(p, FSFetcher(os.DirFS("../../models")), "bad.zst", b, time.Second)
	defer bg.Close()
	waitFor(t, bg, func(st viewstate.Status) bool { return st.Err != nil || st.Done })
	if err := bg.Status().Err; err == nil || !strings.HasPrefix(err.Error(), "pipeline: bad.zst: model: checkpoint") {
		t.Errorf("corrupted checkpoint started in the background: %v", err)
	}
}
