package viewstate

import (
	"reflect"
	"testing"

	"annvis/core/params"
)

// TestPanelTwentyClasses encodes and decodes the panel of a user's data
// set of twenty classes: its importances keep their twenty columns, and a
// neuron's class beyond them is refused.
func TestPanelTwentyClasses(t *testing.T) {
	const d, c = 3, params.MaxClasses
	p := &Panel{Pos: make([]float64, 2*d), Stress: 0.25, Importance: make([]float64, c*d), Class: []int{0, 12, 19}, Opacity: []float64{1, 0.5, 0}}
	for i := range p.Importance {
		p.Importance[i] = float64(i) / float64(c*d)
	}
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var q Panel
	if err := q.UnmarshalBinary(b); err != nil || !reflect.DeepEqual(&q, p) || q.Classes() != c {
		t.Fatalf("decoded %+v (%d classes), %v; want %+v", q, q.Classes(), err, p)
	}
	b[len(b)-1] = c // neuron 2 discriminates class 20
	if err := q.UnmarshalBinary(b); err == nil {
		t.Error("a neuron of class 20 decoded")
	}
}

// FuzzDecodePanel decodes arbitrary bytes as a neuron panel: an error, or a
// panel that encodes back to the same bytes; never a panic.
func FuzzDecodePanel(f *testing.F) {
	b, _ := (&Panel{Pos: []float64{1, 2, 3, 4}, Stress: 0.1, Importance: make([]float64, 20),
		Class: []int{3, 9}, Opacity: []float64{0.5, 1}}).MarshalBinary()
	f.Add(b)
	f.Add([]byte(panelMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Panel
		if p.UnmarshalBinary(b) != nil {
			return
		}
		if c, _ := p.MarshalBinary(); string(c) != string(b) {
			t.Fatal("panel does not encode back to its bytes")
		}
	})
}
