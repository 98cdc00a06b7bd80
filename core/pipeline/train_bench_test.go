//go:build !js

package pipeline

import (
	"os"
	"testing"
	"time"

	"annvis/core/params"
)

// BenchmarkTrainDefault runs the train view's default run (arch=128,128,
// train=10000, batch 64, 5 epochs, n 2000) natively as the desktop does
// (Start: training on one goroutine, projecting on another), polling it
// every millisecond as a frame loop would, and reports when the first trained stage has a
// layout to draw, the mean time from one stage's layout to the next
// (training, evaluation and projection, interleaved), the mean training
// time of an epoch (the run's own steps: training and evaluating) and the
// test accuracy after 5 epochs. bench/train.sh compares them with the
// page's.
func BenchmarkTrainDefault(b *testing.B) {
	p := params.Default()
	p.View = "train"
	for range b.N {
		start := time.Now()
		pl := Start(p, FSFetcher(os.DirFS("../../models")))
		var ready []time.Duration // when each stage got a layout
		for !pl.Status().Done && pl.Status().Err == nil {
			time.Sleep(time.Millisecond)
			for len(ready) < len(pl.Stages()) && pl.Ready(len(ready)) {
				ready = append(ready, time.Since(start))
			}
		}
		pl.Close()
		if err := pl.Status().Err; err != nil || len(ready) != p.Epochs+1 {
			b.Fatalf("%v, %d stages ready", err, len(ready))
		}
		tr, _ := pl.Training()
		per := (ready[p.Epochs] - ready[1]).Seconds() / float64(p.Epochs-1)
		b.ReportMetric(ready[1].Seconds(), "first-trained-stage-s")
		b.ReportMetric(per, "epoch-s")
		b.ReportMetric((tr.Seconds[p.Epochs]-tr.Seconds[1])/float64(p.Epochs-1), "train-epoch-s")
		b.ReportMetric(time.Since(start).Seconds(), "done-s")
		b.ReportMetric(100*tr.Accuracies[p.Epochs], "accuracy-%")
	}
}
