package pipeline

import (
	"math"
	"slices"
	"strings"
	"testing"

	"annvis/core/viewstate"
)

// TestLayoutsLimits sets each field of a layouts value at and just beyond
// its documented limit: at the limit it encodes and decodes back, beyond it
// the encoder (which validates) names the rule.
func TestLayoutsLimits(t *testing.T) {
	long := strings.Repeat("s", maxString)
	for _, tc := range []struct {
		name string
		n    int // digits
		set  func(l *Layouts)
		want string // "" → accepted
	}{
		{"1 digit", 1, func(l *Layouts) {}, ""},
		{"max digits", MaxDigits, func(l *Layouts) {}, ""},
		{"max digits + 1", MaxDigits + 1, func(l *Layouts) {}, "layouts have 10001 digits, must be 1..10000"},
		{"no digits", 0, func(l *Layouts) {}, "layouts have 0 digits, must be 1..10000"},
		{"1 stage", 5, func(l *Layouts) { l.Stages = l.Stages[:1] }, ""},
		{"no stage", 5, func(l *Layouts) { l.Stages = nil }, "layouts have 0 stages, must be 1..64"},
		{"max stages", 5, func(l *Layouts) { l.Stages = slices.Repeat(l.Stages[:1], MaxStages) }, ""},
		{"max stages + 1", 5, func(l *Layouts) { l.Stages = slices.Repeat(l.Stages[:1], MaxStages+1) }, "layouts have 65 stages, must be 1..64"},
		{"strings of 64 bytes", 5, func(l *Layouts) { l.Network, l.View, l.Method, l.Stages[0].Name = long, long, long, long }, ""},
		{"network of 65 bytes", 5, func(l *Layouts) { l.Network = long + "s" }, "is not valid UTF-8 of at most 64 bytes"},
		{"stage name of 65 bytes", 5, func(l *Layouts) { l.Stages[1].Name = long + "s" }, "stage 1: name"},
		{"quality 0 and 1", 5, func(l *Layouts) { l.Stages[0].Quality = viewstate.Quality{NH: 0, TW: 1} }, ""},
		{"quality NaN", 5, func(l *Layouts) { l.Stages[0].Quality = viewstate.Quality{NH: math.NaN(), TW: math.NaN()} }, ""},
		{"quality below 0", 5, func(l *Layouts) { l.Stages[0].Quality.NH = -1e-9 }, "is neither NaN nor in 0..1"},
		{"quality above 1", 5, func(l *Layouts) { l.Stages[0].Quality.TW = 1 + 1e-9 }, "is neither NaN nor in 0..1"},
		{"largest coordinates", 5, func(l *Layouts) {
			l.Stages[0].Positions[0], l.Stages[0].Positions[1] = math.MaxFloat32, -math.MaxFloat32
		}, ""},
		{"coordinate beyond float32", 5, func(l *Layouts) { l.Stages[0].Positions[3] = math.MaxFloat32 * 1.000001 }, "coordinate 3 is"},
		{"label 9", 5, func(l *Layouts) { l.Labels[4] = 9 }, ""},
		{"label 10", 5, func(l *Layouts) { l.Labels[4] = 10 }, "label 10 of digit 4 is not a class 0..9"},
		{"prediction 10", 5, func(l *Layouts) { l.Stages[1].Predicted[2] = 10 }, "prediction 10 of digit 2"},
		{"perplexity +Inf", 5, func(l *Layouts) { l.Perplexity = math.Inf(1) }, "perplexity +Inf is not finite"},
	} {
		l := testLayouts(tc.n, 1)
		tc.set(l)
		b, err := EncodeLayouts(l)
		switch {
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v, want it accepted", tc.name, err)
		case tc.want == "":
			got, err := DecodeLayouts(b)
			if err != nil {
				t.Errorf("%s: decoding: %v", tc.name, err)
			} else if got.N() != tc.n || len(got.Stages) != len(l.Stages) {
				t.Errorf("%s: decoded %d digits, %d stages, want %d, %d", tc.name, got.N(), len(got.Stages), tc.n, len(l.Stages))
			}
		}
	}
}
