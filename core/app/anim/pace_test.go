package anim

import (
	"fmt"
	"testing"
)

func TestPacer(t *testing.T) {
	const tps = 60
	tick := 1.0 / tps
	var p Pacer
	count := func(times ...float64) (n int) {
		for _, s := range times {
			if p.Tick(s, tps) {
				n++
			}
		}
		return n
	}
	// The first update ticks; a second one in the same frame (an input
	// event) does not; the next frame ticks again.
	if got := count(10, 10+tick/4, 10+tick*1.01); got != 2 {
		t.Errorf("a frame with an input event between clock frames: %d ticks, want 2", got)
	}
	// Two updates in one frame that is a tick late (the clock catching up)
	// both tick.
	if got := count(10+tick*3.05, 10+tick*3.1); got != 2 {
		t.Errorf("catching up one tick: %d ticks, want 2", got)
	}
	// Updates at 120 Hz (a clock frame and an input event each frame) tick
	// at 60 Hz.
	p = Pacer{}
	n := 0
	for i := range 240 {
		if p.Tick(20+float64(i)/120, tps) {
			n++
		}
	}
	if n < 119 || n > 121 {
		t.Errorf("two seconds of updates at 120 Hz: %d ticks, want 120", n)
	}
	// After a still spell the pacer starts over instead of catching up.
	if got := count(30, 30+tick/2, 30+tick/3); got != 1 {
		t.Errorf("after a pause: %d ticks, want 1", got)
	}
}

func ExamplePacer() {
	var p Pacer
	// Updates at 0 s (a frame), 0.004 s (a mouse move in the same frame),
	// 0.017 s (the next frame), then a frame after a long pause.
	for _, now := range []float64{0, 0.004, 0.017, 5} {
		fmt.Println(now, p.Tick(now, 60))
	}
	// Output:
	// 0 true
	// 0.004 false
	// 0.017 true
	// 5 true
}
