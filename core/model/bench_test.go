package model

import "testing"

// BenchmarkStep times one training step of the train view's default
// network (784-128-128-10 ReLU) on a mini-batch of 64 test digits: forward,
// backward and Adam (a loop of such steps trains a whole epoch; run it
// under Node too, GOOS=js GOARCH=wasm, where its speed counts).
func BenchmarkStep(b *testing.B) {
	set := testDigits(b, 64*16)
	net := mustNew(b, MLPArch([]int{128, 128}, ReLU), 0)
	tr, err := NewTrainer(net, TrainConfig{BatchSize: 64, LearningRate: 0.001, Seed: 0})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		from := i % 16 * 64
		if _, _, err := tr.Step(set.Images[from*Pixels:(from+64)*Pixels], set.Labels[from:from+64]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluate times the forward pass of the default network on 250
// test digits, a slice of a stage's evaluation (learn.EvalBatch).
func BenchmarkEvaluate(b *testing.B) {
	set := testDigits(b, 250)
	net := Quantize(mustNew(b, MLPArch([]int{128, 128}, ReLU), 0))
	b.ResetTimer()
	for range b.N {
		if _, err := net.Forward(set.Images, 250); err != nil {
			b.Fatal(err)
		}
	}
}
