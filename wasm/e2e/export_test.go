package e2e

import (
	"bytes"
	"context"
	"image"
	"image/draw"
	"image/gif"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// TestExport clicks the page's PNG button and presses its GIF key (G) and
// reads back the files the browser downloaded.
func TestExport(t *testing.T) {
	ctx := tab(t)
	dir := allowDownloads(t, ctx)
	if s := open(t, ctx, serve(t, site(t)), complete); s.Error != "" {
		t.Fatalf("default view: %s", s.Error)
	}

	b := downloadExport(t, ctx, dir, "png")
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("exported PNG: %v", err)
	}
	if got := img.Bounds().Size(); got.X != width || got.Y != height {
		t.Errorf("exported PNG is %v, want %dx%d", got, width, height)
	}
	if hues := countHues(classHues(img)); hues < minHues {
		t.Errorf("exported PNG shows %d class hues, want ≥ %d", hues, minHues)
	}

	b = downloadExport(t, ctx, dir, "gif")
	g, err := gif.DecodeAll(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("exported GIF: %v", err)
	}
	// One pass through the 4 layers at the default pace (1 s on each stage,
	// 1.5 s between stages), 10 frames a second; resting frames merge.
	cs := 0
	for _, d := range g.Delay {
		cs += d
	}
	if len(g.Image) > 85 || len(g.Image) < 30 || cs < 800 || cs > 900 {
		t.Errorf("exported GIF has %d frames lasting %d hundredths of a second, want 30 to 85 over one pass of 8.5 s", len(g.Image), cs)
	}
	if first, last := composed(g, 1), composed(g, len(g.Image)); bytes.Equal(first.Pix, last.Pix) {
		t.Error("the GIF's first and last frames are identical: nothing moves")
	}
	if s := annvis(t, ctx); s.Error != "" {
		t.Errorf("after the exports: error %q", s.Error)
	}
}

// allowDownloads makes the browser save downloads into a new directory,
// which it returns, and report their progress.
func allowDownloads(t *testing.T, ctx context.Context) string {
	t.Helper()
	dir := t.TempDir()
	events := true
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &events,
		})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	return dir
}

// composed returns what the GIF g shows after its first k frames: frames
// after the first hold only what changed, unchanged pixels transparent.
func composed(g *gif.GIF, k int) *image.RGBA {
	img := image.NewRGBA(g.Image[0].Bounds())
	for _, f := range g.Image[:k] {
		draw.Draw(img, f.Bounds(), f, f.Bounds().Min, draw.Over)
	}
	return img
}

// downloadExport asks for an export of kind (png, zst: clicks the button,
// gif: types G on the focused canvas) and returns the file the browser saved
// into dir.
func downloadExport(t *testing.T, ctx context.Context, dir, kind string) []byte {
	t.Helper()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	if kind == "gif" {
		typeKey(t, ctx, "g")
	} else if err := chromedp.Do(ctx, chromedp.Click(`#controls .export[value=`+kind+`]`)); err != nil {
		t.Fatal(err)
	}
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("waiting for the %s download: %v; window.annvis = %+v", kind, err, annvis(t, ctx))
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatalf("the %s download was cancelled", kind)
		}
		if ev.State != browser.DownloadProgressStateCompleted {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(shotsDir(t), "export."+kind), b, 0o644)
		return b
	}
	t.Fatalf("no %s download", kind)
	return nil
}
