// Package anim holds the animation rules of annvis: a timeline over the
// stages of a view (layers or epochs) and the interpolation that moves every
// digit from stage k to stage k+1.
package anim

// Timeline is the play head over the stages of a view. Pos runs from 0 (the
// first stage) to Stages-1 (the last); between integers, points travel.
// The zero value is a stopped, empty timeline.
type Timeline struct {
	Stages  int     // number of stages
	Pos     float64 // play head, 0..Stages-1
	Playing bool
	Speed   float64 // stages per second; 0 means 1
	Hold    float64 // seconds to rest at the last stage before looping
	held    float64
}

// Advance moves the play head by dt seconds of playback; at the last stage it
// rests Hold seconds, then loops to the first.
func (t *Timeline) Advance(dt float64) {
	if !t.Playing || t.Stages < 2 || dt <= 0 {
		return
	}
	end := float64(t.Stages - 1)
	if t.Pos >= end {
		t.held += dt
		if t.held >= t.Hold {
			t.Pos, t.held = 0, 0
		}
		return
	}
	speed := t.Speed
	if speed <= 0 {
		speed = 1
	}
	t.Pos = min(t.Pos+dt*speed, end)
}

// Step pauses and moves the play head to the next (delta > 0) or previous
// (delta < 0) whole stage, clamped to the timeline.
func (t *Timeline) Step(delta int) {
	t.Playing = false
	k, f := t.Segment()
	switch {
	case delta > 0:
		t.Pos = float64(k + delta)
	case delta < 0 && f > 0:
		t.Pos = float64(k + 1 + delta)
	default:
		t.Pos = float64(k + delta)
	}
	t.clamp()
}

// Scrub sets the play head from a fraction 0..1 of the timeline (clamped).
func (t *Timeline) Scrub(frac float64) {
	t.Pos = frac * float64(t.Stages-1)
	t.clamp()
}

// Fraction returns the play head as a fraction 0..1 of the timeline.
func (t *Timeline) Fraction() float64 {
	if t.Stages < 2 {
		return 0
	}
	return t.Pos / float64(t.Stages-1)
}

func (t *Timeline) clamp() {
	t.Pos = max(0, min(t.Pos, float64(t.Stages-1)))
	t.held = 0
}

// Segment returns the stage k the points leave and the eased fraction f of
// their way to stage k+1; at the last stage it returns Stages-1, 0.
func (t *Timeline) Segment() (k int, f float64) {
	if t.Stages < 1 || t.Pos <= 0 {
		return 0, 0
	}
	k = int(t.Pos)
	if k >= t.Stages-1 {
		return t.Stages - 1, 0
	}
	return k, Ease(t.Pos - float64(k))
}

// Stage returns the stage nearest to the play head.
func (t *Timeline) Stage() int {
	return max(0, min(int(t.Pos+0.5), t.Stages-1))
}

// Ease is the smoothstep easing of f in 0..1: points start and arrive gently.
func Ease(f float64) float64 {
	f = max(0, min(f, 1))
	return f * f * (3 - 2*f)
}

// Lerp writes a + f·(b−a) into dst, which must be as long as a and b, and
// returns it; dst may be a or b.
func Lerp(dst, a, b []float64, f float64) []float64 {
	for i := range dst {
		dst[i] = a[i] + f*(b[i]-a[i])
	}
	return dst
}
