package anim

import (
	"fmt"
	"math"
	"testing"
)

func TestTimelineAdvance(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tl      Timeline
		steps   []float64
		wantPos float64
	}{
		{"paused stays", Timeline{Stages: 4, Pos: 1}, []float64{1, 1}, 1},
		{"default speed", Timeline{Stages: 4, Playing: true}, []float64{0.5, 0.25}, 0.75},
		{"speed 2", Timeline{Stages: 4, Playing: true, Speed: 2}, []float64{0.5}, 1},
		{"stops at end", Timeline{Stages: 3, Playing: true, Hold: 10}, []float64{5}, 2},
		{"holds then loops", Timeline{Stages: 3, Playing: true, Hold: 1}, []float64{2, 0.5, 0.6}, 0},
		{"one stage", Timeline{Stages: 1, Playing: true}, []float64{1}, 0},
		{"negative dt", Timeline{Stages: 4, Playing: true, Pos: 2}, []float64{-1}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl := tc.tl
			for _, dt := range tc.steps {
				tl.Advance(dt)
			}
			if math.Abs(tl.Pos-tc.wantPos) > 1e-12 {
				t.Errorf("Pos = %v, want %v", tl.Pos, tc.wantPos)
			}
		})
	}
}

func TestTimelineStep(t *testing.T) {
	for _, tc := range []struct {
		pos   float64
		delta int
		want  float64
	}{
		{0, 1, 1}, {1.5, 1, 2}, {1.5, -1, 1}, {2, -1, 1}, {0, -1, 0}, {3, 1, 3}, {2.9, 1, 3},
	} {
		tl := Timeline{Stages: 4, Pos: tc.pos, Playing: true}
		tl.Step(tc.delta)
		if tl.Pos != tc.want || tl.Playing {
			t.Errorf("Step(%d) from %v: Pos %v Playing %v, want %v paused", tc.delta, tc.pos, tl.Pos, tl.Playing, tc.want)
		}
	}
}

func TestTimelineScrubAndSegment(t *testing.T) {
	for _, tc := range []struct {
		frac     float64
		wantK    int
		wantF    float64
		wantStag int
	}{
		{0, 0, 0, 0}, {0.5, 1, 0.5, 2}, {1, 3, 0, 3}, {2, 3, 0, 3}, {-1, 0, 0, 0}, {0.25, 0, Ease(0.75), 1},
	} {
		tl := Timeline{Stages: 4}
		tl.Scrub(tc.frac)
		k, f := tl.Segment()
		if k != tc.wantK || math.Abs(f-tc.wantF) > 1e-12 || tl.Stage() != tc.wantStag {
			t.Errorf("Scrub(%v): Segment %d %v Stage %d, want %d %v %d", tc.frac, k, f, tl.Stage(), tc.wantK, tc.wantF, tc.wantStag)
		}
		if got := tl.Fraction(); math.Abs(got-max(0, min(tc.frac, 1))) > 1e-12 {
			t.Errorf("Scrub(%v): Fraction %v", tc.frac, got)
		}
	}
}

func TestEase(t *testing.T) {
	prev := -1.0
	for f := -0.5; f <= 1.5; f += 0.05 {
		e := Ease(f)
		if e < prev || e < 0 || e > 1 {
			t.Fatalf("Ease(%v) = %v after %v: not monotone in 0..1", f, e, prev)
		}
		prev = e
	}
	if Ease(0) != 0 || Ease(1) != 1 || Ease(0.5) != 0.5 {
		t.Error("Ease does not fix 0, 0.5 and 1")
	}
}

func ExampleLerp() {
	a := []float64{0, 0, 10, 10}
	b := []float64{2, 4, 10, 0}
	fmt.Println(Lerp(make([]float64, 4), a, b, 0.5))
	// Output: [1 2 10 5]
}

func ExampleTimeline() {
	tl := Timeline{Stages: 4, Playing: true}
	tl.Advance(1.25) // 1.25 s at 1 stage per second
	k, f := tl.Segment()
	fmt.Printf("between stage %d and %d, %.3f of the way (eased)\n", k, k+1, f)
	// Output: between stage 1 and 2, 0.156 of the way (eased)
}
