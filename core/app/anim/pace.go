package anim

// Pacer keeps an animation to the wall clock when its updates come at
// uneven times. A page that runs frames only on demand (Ebiten's
// FPSModeVsyncOffMinimum) also runs an update for each input event, on top
// of the ones its clock asks for: the mouse moving over a playing animation
// would speed it up. The zero value is ready: its first tick is allowed.
type Pacer struct {
	origin float64 // seconds: when the current run of ticks started
	ticks  int     // ticks allowed since origin
}

// maxBehind is how many ticks a pacer lets the animation catch up on; a
// pacer further behind (no update for a while: the animation was still)
// starts over.
const maxBehind = 5

// Tick reports whether an update at now (in seconds, of any monotonic
// clock) may move the animation on by one tick of 1/tps seconds: it may
// when the ticks allowed so far are fewer than the ticks of 1/tps seconds
// since the run started, counting the first one at its start.
func (p *Pacer) Tick(now float64, tps int) bool {
	due := int((now-p.origin)*float64(tps)) + 1
	if p.ticks == 0 || now < p.origin || due-p.ticks > maxBehind {
		p.origin, p.ticks, due = now, 0, 1
	}
	if p.ticks >= due {
		return false
	}
	p.ticks++
	return true
}
