package e2e

import (
	"context"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"annvis/core/assets"
	"annvis/core/params"
	"annvis/core/pipeline"
	"annvis/core/viewstate"
)

func TestMain(m *testing.M) {
	code := m.Run()
	stopBrowser()
	if built != "" {
		os.RemoveAll(filepath.Dir(built))
	}
	os.Exit(code)
}

// minHues is how many class hues a screenshot of a digit view must show, and
// minPixels how many pixels make a hue count.
const minHues, minPixels = 8, 20

func TestLayersViewCompletes(t *testing.T) {
	ctx := tab(t)
	s := open(t, ctx, serve(t, site(t)), complete)
	t.Logf("window.annvis = %+v", s)
	if s.Error != "" {
		t.Fatalf("default view: error %q", s.Error)
	}
	if s.View != "layers" || s.Model != "mlp" || s.Progress != 1 || s.Stages != 4 {
		t.Errorf("default view: view %q model %q progress %v stages %d; want layers, mlp, 1, 4", s.View, s.Model, s.Progress, s.Stages)
	}
	if s.PointsDrawn == 0 {
		t.Error("default view drew no points")
	}
	if s.Workers < 1 {
		t.Error("no computing worker was started: the page computed on its own thread")
	}
	if !s.Precomputed {
		t.Error("default view was computed live, not from the shipped layouts (models/layouts-mlp.zst; make models)")
	}
	onlyAssetsOf(t, ctx, "mlp")
	if !hasPhase(s, regexp.MustCompile(`^downloading main\.wasm [0-9.]+ / [0-9.]+ MB$`)) || !hasPhase(s, regexp.MustCompile(`^starting$`)) {
		t.Errorf("the page did not show the wasm download with its size, then start: phases %v", s.Phases)
	}
	img := canvasShot(t, ctx, "layers")
	counts := classHues(img)
	hues := countHues(counts)
	t.Logf("pixels per class hue: %v", counts)
	if hues < minHues {
		t.Errorf("screenshot shows %d class hues (≥ %d pixels each), want ≥ %d", hues, minPixels, minHues)
	}
	if later := annvis(t, ctx); later.Frame <= s.Frame {
		t.Errorf("frame %d then %d: the animation does not advance", s.Frame, later.Frame)
	}
}

func TestURLParamsApplied(t *testing.T) {
	base := serve(t, site(t))
	for _, tc := range []struct {
		query, view, model, canonical string
		embed                         bool
	}{
		{"?model=cnn&view=epochs", "epochs", "cnn", "?model=cnn&view=epochs", false},
		{"?embed=1&layer=2&model=mlp&view=epochs", "epochs", "mlp", "?view=epochs&layer=2&embed=1", true},
	} {
		t.Run(tc.query, func(t *testing.T) {
			ctx := tab(t)
			s := open(t, ctx, base+tc.query, fetched)
			if s.Error != "" || s.View != tc.view || s.Model != tc.model {
				t.Fatalf("%s: window.annvis = %+v; want view %q model %q and no error", tc.query, s, tc.view, tc.model)
			}
			search, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
			if err != nil {
				t.Fatal(err)
			}
			if search != tc.canonical {
				t.Errorf("location.search = %q, want the canonical %q", search, tc.canonical)
			}
			onlyAssetsOf(t, ctx, tc.model)
			title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`))
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.ToUpper(tc.model) + ", " + tc.view + " view"; !strings.HasSuffix(title, want) {
				t.Errorf("title %q, want it to end with %q", title, want)
			}
			barShown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.getElementById("bar").hidden`))
			if err != nil {
				t.Fatal(err)
			}
			if barShown == tc.embed {
				t.Errorf("%s: controls bar shown = %v, want %v", tc.query, barShown, !tc.embed)
			}
			shot(t, ctx, "params-"+tc.model+"-"+tc.view)
		})
	}
}

func TestBadParamShowsError(t *testing.T) {
	base := serve(t, site(t))
	for _, tc := range []struct{ query, want string }{
		{"?n=-5", "params: n=-5: must be between 100 and 10000"},
		{"?model=nope", "params: model=nope: must be one of mlp, cnn, both"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			ctx := tab(t)
			s := open(t, ctx, base+tc.query, complete)
			if s.Error != tc.want {
				t.Errorf("window.annvis.error = %q, want %q", s.Error, tc.want)
			}
			expectErrorPanel(t, ctx, regexp.MustCompile(regexp.QuoteMeta(tc.want)), "bad-param-"+strings.Split(tc.query[1:], "=")[0], false)
		})
	}
}

func TestCorruptAssetShowsError(t *testing.T) {
	for _, tc := range []struct {
		name     string
		manifest bool // update the manifest to the tampered files, so that they reach their decoder
		want     *regexp.Regexp
	}{
		{"checksum", false, regexp.MustCompile(`^pipeline: [a-z0-9-]+\.zst: integrity check failed: SHA-256 [0-9a-f]{12}…, manifest\.json says [0-9a-f]{12}…\. The file is not`)},
		{"decode", true, regexp.MustCompile(`^pipeline: [a-z0-9-]+\.zst: (decompression|format) check failed: \S`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copySite(t)
			tamper(t, filepath.Join(dir, "models"), tc.manifest)
			ctx := tab(t)
			s := open(t, ctx, serve(t, dir), complete)
			if !tc.want.MatchString(s.Error) || (tc.manifest && strings.Contains(s.Error, "SHA-256")) {
				t.Errorf("window.annvis.error = %q, want %v", s.Error, tc.want)
			}
			expectErrorPanel(t, ctx, tc.want, "corrupt-"+tc.name, true)
		})
	}
}

// tamper flips 16 bytes in the middle of every asset in dir, keeping their
// sizes, and if manifest is set records their new SHA-256 in the manifest.
func tamper(t *testing.T, dir string, manifest bool) {
	t.Helper()
	m, err := assets.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range m.Assets {
		p := filepath.Join(dir, a.File)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := len(b) / 2; i < len(b)/2+16 && i < len(b); i++ {
			b[i] ^= 0x5a
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if manifest {
			relist(t, dir, a.File, b)
		}
	}
}

// relist records the size and SHA-256 of b, the new contents of file, in
// dir/manifest.json, keeping the rest of its entry: a tampering whose
// hashes match, so that the file reaches its decompressor and decoder.
func relist(t *testing.T, dir, file string, b []byte) {
	t.Helper()
	m, err := assets.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, ok := m.Find(file)
	if !ok {
		t.Fatalf("%s is not in the manifest", file)
	}
	a.Bytes, a.SHA256 = int64(len(b)), assets.Hash(b)
	if err := m.Upsert(a); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, assets.ManifestFile), m.Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestMissingAssetShowsError(t *testing.T) {
	dir := copySite(t)
	assets, err := filepath.Glob(filepath.Join(dir, "models", "*.zst"))
	if err != nil || len(assets) == 0 {
		t.Fatalf("no assets in the built site: %v", err)
	}
	for _, p := range assets {
		os.Remove(p)
	}
	ctx := tab(t)
	s := open(t, ctx, serve(t, dir), complete)
	want := regexp.MustCompile(`fetching models/[a-z0-9-]+\.zst: HTTP 404`)
	if !want.MatchString(s.Error) {
		t.Errorf("window.annvis.error = %q, want %v", s.Error, want)
	}
	expectErrorPanel(t, ctx, want, "missing-asset", true)
}

// truncate keeps the first third of the site's file name.
func truncate(t *testing.T, dir, name string) {
	t.Helper()
	file := filepath.Join(dir, name)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b[:len(b)/3], 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBrokenWasmShowsError(t *testing.T) {
	dir := copySite(t)
	truncate(t, dir, "main.wasm")
	ctx := tab(t)
	s := open(t, ctx, serve(t, dir), complete)
	if !strings.HasPrefix(s.Error, "loading main.wasm: ") {
		t.Errorf("window.annvis.error = %q, want it to start with %q", s.Error, "loading main.wasm: ")
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`#error`)); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "broken-wasm")
}

// onlyAssetsOf checks that the page fetched no asset of the other network
// than net: only the assets a view needs are fetched.
func onlyAssetsOf(t *testing.T, ctx context.Context, net string) {
	t.Helper()
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`performance.getEntriesByType("resource")
		.map(e => e.name).filter(n => n.includes("/models/")).map(n => n.replace(/.*\/models\//, ""))`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(names, "manifest.json") {
		t.Fatalf("the page fetched no models/manifest.json (fetched: %v)", names)
	}
	other := map[string]string{"mlp": "cnn", "cnn": "mlp"}[net]
	for _, n := range names {
		if strings.HasPrefix(n, other+"-") || strings.HasPrefix(n, "layouts-"+other) {
			t.Errorf("a %s view fetched models/%s (fetched: %v)", net, n, names)
		}
	}
}

// hasPhase reports whether the page showed a phase matching re.
func hasPhase(s state, re *regexp.Regexp) bool {
	for _, p := range s.Phases {
		if len(p) == 2 && re.MatchString(fmt.Sprint(p[1])) {
			return true
		}
	}
	return false
}

// expectErrorPanel checks that the page's error panel is visible and shows
// a message matching want, and, if the view's frame was drawn (an asset
// failed, not the address), that the game's canvas is not blank under it.
// The canvas never repeats the message: the panel is the one place for it.
func expectErrorPanel(t *testing.T, ctx context.Context, want *regexp.Regexp, name string, framed bool) {
	t.Helper()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`document.getElementById("error").hidden ? "(hidden)" : document.getElementById("error-text").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if !want.MatchString(text) {
		t.Errorf("error panel shows %q, want %v", text, want)
	}
	shot(t, ctx, name)
	if n := distinctColors(canvasShot(t, ctx, name+"-canvas")); framed && n < 3 {
		t.Errorf("canvas under the error is blank: %d colours", n)
	}
}

func TestClassOf(t *testing.T) {
	for _, tc := range []struct {
		r, g, b uint8
		want    int
	}{
		{0xe6, 0x9f, 0x00, 0},
		{0x56 / 2, 0xb4 / 2, 0xe9 / 2, 1},
		{0x99, 0x77, 0xff, 9},
		{0xbb, 0xbb, 0xbb, 7},
		{0x16, 0x18, 0x1d, -1}, // the background
		{0xff, 0x00, 0xff, -1},
	} {
		got, _ := classOf(rgb(tc.r, tc.g, tc.b), 0.3, 6)
		if got != tc.want {
			t.Errorf("classOf(#%02x%02x%02x) = %d, want %d", tc.r, tc.g, tc.b, got, tc.want)
		}
	}
}

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 0xff} }

func TestSettingsForm(t *testing.T) {
	ctx := tab(t)
	base := serve(t, site(t))
	if s := open(t, ctx, base, started); s.Error != "" {
		t.Fatalf("default view: %q", s.Error)
	}
	const submit = `(() => {
		document.getElementById("more").open = true;
		const f = document.getElementById("controls").elements;
		f.n.value = %q; f.seed.value = %q;
		document.querySelector("#controls button[type=submit]").click();
		return document.getElementById("form-error").textContent;
	})()`
	msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(submit, "-5", "0")))
	if err != nil {
		t.Fatal(err)
	}
	if want := "params: n=-5: must be between 100 and 10000"; msg != want {
		t.Errorf("form with n=-5 shows %q, want %q", msg, want)
	}
	shot(t, ctx, "form-error")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.sameDocument = true, ""`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(submit, "1000", "5"))); err != nil {
		t.Fatal(err)
	}
	const applied = `window.annvis.query === "n=1000&seed=5" && location.search === "?n=1000&seed=5"`
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](applied)); err != nil {
		t.Fatalf("n=1000&seed=5 was not applied: %v; window.annvis = %+v", err, annvis(t, ctx))
	}
	same, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.sameDocument === true`))
	if err != nil || !same {
		t.Errorf("applying n=1000&seed=5 reloaded the page (%v); the game should switch in place", err)
	}
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](complete, chromedp.WithPollingTimeout(0))); err != nil {
		t.Fatalf("the live view did not complete: %v; window.annvis = %+v", err, annvis(t, ctx))
	}
	s := annvis(t, ctx)
	if s.Error != "" || s.Precomputed || s.Stages != 4 {
		t.Errorf("live view n=1000 seed=5: error %q, precomputed %v, %d stages; want no error, computed live, 4 stages", s.Error, s.Precomputed, s.Stages)
	}
	t.Logf("live view n=1000 seed=5 complete: %+v", s)
	shot(t, ctx, "live-n1000-seed5")
}

// TestEveryView opens each view of the page: it must compute to progress 1
// without an error and draw a non-blank canvas with the class hues (the
// neuron views colour by importance: they need only be non-blank).
func TestEveryView(t *testing.T) {
	base := serve(t, site(t))
	for _, tc := range []struct {
		query string
		hues  bool
	}{
		{"?view=trace", true},
		{"?view=bundled", true},
		{"?view=neurons", false},
		{"?view=map", true},
		{"?view=compare&model=both", true},
	} {
		t.Run(tc.query, func(t *testing.T) {
			ctx := tab(t)
			start := time.Now()
			s := open(t, ctx, base+tc.query, computed)
			t.Logf("%s: %+v after %v", tc.query, s, time.Since(start).Round(time.Millisecond))
			if s.Error != "" || s.Progress < 1 {
				t.Fatalf("%s: error %q, progress %v", tc.query, s.Error, s.Progress)
			}
			img := canvasShot(t, ctx, "view-"+strings.NewReplacer("?", "", "=", "-", "&", "_").Replace(tc.query))
			if n := distinctColors(img); n < 20 {
				t.Errorf("%s: canvas has %d colours: blank", tc.query, n)
			}
			if hues := countHues(classHues(img)); tc.hues && hues < minHues {
				t.Errorf("%s: %d class hues, want ≥ %d", tc.query, hues, minHues)
			}
		})
	}
}

// TestURLFollowsTheGame changes the view with the game's own keys and
// checks that the address bar follows, without a reload.
func TestURLFollowsTheGame(t *testing.T) {
	ctx := tab(t)
	if s := open(t, ctx, serve(t, site(t))+"?seed=3", started); s.Error != "" {
		t.Fatalf("?seed=3: %s", s.Error)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.sameDocument = true`)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ key, search string }{
		{"m", "?model=cnn&seed=3"},
		{"3", "?model=cnn&seed=3&classes=0,1,2,4,5,6,7,8,9"},
	} {
		typeKey(t, ctx, tc.key)
		follows := fmt.Sprintf(`location.search === %q && window.sameDocument === true`, tc.search)
		if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](follows, chromedp.WithPollingTimeout(3*time.Minute))); err != nil {
			search, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
			t.Fatalf("after key %q the address is %q, want %q (%v); window.annvis = %+v", tc.key, search, tc.search, err, annvis(t, ctx))
		}
	}
}

// pressHold is how long a key or a press is held once the game ticked.
const pressHold = 100 * time.Millisecond

// typeKey types key into the canvas and holds it down until the game has
// ticked: Ebiten reads keys once a tick, and a key released before the next
// tick (chromedp.KeyEvent sends both at once) is never seen. The key's
// event itself makes the page tick (it runs frames on demand), and a key
// held pressHold longer is seen whatever ticked between.
func typeKey(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Focus(`body > canvas`)); err != nil {
		t.Fatal(err)
	}
	f, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.annvis.ticks || 0`))
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range kb.Encode([]rune(key)[0]) {
		if ev.Type == input.DispatchKeyEventTypeKeyUp {
			// The key's event made the game tick, maybe already: a key
			// that pauses the animation leaves no tick after its own.
			if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](fmt.Sprintf(`window.annvis.ticks > %d`, f), chromedp.WithPollingTimeout(3*time.Minute))); err != nil {
				t.Fatalf("key %q: the game did not tick while it was down: %v", key, err)
			}
			time.Sleep(pressHold)
		}
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, *ev); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBrokenWorkerShowsError checks that a computing worker that cannot
// start (a truncated worker.wasm) says so on the page.
func TestBrokenWorkerShowsError(t *testing.T) {
	dir := copySite(t)
	truncate(t, dir, "worker.wasm")
	ctx := tab(t)
	s := open(t, ctx, serve(t, dir), complete)
	want := regexp.MustCompile(`^loading worker\.wasm: \S`)
	if !want.MatchString(s.Error) {
		t.Errorf("window.annvis.error = %q, want %v", s.Error, want)
	}
	expectErrorPanel(t, ctx, want, "broken-worker", true)
}

// TestShippedViews opens every shipped view of both networks, one after the
// other in one tab: each must take its layouts from the shipped assets
// (window.annvis.precomputed), reach progress 1 and animate without an error,
// fetching nothing of the other network; page.js must have prefetched the
// view's layouts with the manifest and the test set, and nothing else.
func TestShippedViews(t *testing.T) {
	base := serve(t, site(t))
	ctx := tab(t)
	for _, p := range shippedViews(t) {
		query := "?" + p.Encode()
		start := time.Now()
		s := open(t, ctx, base+query, complete)
		t.Logf("%-40s %v: %s, %d stages, frame %d", query, time.Since(start).Round(time.Millisecond), s.Phase, s.Stages, s.Frame)
		if s.Error != "" || !s.Precomputed || s.Progress != 1 || s.View != p.View || s.Model != p.Model {
			t.Errorf("%s: view %s of %s, error %q, precomputed %v, progress %v; want the view from shipped layouts, complete",
				query, s.View, s.Model, s.Error, s.Precomputed, s.Progress)
		}
		onlyAssetsOf(t, ctx, p.Model)
		prefetchedShipped(t, ctx, p)
	}
}

// prefetchedShipped checks that page.js prefetched the layouts of the
// shipped view p (and its bundled trails in the bundled view) with the
// manifest and the test set while main.wasm loaded, and nothing else.
func prefetchedShipped(t *testing.T, ctx context.Context, p params.Params) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Object.keys(window.annvisPrefetched).sort()`))
	if err != nil {
		t.Fatal(err)
	}
	file, _ := viewstate.LayoutsFile(p)
	want := []string{"manifest.json", pipeline.TestSetFile, file}
	if p.View == "bundled" {
		want = append(want, pipeline.BundlesFile(file))
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("?%s: page.js prefetched %v, want %v", p.Encode(), got, want)
	}
}
