//go:build !js

package model

import (
	"testing"

	"annvis/core/mnist"
)

// TestTrainSmoke trains each network for one epoch on a few thousand real
// training digits and checks it classifies 2,000 test digits with ≥ 90 %
// accuracy.
func TestTrainSmoke(t *testing.T) {
	train, err := mnist.LoadModule("train")
	if err != nil {
		t.Fatal(err)
	}
	test := testDigits(t, 2000)
	for _, tc := range []struct {
		arch   string
		digits int
	}{{"mlp", 8000}, {"cnn", 5000}} {
		arch := tc.arch
		net := mustNew(t, arch, 1)
		tr, err := NewTrainer(net, TrainConfig{BatchSize: 16, LearningRate: 0.002, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		p, err := tr.Epoch(train.Slice(0, tc.digits), nil)
		if err != nil {
			t.Fatal(err)
		}
		acc, err := Accuracy(net, test, 500)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: training loss %.3f, accuracy %.1f %%; test accuracy %.1f %%", arch, p.Loss, 100*p.Accuracy, 100*acc)
		if acc < 0.9 {
			t.Errorf("%s: test accuracy %.1f %% after one epoch on %d digits, want ≥ 90 %%", arch, 100*acc, tc.digits)
		}
	}
}
