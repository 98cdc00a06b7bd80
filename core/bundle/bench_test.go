package bundle

import (
	"testing"
	"time"
)

// BenchmarkBundle bundles the trails of 2000 MNIST test digits through 4
// t-SNE layouts on the default 512² grid, all together and per class
// (budget 1 s natively).
func BenchmarkBundle(b *testing.B) {
	trails, labels := mnistTrails(b, 2000, 4)
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			if _, err := Bundle(trails, Config{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("by-class", func(b *testing.B) {
		for b.Loop() {
			if _, err := BundleByClass(trails, labels, Config{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("job-steps", func(b *testing.B) {
		var longest time.Duration
		for b.Loop() {
			j, err := NewJob(trails, labels, Config{})
			if err != nil {
				b.Fatal(err)
			}
			for done := false; !done; {
				t := time.Now()
				done = j.Step()
				longest = max(longest, time.Since(t))
			}
		}
		b.ReportMetric(float64(longest.Microseconds())/1000, "max-step-ms")
	})
}
