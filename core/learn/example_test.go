package learn_test

import (
	"fmt"

	"annvis/core/learn"
	"annvis/core/mnist"
)

// ExampleRun trains a one-layer MLP for two epochs on 2,000 digits, step by
// step as a frame loop would, and prints each stage.
func ExampleRun() {
	train, err := mnist.LoadModule("train")
	if err != nil {
		fmt.Println(err)
		return
	}
	test, err := mnist.LoadModule("t10k")
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := learn.Config{Arch: "mlp:32", LR: 0.005, Batch: 64, Epochs: 2, Layer: 1, N: 300}
	r, err := learn.New(cfg, train.Slice(0, 2000), test)
	if err != nil {
		fmt.Println(err)
		return
	}
	for !r.Step() { // one mini-batch, or 250 test digits evaluated
	}
	for _, s := range r.Stages() {
		fmt.Printf("epoch %d: %d×%d activations, accuracy above 80 %%: %v\n", s.Epoch, len(s.Pred), s.Dim, s.Accuracy > 0.8)
	}
	fmt.Println(r.Batches(), "mini-batches, error:", r.Err())
	// Output:
	// epoch 0: 300×32 activations, accuracy above 80 %: false
	// epoch 1: 300×32 activations, accuracy above 80 %: true
	// epoch 2: 300×32 activations, accuracy above 80 %: true
	// 64 mini-batches, error: <nil>
}
