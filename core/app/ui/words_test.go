package ui

import (
	"fmt"
	"math"
	"testing"
)

func TestQualityTexts(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		nh, tw float64
		want   []string
	}{
		{0.934, 0.971, []string{"neighbourhood hit 0.93 · trustworthiness 0.97", "NH 0.93 · TW 0.97", "NH.93 TW.97"}},
		{0.5, nan, []string{"neighbourhood hit 0.50", "NH 0.50", "NH.50"}},
		{nan, nan, nil},
		{1, 1, []string{"neighbourhood hit 1.00 · trustworthiness 1.00", "NH 1.00 · TW 1.00", "NH1.00 TW1.00"}},
	} {
		if got := QualityTexts(tc.nh, tc.tw); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("QualityTexts(%v, %v) = %q, want %q", tc.nh, tc.tw, got, tc.want)
		}
	}
}

func TestCaptionEveryView(t *testing.T) {
	for _, view := range []string{"layers", "epochs", "trace", "bundled", "neurons", "map", "train"} {
		c := Caption(view, []string{"layer 1", "layer 2"}, 2, 3)
		if c == "" {
			t.Errorf("view %s has no caption", view)
		}
	}
	if c := Caption("layers", []string{"layer 1", "layer 4"}, 4, 0); c != "Each dot: one test digit, placed by t-SNE of a hidden layer's activations; colour: true digit; ×: misclassified. Trails follow each digit from layer 1 to layer 4, faint to vivid." {
		t.Errorf("layers caption: %q", c)
	}
}

func ExampleFitText() {
	q := QualityTexts(0.91, 0.97)
	fmt.Println(FitText(1000, 18, q...))
	fmt.Println(FitText(200, 18, q...))
	fmt.Println(FitText(120, 18, q...))
	// Output:
	// neighbourhood hit 0.91 · trustworthiness 0.97
	// NH 0.91 · TW 0.97
	// NH.91 TW.97
}
