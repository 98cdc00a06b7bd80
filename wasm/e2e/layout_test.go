package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"annvis/core/app/theme"
	"annvis/core/app/ui"
)

// arrangement mirrors app.Arrangement, as the page publishes it in
// window.annvis.layout (this package does not import Ebiten).
type arrangement struct {
	W, H, Scale float64
	Theme       string
	Buttons     []string
	Layout      ui.Layout
	Screen      ui.Screen
}

// TestLayoutReported opens the page as a phone in portrait at
// devicePixelRatio 2, in the light theme, and checks that the rectangles the
// page reports through window.annvis.layout are those the pure layout code
// (ui.Arrange, checked by ui's TestLayoutAcceptance) computes for that
// screen: drawn at device pixels, with the phone's collapsed bar, and with
// the page's own buttons inside the corner the game keeps free.
func TestLayoutReported(t *testing.T) {
	const cssW, cssH, dpr = 390, 844, 2
	ctx := tab(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(cssW, cssH, chromedp.EmulateScale(dpr))); err != nil {
		t.Fatal(err)
	}
	s := open(t, ctx, serve(t, site(t))+"?theme=light", complete)
	if s.Error != "" {
		t.Fatalf("the view shows an error: %s", s.Error)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.annvis.layout || ""`))
	if err != nil {
		t.Fatal(err)
	}
	var a arrangement
	if err := json.Unmarshal([]byte(raw), &a); err != nil {
		t.Fatalf("window.annvis.layout %q: %v", raw, err)
	}
	if math.Abs(a.W-cssW*dpr) > 1 || math.Abs(a.H-cssH*dpr) > 1 || a.Scale != dpr || a.Theme != "light" {
		t.Fatalf("layout for %vx%v at scale %v, theme %q; want %vx%v device pixels at %v, light", a.W, a.H, a.Scale, a.Theme, cssW*dpr, cssH*dpr, dpr)
	}
	th, err := theme.Named(a.Theme)
	if err != nil {
		t.Fatal(err)
	}
	th = th.Sized(a.W, a.H, a.Scale)
	if len(a.Buttons) == 0 || a.Buttons[0] != "menu" || a.Layout.BarRows != ui.Rows(th, a.Buttons, a.W-2*th.Pad) {
		t.Errorf("bar %q in %d rows: want the phone's collapsed bar", a.Buttons, a.Layout.BarRows)
	}
	if a.Layout.Stages != s.Stages || a.Layout.Caption == "" {
		t.Errorf("laid out %d stages (the view has %d), caption %q", a.Layout.Stages, s.Stages, a.Layout.Caption)
	}
	if want := ui.Arrange(th, a.W, a.H, a.Layout); !reflect.DeepEqual(a.Screen, want) {
		t.Errorf("the page reports\n%+v\nui.Arrange computes\n%+v", a.Screen, want)
	}
	// The page's buttons lie in the corner the layout keeps free.
	bar, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
		const r = document.getElementById("bar").getBoundingClientRect();
		return [r.left, r.top, r.right, r.bottom]; })()`))
	if err != nil {
		t.Fatal(err)
	}
	c := a.Layout.Corner
	if c[0] <= 0 || bar[0]*dpr < a.W-c[0]-1 || bar[1]*dpr < a.H-c[1]-1 || bar[2]*dpr > a.W+1 || bar[3]*dpr > a.H+1 {
		t.Errorf("the page's buttons %v (CSS px) leave the corner %v (device px) of the %vx%v screen", bar, c, a.W, a.H)
	}
	// A theme chosen without reloading (the settings form, annvisApply)
	// reaches the page's own controls too, not only the canvas.
	if msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.annvisApply("theme=dark").error`)); err != nil || msg != "" {
		t.Fatalf("annvisApply(theme=dark): %v %s", err, msg)
	}
	dark := `JSON.parse(window.annvis.layout).Theme === "dark" && document.documentElement.dataset.theme === "dark"`
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](dark, chromedp.WithPollingTimeout(0))); err != nil {
		t.Fatalf("switching to theme=dark: %v", err)
	}
}

// TestZoomFollowsDevicePixelRatio opens the page at devicePixelRatio 1 and
// then changes the ratio while it is open, as a browser zoom or a move of
// the window to another screen does: the canvas's backing store and the
// scale the game lays out at (window.annvis.layout) follow each new ratio
// within 10 s, so that text, points and trails stay sharp, even while the
// animation is paused (the page draws no frame then, and the browser sends
// no resize event: the window's size in CSS pixels does not change).
func TestZoomFollowsDevicePixelRatio(t *testing.T) {
	const cssW, cssH = 800, 600
	ctx := tab(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(cssW, cssH, chromedp.EmulateScale(1))); err != nil {
		t.Fatal(err)
	}
	if s := open(t, ctx, serve(t, site(t)), complete); s.Error != "" {
		t.Fatalf("the view shows an error: %s", s.Error)
	}
	typeKey(t, ctx, " ") // paused: the page draws no frame until something changes
	for _, dpr := range []float64{2, 1.5, 3} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(cssW, cssH, chromedp.EmulateScale(dpr))); err != nil {
			t.Fatal(err)
		}
		follows := fmt.Sprintf(`(() => { const c = document.querySelector("canvas"), l = JSON.parse(window.annvis.layout);
			return c.width === Math.floor(c.clientWidth * %[1]v) && l.Scale === %[1]v; })()`, dpr)
		err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](follows, chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil && !errors.Is(err, chromedp.ErrPollingTimeout) {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const c = document.querySelector("canvas");
			return [window.devicePixelRatio, c.clientWidth, c.width, JSON.parse(window.annvis.layout).Scale, JSON.parse(window.annvis.layout).W]; })()`))
		if err != nil {
			t.Fatal(err)
		}
		if got[0] != dpr || got[2] != math.Floor(got[1]*dpr) || got[3] != dpr || got[4] != got[2] {
			t.Errorf("at devicePixelRatio %v (the page sees %v): canvas %v CSS px wide with a backing store of %v px; the game lays out %v px at scale %v",
				dpr, got[0], got[1], got[2], got[4], got[3])
		}
		if n := distinctColors(canvasShot(t, ctx, fmt.Sprintf("zoom-%v", dpr))); n < 10 {
			t.Errorf("at devicePixelRatio %v the canvas shows %d colours", dpr, n)
		}
	}
}
