package e2e

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"annvis/core/assets"
	"annvis/core/params"
	"annvis/core/pipeline"
	"annvis/core/viewstate"
)

const chromium = "/usr/bin/chromium"

// Viewport of every page: small, because WebGL runs on the CPU (SwiftShader).
const width, height = 640, 480

var (
	browserOnce sync.Once
	browserCtx  context.Context
	browserErr  error
	stopBrowser = func() {}
)

var errNoChromium = errors.New(chromium + " is not installed (scripts/install-deps installs it)")

// tab opens a new tab of the shared headless Chromium.
func tab(t testing.TB) context.Context {
	t.Helper()
	browserOnce.Do(func() { browserCtx, stopBrowser, browserErr = launch(softwareCompositing) })
	return newTab(t, browserCtx, browserErr)
}

// freshTab opens a tab of a Chromium of its own, with an empty cache, as a
// first visit to the page sees it, compositing on the GPU as browsers with
// one do (here SwiftShader, see launch). Calling closeIt stops that
// Chromium (so that it does not compete with the next visit); t's end stops
// it anyway. The benchmarks measure in such tabs.
func freshTab(t testing.TB) (ctx context.Context, closeIt func()) {
	t.Helper()
	ctx, stop, err := launch(gpuCompositing)
	stop = sync.OnceFunc(stop)
	t.Cleanup(stop)
	return newTab(t, ctx, err), stop
}

// noChromium skips the test without Chromium, or fails it when CI=true: a
// CI run that lost its browser must not pass while testing nothing.
func noChromium(t testing.TB) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%v; with CI=true browser tests fail instead of skipping", errNoChromium)
	}
	t.Skip(errNoChromium)
}

// reportMargin is how long before the test binary's deadline (go test
// -timeout) a tab gives up, so that the test reports where it waited.
const reportMargin = 30 * time.Second

// newTab opens a tab in browser, whose launch returned err. The tab has no
// time limit of its own: waits end on the page's state, or at the test
// binary's deadline, whatever the machine's load.
func newTab(t testing.TB, browser context.Context, err error) context.Context {
	t.Helper()
	if errors.Is(err, errNoChromium) {
		noChromium(t)
	}
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatal(err)
	}
	if dt, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if d, ok := dt.Deadline(); ok {
			var cancelT context.CancelFunc
			ctx, cancelT = context.WithDeadline(ctx, d.Add(-reportMargin))
			t.Cleanup(cancelT)
		}
	}
	go logConsole(t, ctx)
	return ctx
}

// Compositing modes of launch.
const (
	// softwareCompositing (--disable-gpu): the compositor draws on the
	// CPU, so the renderer reads every changed WebGL frame back on the
	// page's thread (Commit → GLES2::ReadPixels → CommandBufferHelper::Finish
	// in a Chrome trace), waiting for the GPU process to render it.
	softwareCompositing = true
	// gpuCompositing: the compositor composites on the "GPU" too (here
	// SwiftShader), taking WebGL frames as textures, as a browser with a
	// graphics card does; the page's thread does not wait for the frame.
	gpuCompositing = false
)

// launch starts a headless Chromium with software WebGL (ANGLE on
// SwiftShader) and the compositing mode software (softwareCompositing or
// gpuCompositing).
func launch(software bool) (context.Context, func(), error) {
	if _, err := os.Stat(chromium); err != nil {
		return nil, func() {}, errNoChromium
	}
	dir, err := os.MkdirTemp("", "annvis-chromium-")
	if err != nil {
		return nil, func() {}, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(dir),
		chromedp.NoSandbox, // tests run as root
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("use-angle", "swiftshader"),        // WebGL in software: ANGLE on SwiftShader
		chromedp.Flag("enable-unsafe-swiftshader", true), // opt in (the automatic fallback is deprecated)
		chromedp.WindowSize(width, height),
	)
	if software {
		opts = append(opts, chromedp.DisableGPU)
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	stop := func() { cancelB(); cancelA(); os.RemoveAll(dir) }
	return bctx, stop, chromedp.Do(bctx) // starts the browser; no timeout on this first call
}

// logConsole echoes the page's console into the test log.
func logConsole(t testing.TB, ctx context.Context) {
	for msg, err := range chromedp.Console(ctx) {
		if err != nil {
			return
		}
		if ctx.Err() == nil {
			t.Logf("console %s: %s", msg.Type, msg.Text)
		}
	}
}

// state is what the page publishes in window.annvis.
type state struct {
	Ready        bool    `json:"ready"`
	View         string  `json:"view"`
	Model        string  `json:"model"`
	Stage        int     `json:"stage"`
	Stages       int     `json:"stages"`
	Frame        int     `json:"frame"`
	Progress     float64 `json:"progress"`
	Phase        string  `json:"phase"`
	Error        string  `json:"error"`
	ErrorKind    string  `json:"errorKind"` // "address", "asset", "data", "view" or "crash"
	Data         string  `json:"data"`      // the user's data shown (its file name), or ""
	PointsDrawn  int     `json:"pointsDrawn"`
	Query        string  `json:"query"`
	Precomputed  bool    `json:"precomputed"`
	Epoch        int     `json:"epoch"`    // train view: epochs trained
	Accuracy     float64 `json:"accuracy"` // train view: test accuracy of the latest stage
	LoadedAt     float64 `json:"loadedAt"` // ms after navigation: main.wasm compiled
	MainAt       float64 `json:"mainAt"`   // Go's main started
	ReadyAt      float64 `json:"readyAt"`  // the game's first update
	FirstFrameAt float64 `json:"firstFrameAt"`
	DoneAt       float64 `json:"doneAt"`
	Phases       [][]any `json:"phases"` // [ms after navigation, phase] at each change
	TPS          float64 `json:"tps"`
	FPS          float64 `json:"fps"`
	Workers      int     `json:"workers"`        // computing workers started
	Prepared     int     `json:"stagesPrepared"` // stages of live views prepared by other workers
	Visible      bool    `json:"visible"`        // page.js: the page is seen
	Reports      int     `json:"trainReports"`   // train view: the trainer's reports handed to the view
}

// Conditions open waits for: the view is complete (progress 1 and an
// animated frame) or shows an error; the game started on its view; the
// game fetched every asset of its view and started computing.
const (
	complete = `window.annvis && (window.annvis.error !== "" ||
		(window.annvis.ready && window.annvis.progress >= 1 && window.annvis.frame > 0))`
	started  = `window.annvis && (window.annvis.error !== "" || (window.annvis.ready && window.annvis.view !== ""))`
	computed = `window.annvis && (window.annvis.error !== "" || (window.annvis.ready && window.annvis.progress >= 1))`
	fetched  = `window.annvis && (window.annvis.error !== "" || (window.annvis.ready &&
		window.annvis.progress > 0 && !window.annvis.phase.startsWith("fetching")))`
)

// open loads the page at url, waits until the JS condition settled holds and
// returns the page's state.
func open(t testing.TB, ctx context.Context, url, settled string) state {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(url),
		chromedp.Poll[chromedp.Void](settled, chromedp.WithPollingTimeout(0)),
	); err != nil {
		s, _ := chromedp.Run(ctx, chromedp.Evaluate[state](`window.annvis`))
		t.Fatalf("%s did not settle: %v; window.annvis = %+v", url, err, s)
	}
	return annvis(t, ctx)
}

func annvis(t testing.TB, ctx context.Context) state {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[state](`window.annvis`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// canvasShot hides the page's overlays and screenshots what the game drew.
func canvasShot(t testing.TB, ctx context.Context, name string) image.Image {
	t.Helper()
	const hide = `document.querySelectorAll(".overlay").forEach(e => e.style.visibility = "hidden"), true`
	const show = `document.querySelectorAll(".overlay").forEach(e => e.style.visibility = ""), true`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](hide)); err != nil {
		t.Fatal(err)
	}
	defer chromedp.Run(ctx, chromedp.Evaluate[bool](show))
	return shot(t, ctx, name)
}

// shotsDir is $E2E_SHOTS (created if needed), or the test's temp dir.
func shotsDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("E2E_SHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shot screenshots the page, saves it as name.png under $E2E_SHOTS (or the
// test's temp dir) and decodes it.
func shot(t testing.TB, ctx context.Context, name string) image.Image {
	t.Helper()
	b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(shotsDir(t), name+".png")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot %s: %v", p, err)
	}
	t.Logf("screenshot %s", p)
	return img
}

// shippedViews returns every view of both networks whose layouts the site
// ships precomputed (pipeline.Shipped and the views sharing them, if the
// site's manifest lists their file), the default view first.
func shippedViews(t testing.TB) []params.Params {
	m, err := assets.ReadManifest(filepath.Join(site(t), "models"))
	if err != nil {
		t.Fatal(err)
	}
	var views []params.Params
	for _, net := range []string{"mlp", "cnn"} {
		for _, p := range pipeline.Shipped(net) {
			if file, _ := viewstate.LayoutsFile(p); !slices.ContainsFunc(m.Assets, func(a assets.Asset) bool { return a.File == file }) {
				t.Logf("%s is not shipped: the %s view of %s layer %d is computed live", file, p.View, net, p.Layer)
				continue
			}
			views = append(views, pipeline.Sharing(p)...)
		}
	}
	return views
}
