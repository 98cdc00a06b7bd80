package e2e

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// shotSize is a screen the shots are taken at.
type shotSize struct {
	name  string
	w, h  int64
	dpr   float64
	embed bool
}

// shotSizes are the acceptance sizes: a projector, a laptop at
// devicePixelRatio 2, an embed and a phone in portrait at 3.
var shotSizes = []shotSize{
	{name: "1920x1080", w: 1920, h: 1080, dpr: 1},
	{name: "1280x800at2", w: 1280, h: 800, dpr: 2},
	{name: "640x420embed", w: 640, h: 420, dpr: 1, embed: true},
	{name: "390x844at3", w: 390, h: 844, dpr: 3},
}

// TestShots writes screenshots of the page into $ANNVIS_SHOTS (make shots
// sets it; without it the test is skipped): every view of both networks,
// at the four acceptance sizes, in both themes, named
// page-MODEL-VIEW-SIZE-THEME.png. Each size opens the page afresh, as a
// visitor with that screen would (Ebiten reads devicePixelRatio once, when
// the page starts); the light theme is then switched to without reloading,
// as a changed link would. Each view and size is a subtest, e.g.
// -run 'TestShots/model=cnn&view=map/390x844at3'.
func TestShots(t *testing.T) {
	dir := os.Getenv("ANNVIS_SHOTS")
	if dir == "" {
		t.Skip("ANNVIS_SHOTS is not set (make shots sets it)")
	}
	t.Setenv("E2E_SHOTS", dir)
	base := serve(t, site(t))
	var queries []string
	for _, model := range []string{"mlp", "cnn"} {
		for _, view := range []string{"layers", "epochs", "trace", "bundled", "neurons", "map"} {
			queries = append(queries, "model="+model+"&view="+view)
		}
	}
	// The train view trains a small network in the page: its stages,
	// counters and curves. The run is the acceptance run of TestTrainView
	// (2 epochs of 2000 digits, 300 shown), which ends in about half a
	// minute at every size in software WebGL (a run of 3 epochs with 500
	// shown was stopped after 10 minutes at 1280×800@2).
	queries = append(queries, "model=both&view=compare", "view=train&arch=32&epochs=2&train=2000&n=300")
	for _, q := range queries {
		t.Run(q, func(t *testing.T) {
			for _, sz := range shotSizes {
				t.Run(sz.name, func(t *testing.T) {
					ctx := tabAt(t, sz)
					query := q
					if sz.embed {
						query += "&embed=1"
					}
					if s := open(t, ctx, base+"?"+query, complete); s.Error != "" {
						t.Fatalf("%s: %s", query, s.Error)
					}
					for _, th := range []string{"dark", "light"} {
						shotAt(t, ctx, query, sz, th)
					}
				})
			}
		})
	}
	t.Run("error", func(t *testing.T) { errorShots(t, base) })
	t.Run("export", func(t *testing.T) {
		ctx := tabAt(t, shotSizes[1])
		dir := allowDownloads(t, ctx)
		if s := open(t, ctx, base+"?view=epochs&theme=light", complete); s.Error != "" {
			t.Fatal(s.Error)
		}
		b := downloadExport(t, ctx, dir, "png")
		if err := os.WriteFile(filepath.Join(shotsDir(t), "page-export-epochs-1280x800at2-light.png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	})
}

// tabAt returns a new tab emulating the screen sz.
func tabAt(t *testing.T, sz shotSize) context.Context {
	t.Helper()
	ctx := tab(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(sz.w, sz.h, chromedp.EmulateScale(sz.dpr))); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// errorShots screenshots the error panel at every size: a bad address
// (n=0) in the dark theme, and a file the site lacks (the map view's
// layouts answer 404) in the light one.
func errorShots(t *testing.T, base string) {
	dir := copySite(t)
	if err := os.Remove(filepath.Join(dir, "models", "layouts-mlp-neurons-4.zst")); err != nil {
		t.Fatal(err)
	}
	broken := serve(t, dir)
	for _, sz := range shotSizes {
		t.Run(sz.name, func(t *testing.T) {
			for _, c := range []struct{ name, url string }{
				{"address-dark", base + "?n=0"},
				{"missing-light", broken + "?view=map&theme=light"},
			} {
				ctx := tabAt(t, sz)
				url := c.url
				if sz.embed {
					url += "&embed=1"
				}
				if s := open(t, ctx, url, complete); s.Error == "" {
					t.Fatalf("%s shows no error", url)
				}
				shot(t, ctx, fmt.Sprintf("page-error-%s-%s", c.name, sz.name))
			}
		})
	}
}

// shotAt switches the page's theme, waits until the game laid out and drew
// the screen in it, and screenshots it.
func shotAt(t *testing.T, ctx context.Context, q string, sz shotSize, th string) {
	t.Helper()
	query := q + "&theme=" + th
	js := fmt.Sprintf(`(() => {
		const r = window.annvisApply(%q);
		return r.error || ""; })()`, query)
	wait := fmt.Sprintf(`(() => { const l = JSON.parse(window.annvis.layout || "{}");
		return Math.abs(l.W - %d) <= 1 && l.Theme === %q; })()`, int64(float64(sz.w)*sz.dpr), th)
	d0, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.annvis.draws`))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil || msg != "" {
		t.Fatalf("%s: %v %s", query, err, msg)
	}
	// The frame that lays out the new screen draws it (Update, then Draw).
	wait += fmt.Sprintf(` && window.annvis.draws > %d`, d0)
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](wait, chromedp.WithPollingTimeout(0))); err != nil {
		t.Fatalf("%s at %s: the page did not lay out and draw the new screen: %v", query, sz.name, err)
	}
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	model := cmp.Or(v.Get("model"), "mlp")
	shot(t, ctx, fmt.Sprintf("page-%s-%s-%s-%s", model, v.Get("view"), sz.name, th))
}
