package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"annvis/core/userdata/numpytest"
	"github.com/chromedp/chromedp"
)

// TestYourData opens .npz files written by NumPy through the page's file
// input: a good one reaches progress 1 with its two stages computed in the
// workers; hostile ones, one after the other in one tab, each show the
// reader's message in the error panel.
func TestYourData(t *testing.T) {
	dir := t.TempDir()
	numpytest.Run(t, numpytest.Files, dir)
	base := serve(t, site(t))
	ctx := tab(t)
	open(t, ctx, base+"?perplexity=20", started)
	upload(t, ctx, filepath.Join(dir, "ok.npz"), `window.annvis.data && (window.annvis.error !== "" ||
		(window.annvis.stages === 2 && window.annvis.progress >= 1 && window.annvis.frame > 0))`)
	s := annvis(t, ctx)
	if s.Error != "" || s.Stages != 2 || s.PointsDrawn == 0 {
		t.Fatalf("ok.npz: error %q, %d stages, %d points drawn", s.Error, s.Stages, s.PointsDrawn)
	}
	if hues := countHues(classHues(shot(t, ctx, "data-ok"))); hues < 6 {
		t.Errorf("ok.npz: %d class hues on the page, want the data's 6", hues)
	}
	// Twenty classes, the most: every class in its own hue; the classes
	// key names classes beyond the digits.
	// (The state of ok.npz's view, 600 points, lasts until the game's next update.)
	upload(t, ctx, filepath.Join(dir, "twenty.npz"), `window.annvis.data === "twenty.npz" && (window.annvis.error !== "" ||
		(window.annvis.stages === 2 && window.annvis.progress >= 1 && window.annvis.frame > 0 && window.annvis.pointsDrawn === 1000))`)
	if s := annvis(t, ctx); s.Error != "" || s.PointsDrawn != 1000 {
		t.Fatalf("twenty.npz: error %q, %d points drawn, want 1000", s.Error, s.PointsDrawn)
	}
	if hues := countHues(huesOf(shot(t, ctx, "data-twenty"), 20)); hues < 18 {
		t.Errorf("twenty.npz: %d class hues on the page, want the data's 20", hues)
	}
	applied, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`window.annvisApply("perplexity=20&classes=0,12,19")`))
	if err != nil || applied["error"] != "" {
		t.Fatalf("classes=0,12,19 of twenty classes: %v %v", applied, err)
	}
	wait(t, ctx, `window.annvis.query.includes("classes=0,12,19") && window.annvis.pointsDrawn === 150`)
	applied, err = chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`window.annvisApply("perplexity=20&classes=20")`))
	if want := "params: classes=20: must be a comma-separated list of classes 0-19"; err != nil || applied["error"] != want {
		t.Errorf("classes=20 of twenty classes: %v %v, want %q", applied, err, want)
	}
	// Two files: the compare view shows them side by side.
	if err := chromedp.Do(ctx,
		chromedp.SetUploadFiles(`#data-file`, []string{filepath.Join(dir, "ok.npz"), filepath.Join(dir, "ok2.npz")}),
		chromedp.Poll[chromedp.Void](`window.annvis.data === "ok.npz | ok2.npz"`, chromedp.WithPollingTimeout(0)),
	); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`window.annvisApply("view=compare&perplexity=20")`)); err != nil {
		t.Fatal(err)
	}
	wait(t, ctx, `window.annvis.view === "compare" && (window.annvis.error !== "" || (window.annvis.progress >= 1 && window.annvis.frame > 0))`)
	if s := annvis(t, ctx); s.Error != "" {
		t.Fatalf("compare of two files: %q", s.Error)
	}
	shot(t, ctx, "data-compare")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`window.annvisApply("perplexity=20")`)); err != nil {
		t.Fatal(err)
	}
	wait(t, ctx, `window.annvis.view === "layers"`)
	for _, c := range []struct{ file, want string }{
		{"nan.npz", `userdata: stage "l2": 1 NaN value (first at row 17, column 4)`},
		{"notzip.npz", "userdata: not a .npz file (a zip archive)"},
		{"dtype.npz", `userdata: stage "l1": dtype <i4, want float32 or float64`},
		{"rows.npz", `userdata: stage "l1": 599 rows, labels has 600`},
		{"range.npz", `userdata: array "labels": value 3 at row 3 is not a class 0…2 (class_names has 3)`},
		{"classes.npz", `userdata: array "labels": value 20 at row 20: more than 20 classes`},
		{"wide.npz", `userdata: stage "l1": 4097 columns, want 1…4096`},
		{"rank.npz", `userdata: array "labels": rank 2, want 1 (N integers)`},
		{"inf.npz", `userdata: stage "l2": 1 infinite value (first at row 17, column 4)`},
		{"huge.npz", `userdata: array "labels": 100001 points, at most 10000`},
	} {
		want, _ := json.Marshal(c.want)
		upload(t, ctx, filepath.Join(dir, c.file), fmt.Sprintf(`window.annvis.error.includes(%s)`, want))
		s := annvis(t, ctx)
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("error-text").textContent`))
		if s.ErrorKind != "data" || err != nil || shown != s.Error {
			t.Errorf("%s: kind %q, the error panel shows %q (%v), want %q", c.file, s.ErrorKind, shown, err, s.Error)
		}
	}
	shot(t, ctx, "data-hostile")
}

// upload picks file in the page's file input and waits until the JS
// condition settled holds.
func upload(t *testing.T, ctx context.Context, file, settled string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(`#data-file`, []string{file})); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	wait(t, ctx, settled)
}

// wait waits until the JS condition settled holds. A condition that never
// holds fails the test with the page's state after a bound far beyond any
// view's time (a hang, not a budget: budgets live in benchmarks).
func wait(t testing.TB, ctx context.Context, settled string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](settled, chromedp.WithPollingTimeout(4*time.Minute))); err != nil {
		t.Fatalf("waiting for %s: %v; window.annvis = %+v", settled, err, annvis(t, ctx))
	}
}

// TestPublishedData publishes a NumPy-written data set with cmd/layouts
// -data and opens the published page at ?data=NAME: its layouts show at
// once, precomputed; a name with no file says so in the error panel.
func TestPublishedData(t *testing.T) {
	dir := t.TempDir()
	numpytest.Run(t, numpytest.Files, dir)
	out := filepath.Join(dir, "published")
	cmd := exec.Command("go", "run", "./cmd/layouts", "-data", filepath.Join(dir, "ok.npz"), "-out", out, "-site", site(t))
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cmd/layouts -data: %v\n%s", err, b)
	}
	base := serve(t, out)
	ctx := tab(t)
	s := open(t, ctx, base+"?data=ok", computed)
	if s.Error != "" || !s.Precomputed || s.Stages != 2 || s.Data != "ok" {
		t.Fatalf("?data=ok: error %q precomputed %v stages %d data %q", s.Error, s.Precomputed, s.Stages, s.Data)
	}
	s = open(t, ctx, base+"?data=nothing", computed)
	if !strings.Contains(s.Error, "userdata: fetching data/nothing.npz: HTTP 404") || s.ErrorKind != "data" {
		t.Fatalf("?data=nothing: error %q (%s)", s.Error, s.ErrorKind)
	}
	search, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
	if err != nil {
		t.Fatal(err)
	}
	if search != "?data=nothing" {
		t.Errorf("?data=nothing: the address became %q, want it as typed", search)
	}
}
