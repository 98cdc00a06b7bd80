package typeface

import (
	"fmt"
	"testing"
)

func TestWidth(t *testing.T) {
	if w := Width("", 18); w != 0 {
		t.Errorf("Width of the empty string = %v", w)
	}
	a, b := Width("neighbourhood hit", 18), Width("neighbourhood hit", 36)
	if a < 18*5 || a > 18*17 {
		t.Errorf("Width(17 letters at 18 px) = %v, want between 5 and 17 em", a)
	}
	if d := b - 2*a; d < -1 || d > 1 {
		t.Errorf("width does not scale with size: %v at 18 px, %v at 36 px", a, b)
	}
	if Width("WWW", 12) <= Width("iii", 12) {
		t.Errorf("W not wider than i: the typeface is not proportional")
	}
}

func TestLineHeight(t *testing.T) {
	for _, s := range []float64{11, 18, 54} {
		if h := LineHeight(s); h < s || h > 1.5*s {
			t.Errorf("LineHeight(%v) = %v, want between 1 and 1.5 em", s, h)
		}
	}
}

func ExampleWidth() {
	fmt.Printf("%.1f px\n", Width("layer 3", 20))
	// Output: 61.0 px
}
