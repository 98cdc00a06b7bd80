// Package models_test benchmarks the inference of the shipped networks on
// the shipped test set. It builds natively and for js/wasm (run under Node
// by bench/models.sh), so it reads everything from the embedded assets.
package models_test

import (
	"fmt"
	"testing"

	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/models"
)

// load returns the shipped test set and final checkpoint of arch.
func load(b *testing.B, arch string) (*mnist.Set, *model.Net) {
	tb, err := models.FS.ReadFile("mnist-t10k.zst")
	if err != nil {
		b.Fatal(err)
	}
	test, err := mnist.DecodeAsset(tb)
	if err != nil {
		b.Fatal(err)
	}
	cb, err := models.FS.ReadFile(arch + "-e20.zst")
	if err != nil {
		b.Fatal(err)
	}
	c, err := model.DecodeCheckpoint(cb)
	if err != nil {
		b.Fatal(err)
	}
	return test, c.Net
}

// BenchmarkForward runs each final network over the 10,000 test digits,
// computing every hidden layer, in batches of 100 (as the page does, one
// batch per frame) and of 1,000. It reports digits/s and the seconds for
// the whole test set (the lab's TensorFlow: ≈ 1 s MLP, ≈ 7 s CNN).
func BenchmarkForward(b *testing.B) {
	for _, arch := range []string{"mlp", "cnn"} {
		test, net := load(b, arch)
		for _, batch := range []int{100, 1000} {
			b.Run(fmt.Sprintf("%s/batch=%d", arch, batch), func(b *testing.B) {
				for range b.N {
					for from := 0; from < test.Len(); from += batch {
						to := min(from+batch, test.Len())
						if _, err := net.Forward(test.Images[from*mnist.Pixels:to*mnist.Pixels], to-from); err != nil {
							b.Fatal(err)
						}
					}
				}
				s := b.Elapsed().Seconds() / float64(b.N)
				b.ReportMetric(float64(test.Len())/s, "digits/s")
				b.ReportMetric(s, "s/10k")
			})
		}
	}
}
