//go:build !js

package pipeline

import (
	"slices"
	"testing"
	"time"

	"annvis/core/viewstate"
)

// waitFor polls the Background pipeline b, as a frame loop would, until
// done reports true; it returns how many polls that took.
func waitFor(t *testing.T, b *Background, done func(viewstate.Status) bool) int {
	t.Helper()
	for polls := 1; polls < 120000; polls++ {
		if st := b.Status(); done(st) {
			return polls
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("stuck at %+v", b.Status())
	return 0
}

// TestBackgroundMatchesStepping checks that a pipeline on its own goroutine
// publishes, while the reader only polls, the layouts that stepping the
// same pipeline in a frame loop computes, and stops when closed.
func TestBackgroundMatchesStepping(t *testing.T) {
	p := smallView("layers")
	b := Start(p, newFixture(t).Fetch)
	defer b.Close()
	waitFor(t, b, func(st viewstate.Status) bool { return st.Progress == 1 || st.Err != nil })
	pl := New(p, newFixture(t).Fetch, false)
	run(t, pl)
	if st := b.Status(); st.Err != nil || !st.Done || st.Phase != "ready" {
		t.Fatalf("status %+v", st)
	}
	if !slices.Equal(b.Stages(), pl.Stages()) || b.N() != 200 || !slices.Equal(b.Labels(), pl.Labels()) {
		t.Fatalf("stages %q, %d digits", b.Stages(), b.N())
	}
	for k := range pl.Stages() {
		if !b.Ready(k) || !slices.Equal(b.Positions(k, nil), pl.Positions(k, nil)) || !slices.Equal(b.Predicted(k), pl.Predicted(k)) {
			t.Errorf("stage %d differs from the stepped pipeline's", k)
		}
	}
	if img := b.Image(199); !slices.Equal(img, pl.Image(199)) || b.Image(200) != nil {
		t.Error("digit images differ")
	}
	// The trustworthiness arrives while the view animates; then it idles.
	waitFor(t, b, func(viewstate.Status) bool { return b.Quality(3).TW > 0 })
	b.Close()
	b.Close() // twice is fine
}

// counts returns how many slices b has run.
func (b *Background) counts() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.slices
}

// parkAfter calls do, then polls until b's goroutine parks because it is
// paused.
func parkAfter(t *testing.T, b *Background, do func()) {
	t.Helper()
	b.mu.Lock()
	parks := b.parks
	b.mu.Unlock()
	do()
	for polls := 0; polls < 120000; polls++ {
		b.mu.Lock()
		now := b.parks
		b.mu.Unlock()
		if now > parks {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the paused pipeline never parked")
}

// TestBackgroundPauses checks that a paused pipeline computes nothing until
// resumed, and that it bundles what the reader asks for.
func TestBackgroundPauses(t *testing.T) {
	b := Start(smallView("bundled"), newFixture(t).Fetch)
	defer b.Close()
	parkAfter(t, b, func() { b.Pause(true) }) // the pause takes effect between slices
	before, slices := b.Status(), b.counts()
	for range 3 { // woken (as by a reader's wish), it parks again
		parkAfter(t, b, b.poke)
	}
	if after, n := b.Status(), b.counts(); after != before || after.Done || n != slices {
		t.Fatalf("paused, %d more slices ran and the status moved from %+v to %+v", n-slices, before, after)
	}
	b.Pause(false)
	waitFor(t, b, func(st viewstate.Status) bool { return st.Progress == 1 || st.Err != nil })
	each := b.Bundles()
	if st := b.Status(); st.Err != nil || each == nil || len(each.Lines) != 200 {
		t.Fatalf("status %+v", st)
	}
	b.SetBundleAll(true)
	if st := b.Status(); st.Progress == 1 || st.Phase != "bundling trails" || b.Bundles() != nil {
		t.Fatalf("after asking for all classes together: %+v", st)
	}
	waitFor(t, b, func(st viewstate.Status) bool { return st.Progress == 1 || st.Err != nil })
	if all := b.Bundles(); all == nil || all == each {
		t.Fatal("all classes were not bundled together")
	}
}
