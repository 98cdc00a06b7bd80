package neurons

import (
	"testing"
	"time"
)

// BenchmarkNeuronView times what the neuron views compute for a layer of
// 256 neurons over 2000 MNIST digits: dissimilarities, the MDS projection
// and the ten one-vs-rest forests of the discriminative map (budget 2 s).
func BenchmarkNeuronView(b *testing.B) {
	const n, d = 2000, 256
	images, labels := mnistTest(b, n)
	act := reluLayer(images, n, d, 1)
	dis, err := Dissimilarity(act, n, d, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("dissimilarity", func(b *testing.B) {
		for b.Loop() {
			dis, _ = Dissimilarity(act, n, d, dis)
		}
	})
	b.Run("mds", func(b *testing.B) {
		for b.Loop() {
			if _, err := Project(dis, d, MDSConfig{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("forests", func(b *testing.B) {
		for b.Loop() {
			if _, err := DiscriminativeMap(act, n, d, labels, ForestConfig{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("view-steps", func(b *testing.B) {
		var longest time.Duration
		steps := 0
		for b.Loop() {
			v, err := NewView(act, n, d, labels, ViewConfig{})
			if err != nil {
				b.Fatal(err)
			}
			for done := false; !done; steps++ {
				t := time.Now()
				done = v.Step()
				longest = max(longest, time.Since(t))
			}
		}
		b.ReportMetric(float64(longest.Microseconds())/1000, "max-step-ms")
		b.ReportMetric(float64(steps)/float64(b.N), "steps/op")
	})
	b.Run("total", func(b *testing.B) {
		for b.Loop() {
			dis, _ = Dissimilarity(act, n, d, dis)
			if _, err := Project(dis, d, MDSConfig{}); err != nil {
				b.Fatal(err)
			}
			if _, err := DiscriminativeMap(act, n, d, labels, ForestConfig{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkExtraTrees fits one forest (class 0 against the rest) to 256
// neurons × 2000 digits.
func BenchmarkExtraTrees(b *testing.B) {
	const n, d = 2000, 256
	images, labels := mnistTest(b, n)
	act := reluLayer(images, n, d, 1)
	y, err := oneVsRest(labels, n, 0)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := FitExtraTrees(act, n, d, y, ForestConfig{Trees: 20}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProjectTSNE places 256 neurons by exact t-SNE on their
// dissimilarities, the alternative to MDS.
func BenchmarkProjectTSNE(b *testing.B) {
	const n, d = 2000, 256
	images, _ := mnistTest(b, n)
	dis, err := Dissimilarity(reluLayer(images, n, d, 1), n, d, nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ProjectTSNE(dis, d, TSNEConfig{}); err != nil {
			b.Fatal(err)
		}
	}
}
