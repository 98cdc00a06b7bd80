package learn

import (
	"testing"
	"time"

	"annvis/core/mnist"
	"annvis/core/model"
)

// BenchmarkEpoch times one epoch of the train view's default run
// (arch=128,128, 10,000 training digits, batch 64, n 2000) as learn.Run
// steps it: the epoch's mini-batches (train-s) and one evaluation of a
// stage on the 10,000 test digits (eval-s, the mean of epoch 0's and epoch
// 1's). Run natively and under Node (GOOS=js GOARCH=wasm) on a quiet
// machine, it gives the speed of the page's trainer against native on one
// thread, without the page's other threads.
func BenchmarkEpoch(b *testing.B) {
	train, err := mnist.LoadModule("train")
	if err != nil {
		b.Fatal(err)
	}
	test, err := mnist.LoadModule("t10k")
	if err != nil {
		b.Fatal(err)
	}
	cfg := Config{Arch: model.MLPArch([]int{128, 128}, model.ReLU), LR: 0.005, Batch: 64, Epochs: 1,
		StagesPerEpoch: 1, Layer: 2, N: 2000}
	var training, evaluating time.Duration
	for range b.N {
		r, err := New(cfg, train.Slice(0, 10000), test)
		if err != nil {
			b.Fatal(err)
		}
		for done := false; !done; {
			eval, start := r.eval != nil || r.due, time.Now()
			done = r.Step()
			if eval {
				evaluating += time.Since(start)
			} else {
				training += time.Since(start)
			}
		}
		if r.Err() != nil || len(r.Stages()) != 2 {
			b.Fatalf("%v, %d stages", r.Err(), len(r.Stages()))
		}
	}
	b.ReportMetric(training.Seconds()/float64(b.N), "train-s")
	b.ReportMetric(evaluating.Seconds()/float64(b.N)/2, "eval-s")
}
