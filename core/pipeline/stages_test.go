//go:build !js

package pipeline

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"annvis/core/assets"
	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/core/params"
)

// stageSource is where a stage's activations come from: a hidden layer
// (0-based) of a checkpoint.
type stageSource struct {
	name   string
	file   string
	hidden int
}

// TestStagesHoldTheirActivations checks, for every view kind, that stage k
// holds the activations and predictions of its own layer and checkpoint: a
// direct forward pass of that checkpoint over the same digits, all at once
// (the pipeline goes 100 digits at a time), gives the same numbers, stage by
// stage, in order.
func TestStagesHoldTheirActivations(t *testing.T) {
	f := newFixture(t)
	m, err := assets.ParseManifest(f.Files[assets.ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	ck := m.Checkpoints("mlp")
	if len(ck) != 2 {
		t.Fatalf("fixture has %d MLP checkpoints, want 2", len(ck))
	}
	e0, e1 := ck[0].File, ck[1].File
	layers := func(file string) []stageSource {
		var s []stageSource
		for l := range params.HiddenLayers["mlp"] {
			s = append(s, stageSource{fmt.Sprintf("layer %d", l+1), file, l})
		}
		return s
	}
	epochs := func(hidden int, files ...string) []stageSource {
		var s []stageSource
		for _, file := range files {
			a, _ := m.Find(file)
			s = append(s, stageSource{fmt.Sprintf("epoch %d", a.Epoch), file, hidden})
		}
		return s
	}
	for _, tc := range []struct {
		view  string
		layer int
		want  []stageSource
	}{
		{"layers", 0, layers(e1)},
		{"layers", 2, layers(e1)}, // the layers view shows every layer
		{"epochs", 0, epochs(3, e0, e1)},
		{"epochs", 2, epochs(1, e0, e1)},
		{"trace", 0, layers(e1)},
		{"trace", 1, epochs(0, e0, e1)},
		{"bundled", 0, epochs(3, e0, e1)}, // the last layer across epochs
		{"bundled", 3, epochs(2, e0, e1)},
		{"neurons", 1, epochs(0, e0, e1)}, // before and after training
		{"neurons", 0, epochs(3, e0, e1)},
		{"map", 2, epochs(1, e0, e1)}, // before and after training, as the neurons view
	} {
		t.Run(fmt.Sprintf("%s/layer=%d", tc.view, tc.layer), func(t *testing.T) {
			p := smallView(tc.view)
			p.Layer = tc.layer
			pl := New(p, newFixture(t).Fetch, false)
			stepUntil(t, pl, func() bool { return pl.acts != nil && pl.done == p.N })
			if err := pl.Status().Err; err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range tc.want {
				names = append(names, s.name)
			}
			if !slices.Equal(pl.Stages(), names) || len(pl.acts) != len(tc.want) {
				t.Fatalf("stages %q with %d activation sets, want %q", pl.Stages(), len(pl.acts), names)
			}
			for k, src := range tc.want {
				out := directForward(t, f.Files, src.file, p.N)
				want := out.Hidden[src.hidden]
				if pl.dims[k]*p.N != len(want) || len(pl.acts[k]) != len(want) {
					t.Fatalf("stage %d (%s): %d×%d activations, want %d values of %s hidden layer %d",
						k, src.name, p.N, pl.dims[k], len(want), src.file, src.hidden+1)
				}
				for i, v := range pl.acts[k] {
					if math.Abs(float64(v-want[i])) > 1e-5*max(1, math.Abs(float64(want[i]))) {
						t.Fatalf("stage %d (%s): activation %d = %v, a direct forward pass of %s hidden layer %d gives %v",
							k, src.name, i, v, src.file, src.hidden+1, want[i])
					}
				}
				for i, c := range pl.preds[k] {
					if want := model.Predict(out.Logits, i); int(c) != want {
						t.Fatalf("stage %d (%s): digit %d predicted %d, %s predicts %d", k, src.name, i, c, src.file, want)
					}
				}
			}
		})
	}
}

// directForward decodes the fixture's test set and checkpoint file and runs
// the first n digits through it in one pass.
func directForward(t *testing.T, files map[string][]byte, file string, n int) *model.Output {
	t.Helper()
	test, err := mnist.DecodeAsset(files[TestSetFile])
	if err != nil {
		t.Fatal(err)
	}
	ck, err := model.DecodeCheckpoint(files[file])
	if err != nil {
		t.Fatal(err)
	}
	out, err := ck.Net.Forward(test.Images[:n*mnist.Pixels], n)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
