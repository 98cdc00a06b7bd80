package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// coursePage is a course page with two embeds: one at the top, in view, and
// one below a tall text, out of view until the reader scrolls to it.
const coursePage = `<!doctype html><meta charset="utf-8"><title>A course page</title>
<body style="margin:0">
<iframe id="top" src="index.html?embed=1" width="640" height="420" style="border:0;display:block"></iframe>
<div style="height:3000px">The lecture notes…</div>
<iframe id="below" src="index.html?embed=1&model=cnn" width="640" height="420" style="border:0;display:block"></iframe>
</body>`

// embedState is what the test reads of an embed's window.annvis.
type embedState struct {
	Ready    bool    `json:"ready"`
	Frame    int     `json:"frame"`
	Ticks    int     `json:"ticks"`
	Stage    int     `json:"stage"`
	Progress float64 `json:"progress"`
	Phase    string  `json:"phase"`
	Error    string  `json:"error"`
	Visible  bool    `json:"visible"`
	Paused   bool    `json:"paused"`
	Layout   string  `json:"layout"`
}

// embed returns the state of the embed in the iframe with the given id.
func embed(t *testing.T, ctx context.Context, id string) embedState {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[embedState](
		fmt.Sprintf(`document.getElementById(%q).contentWindow.annvis || {}`, id)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// waitEmbed polls until the embed's JS condition on a (its window.annvis) holds.
func waitEmbed(t *testing.T, ctx context.Context, id, cond string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const a = document.getElementById(%q).contentWindow.annvis; return !!a && (%s); })()`, id, cond)
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(3*time.Minute))); err != nil {
		t.Fatalf("embed %s: %s did not hold: %v; state %+v", id, cond, err, embed(t, ctx, id))
	}
}

// stagesOver returns the stages an embed shows while it draws n more
// frames of its animation playing.
func stagesOver(t *testing.T, ctx context.Context, id string, n int) map[int]bool {
	t.Helper()
	f0 := embed(t, ctx, id).Frame
	seen := map[int]bool{}
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		s := embed(t, ctx, id)
		seen[s.Stage] = true
		if s.Frame >= f0+n {
			return seen
		}
	}
	t.Fatalf("embed %s did not draw %d frames in 3 minutes (from frame %d): %+v", id, n, f0, embed(t, ctx, id))
	return nil
}

// stillFor reports whether an embed drew no animated frame and kept its
// stage over d, as it does paused (it runs frames only on demand).
func stillFor(t *testing.T, ctx context.Context, id string, d time.Duration) bool {
	t.Helper()
	s0 := embed(t, ctx, id)
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if s := embed(t, ctx, id); s.Frame != s0.Frame || s.Stage != s0.Stage {
			return false
		}
	}
	return true
}

// press presses at (x, y) CSS pixels of the page with the mouse or a
// finger, holds it until the game in the iframe id has ticked (Ebiten
// misses a press released between two of its ticks) and pressHold more,
// and lets go.
func press(t *testing.T, ctx context.Context, id string, x, y float64, touch bool) {
	t.Helper()
	f := embed(t, ctx, id).Ticks
	var err error
	if touch {
		_, err = chromedp.Call(ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{
			Type: input.DispatchTouchEventTypeTouchStart, TouchPoints: []*input.TouchPoint{{X: x, Y: y}}})
	} else {
		mouse := func(typ input.DispatchMouseEventType) error {
			_, err := chromedp.Call(ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{
				Type: typ, X: x, Y: y, Button: input.MouseButtonLeft, Buttons: 1, ClickCount: 1})
			return err
		}
		if err = mouse(input.DispatchMouseEventTypeMouseMoved); err == nil {
			err = mouse(input.DispatchMouseEventTypeMousePressed)
		}
		defer func() {
			if err := mouse(input.DispatchMouseEventTypeMouseReleased); err != nil {
				t.Fatal(err)
			}
		}()
	}
	if err != nil {
		t.Fatal(err)
	}
	// Each event makes the page tick (it runs frames on demand); a press
	// held a while longer is seen whatever ticked between.
	events := map[bool]int{false: 2, true: 1}[touch]
	waitEmbed(t, ctx, id, fmt.Sprintf("a.ticks >= %d", f+events))
	time.Sleep(pressHold)
	if touch {
		if _, err := chromedp.Call(ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{
			Type: input.DispatchTouchEventTypeTouchEnd, TouchPoints: []*input.TouchPoint{}}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestEmbedsPauseOutOfView opens a course page with two embeds. The one in
// view completes and animates; the one out of view neither computes nor
// animates until it is scrolled into view, and then the first one stops.
// An embed shows only the play/pause and stage buttons, which work with
// the mouse.
func TestEmbedsPauseOutOfView(t *testing.T) {
	dir := copySite(t)
	if err := os.WriteFile(filepath.Join(dir, "course.html"), []byte(coursePage), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := tab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(serve(t, dir)+"course.html")); err != nil {
		t.Fatal(err)
	}
	waitEmbed(t, ctx, "top", `a.error !== "" || (a.progress >= 1 && a.frame > 0)`)
	waitEmbed(t, ctx, "below", `a.paused`)
	top, below := embed(t, ctx, "top"), embed(t, ctx, "below")
	if top.Error != "" || !top.Visible || top.Paused {
		t.Fatalf("embed in view: %+v", top)
	}
	if below.Visible || below.Frame != 0 || below.Progress >= 1 {
		t.Fatalf("embed out of view: %+v, want it hidden, paused, without a frame", below)
	}

	// The embed's bar holds only what plays the animation.
	var a arrangement
	if err := json.Unmarshal([]byte(top.Layout), &a); err != nil {
		t.Fatalf("window.annvis.layout %q: %v", top.Layout, err)
	}
	if want := []string{"play/pause", "<", ">"}; !slices.Equal(a.Buttons, want) || a.Layout.BarRows != 1 {
		t.Fatalf("embed buttons %q in %d rows, want %q in one", a.Buttons, a.Layout.BarRows, want)
	}

	// Out of view, nothing moves: no progress, no frame, while the embed
	// in view animates (the default pace rests 1 s on a stage and moves 1.5
	// s to the next: 160 frames at 60 a second show two stages).
	if s := stagesOver(t, ctx, "top", 160); len(s) < 2 {
		t.Errorf("embed in view showed stages %v over 160 frames: it does not animate", s)
	}
	if later := embed(t, ctx, "below"); later.Progress != below.Progress || later.Frame != 0 || later.Phase != below.Phase {
		t.Errorf("embed out of view moved from %+v to %+v", below, later)
	}

	// play/pause by mouse, then by touch.
	b := a.Screen.Bar
	x, y := (b.X+b.H/2)/a.Scale, (b.Y+b.H/2)/a.Scale // inside the first button
	press(t, ctx, "top", x, y, false)
	if !stillFor(t, ctx, "top", 3*time.Second) {
		t.Errorf("after clicking play/pause the embed went on animating")
	}
	press(t, ctx, "top", x, y, true)
	if s := stagesOver(t, ctx, "top", 160); len(s) < 2 {
		t.Errorf("after touching play/pause the embed showed stages %v over 160 frames, want it playing", s)
	}

	// Scrolled into view, the second embed computes and animates; the
	// first, now out of view, stops.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("below").scrollIntoView(), true`)); err != nil {
		t.Fatal(err)
	}
	waitEmbed(t, ctx, "below", `a.error !== "" || (a.progress >= 1 && a.frame > 0)`)
	waitEmbed(t, ctx, "top", `a.paused`)
	if s := embed(t, ctx, "below"); s.Error != "" || !s.Visible || s.Paused {
		t.Errorf("embed scrolled into view: %+v", s)
	}
	top = embed(t, ctx, "top")
	time.Sleep(2 * time.Second)
	if later := embed(t, ctx, "top"); later.Frame != top.Frame || later.Visible {
		t.Errorf("embed scrolled out of view went on from frame %d to %d (visible %v)", top.Frame, later.Frame, later.Visible)
	}
}
