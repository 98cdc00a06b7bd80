package model

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nlpodyssey/spago/ag"

	"annvis/core/mnist"
)

// TestTrainDeterministic checks that training is a function of the seeds.
func TestTrainDeterministic(t *testing.T) {
	train := testDigits(t, 300)
	weights := func(seed int64) []float32 {
		net := mustNew(t, "cnn", 1)
		tr, err := NewTrainer(net, TrainConfig{BatchSize: 50, Shift: 2, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.Epoch(train, nil); err != nil {
			t.Fatal(err)
		}
		return f32(net.params[4])
	}
	a, b, c := weights(1), weights(1), weights(2)
	if d := maxDiff(a, toF64(b)); d != 0 {
		t.Errorf("same seed: weights differ by up to %g", d)
	}
	if maxDiff(a, toF64(c)) == 0 {
		t.Error("another seed gave the same weights")
	}
}

func TestTrainerErrors(t *testing.T) {
	net := mustNew(t, "mlp", 1)
	for _, tc := range []struct {
		cfg TrainConfig
		err string
	}{
		{TrainConfig{BatchSize: -1}, "model: batch size -1 must be ≥ 1"},
		{TrainConfig{LearningRate: -1}, "model: learning rate -1 must be > 0"},
		{TrainConfig{Decay: 2}, "model: decay 2 must be in (0, 1]"},
		{TrainConfig{Shift: 5}, "model: shift 5 must be in 0…4"},
	} {
		if _, err := NewTrainer(net, tc.cfg); err == nil || err.Error() != tc.err {
			t.Errorf("NewTrainer(%+v): error %v, want %q", tc.cfg, err, tc.err)
		}
	}
	tr, err := NewTrainer(net, TrainConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tr.Step(make([]uint8, 100), []uint8{1}); err == nil || !strings.HasPrefix(err.Error(), "model: step:") {
		t.Errorf("Step with 100 pixels for 1 label: error %v", err)
	}
}

func TestAugment(t *testing.T) {
	src := make([]uint8, mnist.Pixels)
	src[10*mnist.Side+10] = 255
	tr, err := NewTrainer(mustNew(t, "mlp", 1), TrainConfig{Shift: 2, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]bool)
	dst := make([]uint8, mnist.Pixels)
	for range 200 {
		tr.augment(dst, src)
		var at []int
		for i, p := range dst {
			if p != 0 {
				at = append(at, i)
			}
		}
		if len(at) != 1 {
			t.Fatalf("shifted digit has %d inked pixels, want 1", len(at))
		}
		dy, dx := at[0]/mnist.Side-10, at[0]%mnist.Side-10
		if dy < -2 || dy > 2 || dx < -2 || dx > 2 {
			t.Fatalf("shift (%d, %d) beyond 2 pixels", dx, dy)
		}
		seen[fmt.Sprint(dx, dy)] = true
	}
	if len(seen) != 25 {
		t.Errorf("%d distinct shifts, want all 25", len(seen))
	}
}

func ExampleNet_Hidden() {
	for _, arch := range []string{"mlp", "cnn"} {
		net, err := New(arch, 1)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(arch, net.Hidden())
	}
	// Output:
	// mlp [{dense1 256} {dense2 256} {dense3 256} {dense4 256}]
	// cnn [{dense1 256} {dense2 128}]
}

func ExampleNet_Forward() {
	net, err := New("cnn", 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	images := make([]uint8, 3*Pixels) // three blank digits
	out, err := net.Forward(images, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(out.Logits), len(out.Hidden[0]), len(out.Hidden[1]), len(out.Conv[0]), len(out.Conv[1]))
	// Output: 30 768 384 8112 2400
}

// TestUpdateIsSpagosAdam checks that the fused Adam update gives, bit for
// bit, the parameters spago's adam.OptimizeParams gives, over five steps of
// training on real digits.
func TestUpdateIsSpagosAdam(t *testing.T) {
	set := testDigits(t, 160)
	fused, _ := New(MLPArch([]int{32, 16}, ReLU), 3)
	ref, _ := New(MLPArch([]int{32, 16}, ReLU), 3)
	tf, _ := NewTrainer(fused, TrainConfig{BatchSize: 32, LearningRate: 0.01, Decay: 1})
	tr, _ := NewTrainer(ref, TrainConfig{BatchSize: 32, LearningRate: 0.01, Decay: 1})
	for step := range 5 {
		imgs, labels := set.Images[step*32*Pixels:(step+1)*32*Pixels], set.Labels[step*32:(step+1)*32]
		if _, _, err := tf.Step(imgs, labels); err != nil {
			t.Fatal(err)
		}
		// The reference: the same step, updated by spago's optimiser.
		ce := &crossEntropy{z: ref.graph(input(imgs, 32)), labels: labels}
		if err := ag.Backward(run(ce)); err != nil {
			t.Fatal(err)
		}
		for _, p := range ref.params {
			if err := tr.adam.OptimizeParams(p); err != nil {
				t.Fatal(err)
			}
		}
		tr.adam.IncExample()
		for i := range fused.params {
			if !slices.Equal(f32(fused.params[i]), f32(ref.params[i])) {
				t.Fatalf("step %d: parameter %d differs from spago's Adam", step, i)
			}
		}
	}
}
