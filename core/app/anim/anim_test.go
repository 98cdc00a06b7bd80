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
		{"default pace", Timeline{Stages: 4, Playing: true}, []float64{0.5, 0.25}, 0.75},
		{"speed 2", Timeline{Stages: 4, Playing: true, Speed: 2}, []float64{0.5}, 1},
		{"rests on the first stage", Timeline{Stages: 3, Playing: true, Hold: 10}, []float64{5}, 0},
		{"rests on each stage", Timeline{Stages: 3, Playing: true, Hold: 1, Transition: 2}, []float64{2, 2.5}, 1.25},
		{"speed divides rest and move", Timeline{Stages: 3, Playing: true, Hold: 1, Transition: 2, Speed: 2}, []float64{2.25}, 1.25},
		{"crosses stages without rest", Timeline{Stages: 4, Playing: true, Transition: 0.5}, []float64{1.25}, 2.5},
		{"rests on the last, then loops", Timeline{Stages: 3, Playing: true, Hold: 1, Transition: 1}, []float64{5, 0.5, 0.4}, 0},
		{"loops without rest", Timeline{Stages: 3, Playing: true}, []float64{2.5}, 0.5},
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

func TestTimelinePeriodAndRecording(t *testing.T) {
	for _, tc := range []struct {
		tl               Timeline
		frames, tps      int
		period           float64
		n, stride, delay int
	}{
		// The defaults of annvis: 4 layers, 1 s rest, 1.5 s moves.
		{Timeline{Stages: 4, Hold: 1, Transition: 1.5}, 0, 60, 8.5, 85, 6, 10},
		{Timeline{Stages: 4, Hold: 1, Transition: 1.5, Speed: 2}, 0, 60, 4.25, 43, 6, 10},
		{Timeline{Stages: 9, Hold: 1, Transition: 1.5}, 60, 60, 21, 60, 21, 35},
		{Timeline{Stages: 4, Hold: 1, Transition: 1.5}, 60, 60, 8.5, 60, 8, 14},
		{Timeline{Stages: 2}, 0, 60, 1, 10, 6, 10},
		{Timeline{Stages: 2}, 1000, 60, 1, 1000, 1, 2},
		{Timeline{Stages: 3, Hold: 0.5, Transition: 0.1}, 0, 60, 1.7, 17, 6, 10},
	} {
		if p := tc.tl.Period(); math.Abs(p-tc.period) > 1e-12 {
			t.Errorf("%+v: Period %v, want %v", tc.tl, p, tc.period)
		}
		n, stride, delay := tc.tl.Recording(tc.frames, tc.tps)
		if n != tc.n || stride != tc.stride || delay != tc.delay {
			t.Errorf("%+v: Recording(%d, %d) = %d, %d, %d; want %d, %d, %d", tc.tl, tc.frames, tc.tps, n, stride, delay, tc.n, tc.stride, tc.delay)
		}
		// A pass through the timeline lasts as long as the recording plays.
		tl := tc.tl
		tl.Playing = true
		for range (n - 1) * stride {
			tl.Advance(1 / float64(tc.tps))
		}
		if last := tl.Stages - 1; tc.tl.Hold > 0 && tl.Pos != float64(last) {
			t.Errorf("%+v: the recording's last frame is at %v, not on the last stage %d", tc.tl, tl.Pos, last)
		}
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
