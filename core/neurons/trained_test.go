package neurons_test

import (
	"math"
	"testing"

	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/core/neurons"
	"annvis/models"
)

// lastLayer returns the last hidden layer's activations of the shipped
// checkpoint file on the first n test digits, and their labels.
func lastLayer(t *testing.T, file string, n int) ([]float32, int, []uint8) {
	b, err := models.FS.ReadFile("mnist-t10k.zst")
	if err != nil {
		t.Fatal(err)
	}
	set, err := mnist.DecodeAsset(b)
	if err != nil {
		t.Fatal(err)
	}
	if b, err = models.FS.ReadFile(file); err != nil {
		t.Fatal(err)
	}
	c, err := model.DecodeCheckpoint(b)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Net.Forward(set.Images[:n*mnist.Pixels], n)
	if err != nil {
		t.Fatal(err)
	}
	h := c.Net.Hidden()
	return out.Hidden[len(h)-1], h[len(h)-1].Size, set.Labels[:n]
}

// TestTrainedNetworks reproduces the lab's observation on the shipped
// networks: after training, neurons that discriminate the same digit lie
// close together in the neuron projection, which is built without labels.
func TestTrainedNetworks(t *testing.T) {
	const n = 1000
	ratios := map[string]float64{}
	for _, file := range []string{"mlp-e00.zst", "mlp-e20.zst", "cnn-e20.zst"} {
		act, d, labels := lastLayer(t, file, n)
		v, err := neurons.NewView(act, n, d, labels, neurons.ViewConfig{Forest: neurons.ForestConfig{Trees: 30}})
		if err != nil {
			t.Fatal(err)
		}
		v.Run()
		pos, m := v.Projection().Pos, v.Map()
		var same, all float64
		var ns, na int
		classes := map[int]bool{}
		for i := range d {
			classes[m.Class[i]] = true
			for j := i + 1; j < d; j++ {
				e := math.Hypot(pos[2*i]-pos[2*j], pos[2*i+1]-pos[2*j+1])
				all += e
				na++
				if m.Class[i] == m.Class[j] {
					same += e
					ns++
				}
			}
		}
		ratio := (same / float64(ns)) / (all / float64(na))
		t.Logf("%s: %d neurons, %d classes in the map, same-class distance / mean distance %.3f", file, d, len(classes), ratio)
		ratios[file] = ratio
		if len(classes) < 8 {
			t.Errorf("%s: only %d classes have a neuron discriminating them best", file, len(classes))
		}
	}
	for _, file := range []string{"mlp-e20.zst", "cnn-e20.zst"} {
		if ratios[file] > ratios["mlp-e00.zst"]-0.1 {
			t.Errorf("%s: neurons of one class are %.2f of the mean distance apart, the untrained MLP's %.2f; want ≥ 0.1 less", file, ratios[file], ratios["mlp-e00.zst"])
		}
	}
}
