// Package anim holds the animation rules of annvis: a timeline over the
// stages of a view (layers or epochs) and the interpolation that moves every
// digit from stage k to stage k+1.
package anim

import "math"

// Timeline is the play head over the stages of a view. Pos runs from 0 (the
// first stage) to Stages-1 (the last); between integers, points travel.
// Playing, it rests Hold seconds on every stage and takes Transition
// seconds from one stage to the next, both divided by Speed, then loops.
// The zero value is a stopped, empty timeline.
type Timeline struct {
	Stages     int     // number of stages
	Pos        float64 // play head, 0..Stages-1
	Playing    bool
	Speed      float64 // playback speed factor; 0 means 1
	Hold       float64 // seconds to rest on each stage
	Transition float64 // seconds from one stage to the next; 0 means 1
	held       float64 // seconds rested on the current stage
}

// Advance moves the play head by dt seconds of playback: it rests on each
// stage it reaches, moves on, and after resting on the last stage loops to
// the first.
func (t *Timeline) Advance(dt float64) {
	if !t.Playing || t.Stages < 2 || dt <= 0 {
		return
	}
	dt *= t.speed()
	move := t.move()
	end := float64(t.Stages - 1)
	for dt > 0 {
		switch next := math.Floor(t.Pos) + 1; {
		case t.Pos == math.Floor(t.Pos) && t.held < t.Hold:
			rest := min(dt, t.Hold-t.held)
			t.held += rest
			dt -= rest
		case t.Pos >= end:
			t.Pos, t.held = 0, 0
		case dt >= (next-t.Pos)*move:
			dt -= (next - t.Pos) * move
			t.Pos, t.held = next, 0
		default:
			t.Pos += dt / move
			dt = 0
		}
	}
}

// Period returns the seconds of one pass through every stage: a rest on
// each and a move between each two.
func (t *Timeline) Period() float64 {
	if t.Stages < 1 {
		return 0
	}
	return (float64(t.Stages)*t.Hold + float64(t.Stages-1)*t.move()) / t.speed()
}

func (t *Timeline) speed() float64 {
	if t.Speed <= 0 {
		return 1
	}
	return t.Speed
}

func (t *Timeline) move() float64 {
	if t.Transition <= 0 {
		return 1
	}
	return t.Transition
}

// RecordFPS is the frame rate of a recording when its number of frames is
// not given.
const RecordFPS = 10

// Recording plans a recording of one pass through t (Period) updated tps
// times a second: frames frames (0: RecordFPS per second of the pass),
// stride updates apart, each shown delay hundredths of a second, so that
// the recording plays at the pace of the timeline (as closely as whole
// updates and hundredths allow).
func (t *Timeline) Recording(frames, tps int) (n, stride, delay int) {
	period := t.Period()
	if frames <= 0 {
		frames = max(1, int(math.Round(period*RecordFPS)))
	}
	// Never past the pass, where the timeline loops to the first stage.
	stride = max(1, int(period*float64(tps)/float64(max(frames-1, 1))))
	delay = max(2, int(math.Round(period*100/float64(frames))))
	return frames, stride, delay
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
