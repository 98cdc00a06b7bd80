package pipeline

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// TestNeuronLayoutsLimits sets each field of neuron layouts at and just
// beyond its documented limit: at the limit they encode and decode back,
// beyond it the encoder (which validates) names the rule.
func TestNeuronLayoutsLimits(t *testing.T) {
	long := strings.Repeat("s", maxString)
	for _, tc := range []struct {
		name string
		d    int // neurons
		set  func(l *NeuronLayouts)
		want string // "" → accepted
	}{
		{"1 digit", 2, func(l *NeuronLayouts) { l.N = 1 }, ""},
		{"no digits", 2, func(l *NeuronLayouts) { l.N = 0 }, "neuron layouts of 0 digits, must be 1..10000"},
		{"max digits", 2, func(l *NeuronLayouts) { l.N = MaxDigits }, ""},
		{"layer 1", 2, func(l *NeuronLayouts) { l.Layer = 1 }, ""},
		{"layer 0", 2, func(l *NeuronLayouts) { l.Layer = 0 }, "neuron layouts of layer 0, must be 1..64"},
		{"max layer", 2, func(l *NeuronLayouts) { l.Layer = MaxStages }, ""},
		{"max layer + 1", 2, func(l *NeuronLayouts) { l.Layer = MaxStages + 1 }, "neuron layouts of layer 65, must be 1..64"},
		{"1 stage", 2, func(l *NeuronLayouts) { l.Stages = l.Stages[:1] }, ""},
		{"max stages", 2, func(l *NeuronLayouts) { l.Stages = slices.Repeat(l.Stages[:1], MaxStages) }, ""},
		{"max stages + 1", 2, func(l *NeuronLayouts) { l.Stages = slices.Repeat(l.Stages[:1], MaxStages+1) }, "neuron layouts have 65 stages, must be 1..64"},
		{"strings of 64 bytes", 2, func(l *NeuronLayouts) { l.Network, l.Method, l.Stages[1].Name = long, long, long }, ""},
		{"stage name of 65 bytes", 2, func(l *NeuronLayouts) { l.Stages[1].Name = long + "s" }, "stage 1: name"},
		{"stage name not UTF-8", 2, func(l *NeuronLayouts) { l.Stages[0].Name = "\xff" }, "stage 0: name"},
		{"max neurons", MaxNeurons, func(l *NeuronLayouts) {}, ""},
		{"max neurons + 1", MaxNeurons + 1, func(l *NeuronLayouts) {}, "stage 0: 2050 coordinates, want 2 per neuron for 2..1024 neurons"},
		{"1 neuron", 1, func(l *NeuronLayouts) {}, "stage 0: 2 coordinates, want 2 per neuron"},
		{"stress 0 and the largest", 2, func(l *NeuronLayouts) { l.Stages[0].Stress, l.Stages[1].Stress = 0, math.MaxFloat64 }, ""},
		{"stress NaN", 2, func(l *NeuronLayouts) { l.Stages[0].Stress = math.NaN() }, ""},
		{"stress +Inf", 2, func(l *NeuronLayouts) { l.Stages[1].Stress = math.Inf(1) }, "stage 1: stress +Inf is neither NaN nor finite"},
		{"importances 0 and 1", 2, func(l *NeuronLayouts) { l.Stages[0].Importance[0], l.Stages[0].Importance[19] = 0, 1 }, ""},
		{"importance above 1", 2, func(l *NeuronLayouts) { l.Stages[0].Importance[19] = 1 + 1e-12 }, "stage 0: importance 19 is"},
		{"classes 0 and 9, opacities 0 and 1", 2, func(l *NeuronLayouts) {
			l.Stages[0].Class, l.Stages[0].Opacity = []int{0, 9}, []float64{0, 1}
		}, ""},
		{"class -1", 2, func(l *NeuronLayouts) { l.Stages[0].Class[1] = -1 }, "stage 0: neuron 1: class -1"},
		{"opacity below 0", 2, func(l *NeuronLayouts) { l.Stages[1].Opacity[0] = -1e-12 }, "stage 1: neuron 0: class"},
		{"opacity above 1", 2, func(l *NeuronLayouts) { l.Stages[1].Opacity[1] = 1 + 1e-12 }, "stage 1: neuron 1: class"},
		{"importances of 9 classes", 2, func(l *NeuronLayouts) { l.Stages[1].Importance = l.Stages[1].Importance[:18] }, "stage 1: the discriminative map does not have 2 neurons × 10 classes"},
		{"opacities of 1 neuron", 2, func(l *NeuronLayouts) { l.Stages[1].Opacity = l.Stages[1].Opacity[:1] }, "stage 1: the discriminative map"},
	} {
		l := testNeuronLayouts(tc.d, 5)
		tc.set(l)
		b, err := EncodeNeuronLayouts(l)
		switch {
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v, want it accepted", tc.name, err)
		case tc.want == "":
			got, err := DecodeNeuronLayouts(b)
			if err != nil {
				t.Errorf("%s: decoding: %v", tc.name, err)
			} else if got.N != l.N || got.Layer != l.Layer || len(got.Stages) != len(l.Stages) || got.Stages[0].neurons() != tc.d {
				t.Errorf("%s: decoded %d digits, layer %d, %d stages of %d neurons, want %d, %d, %d, %d", tc.name,
					got.N, got.Layer, len(got.Stages), got.Stages[0].neurons(), l.N, l.Layer, len(l.Stages), tc.d)
			}
		}
	}
}
