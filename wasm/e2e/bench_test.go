package e2e

import (
	"cmp"
	"context"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"annvis/core/assets"
	"annvis/core/params"
	"annvis/core/viewstate"
)

// The page's budgets (DESIGN.md §4); bench/page.sh prints the figures against them.
//
//	go test -run '^$' -bench . -benchtime 1x ./wasm/e2e

// firstViews is how many cold first visits of the default view
// BenchmarkFirstView takes the median of, and coldVisits how many of every
// other shipped view.
const firstViews, coldVisits = 5, 3

// BenchmarkFirstView opens every shipped view of both networks (default
// parameters, layouts precomputed by cmd/layouts), each in a Chromium of its
// own with an empty cache that is closed before the next visit, and logs per
// view the median time from navigation to the first animated frame (one
// visit if the view was computed live). For the default view it reports the
// timeline of the first frame and the bytes downloaded until the view is
// complete, compressed as sent and decoded; for all views the slowest median
// and how many were precomputed.
//
// FIRST_VIEWS=regexp visits only the views whose URL query it matches (the
// default view's query is empty: '^$|view=bundled') and logs each one's
// timeline (logMarks) after its last visit.
func BenchmarkFirstView(b *testing.B) {
	base := serve(b, site(b))
	var slowest, precomputed float64
	views, timelines := firstViewsAsked(b)
	for _, p := range views {
		visits, isDefault := coldVisits, p.Encode() == ""
		if isDefault {
			visits = firstViews
		}
		first, s := firstFrames(b, base, p, visits, isDefault, timelines)
		slowest = max(slowest, first)
		precomputed += boolMetric(s.Precomputed)
	}
	b.ReportMetric(slowest, "slowest-first-frame-ms")
	b.ReportMetric(precomputed, "views-precomputed")
	b.ReportMetric(float64(len(views)), "views")
}

// firstViewsAsked returns the shipped views BenchmarkFirstView visits (the
// default view first), those FIRST_VIEWS matches if it is set, and whether
// it was (then each view's timeline is logged).
func firstViewsAsked(b *testing.B) ([]params.Params, bool) {
	views := shippedViews(b)
	expr := os.Getenv("FIRST_VIEWS")
	if expr == "" {
		return views, false
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		b.Fatalf("FIRST_VIEWS: %v", err)
	}
	views = slices.DeleteFunc(views, func(p params.Params) bool { return !re.MatchString(p.Encode()) })
	if len(views) == 0 {
		b.Fatalf("FIRST_VIEWS=%s matches no shipped view", expr)
	}
	return views, true
}

// firstFrames visits the view p visits times, each in a fresh Chromium
// closed before the next, logs the times to the first animated frame and
// returns their median and the last visit's state. With report (the
// default view), it also reports the timeline and the download; with
// timeline, it logs the last visit's timeline (logMarks).
func firstFrames(b *testing.B, base string, p params.Params, visits int, report, timeline bool) (float64, state) {
	var firsts, loads, mains, readies []float64
	var s state
	var dl download
	query := "?" + p.Encode()
	for range visits {
		ctx, closeIt := freshTab(b)
		s = open(b, ctx, base+query, complete)
		if s.Error != "" {
			b.Fatalf("%s: %s", query, s.Error)
		}
		firsts = append(firsts, s.FirstFrameAt)
		loads = append(loads, s.LoadedAt)
		mains = append(mains, s.MainAt)
		readies = append(readies, s.ReadyAt)
		dl = downloads(b, ctx, !report)
		if timeline && (len(firsts) == visits || !s.Precomputed) {
			b.Logf("timeline of %s:", query)
			logMarks(b, ctx)
		}
		closeIt()
		if !s.Precomputed {
			break // the view was computed live: one visit tells enough
		}
	}
	first := median(firsts)
	b.Logf("view %s: first animated frame %.0f ms (median of %v), precomputed %v, %.2f MB sent",
		query, first, firsts, s.Precomputed, float64(dl.encoded)/1e6)
	if !report {
		return first, s
	}
	b.Logf("first animated frame after %v ms (main.wasm compiled after %v ms, Go's main after %v ms, game's first update after %v ms); precomputed layouts: %v",
		firsts, loads, mains, readies, s.Precomputed)
	b.Logf("phases of the last visit (ms after navigation, phase): %v", s.Phases)
	b.ReportMetric(first, "first-frame-ms")
	b.ReportMetric(median(loads), "wasm-loaded-ms")
	b.ReportMetric(median(mains), "go-main-ms")
	b.ReportMetric(median(readies), "game-ready-ms")
	b.ReportMetric(float64(dl.encoded)/1e6, "first-view-MB")
	b.ReportMetric(float64(dl.encoded+finalCheckpoints(b, dl))/1e6, "first-view-with-checkpoints-MB")
	b.ReportMetric(float64(dl.decoded)/1e6, "first-view-raw-MB")
	b.ReportMetric(boolMetric(s.Precomputed), "precomputed")
	return first, s
}

// BenchmarkLiveLayers opens the MLP layers view with a non-default seed, so
// that every layer is projected live in the page (in its computing
// workers), and reports its figures (liveView).
func BenchmarkLiveLayers(b *testing.B) {
	liveView(b, "seed=1&n=2000", "layers", 4)
}

// BenchmarkLiveNeurons opens the MLP neurons view (its last hidden layer,
// before and after training) with a non-default seed, so that both stages
// are analysed live (MDS, ExtraTrees), and reports its figures (liveView).
func BenchmarkLiveNeurons(b *testing.B) {
	liveView(b, "view=neurons&seed=1", "neurons", 2)
}

// BenchmarkLiveEpochs opens the MLP epochs view of its last hidden layer
// with a non-default seed: one joint t-SNE of its 8 checkpoints × 2000
// digits computed live; it reports its figures (liveView).
func BenchmarkLiveEpochs(b *testing.B) {
	liveView(b, "view=epochs&layer=4&seed=1&n=2000", "epochs", 8)
}

// BenchmarkLiveTenThousand opens the MLP layers view of 10000 digits, whose
// four layers are projected live, and reports its figures (liveView).
func BenchmarkLiveTenThousand(b *testing.B) {
	liveView(b, "n=10000", "layers", 4)
}

// liveView opens the MLP view of the URL query, which must be computed live
// (no shipped layouts), with its default sequence method (chained layers,
// joint epochs) and the given number of stages, in a Chromium of its own,
// and reports the time from navigation to the complete view, the main
// thread's long tasks while it computed (and, from a Chrome trace, the
// thread's CPU time in its tasks: its own work, whatever the machine's
// load), its frame rate while computing against the rate of the same
// animation once computed, and the CPU time of the browser's threads.
func liveView(b *testing.B, query, view string, stages int) {
	p, err := params.Parse(query)
	if err != nil {
		b.Fatal(err)
	}
	if _, shipped := viewstate.LayoutsFile(p); shipped || p.Model != "mlp" || p.View != view || p.Method != "" {
		b.Fatalf("%s: not a live MLP %s view with its default method", query, view)
	}
	if p.View != "neurons" {
		b.Logf("live view %s: the %s sequence, method %s", query, viewstate.Sequence(p), viewstate.Method(p))
	}
	ctx, closeIt := freshTab(b)
	defer closeIt()
	watchMainThread(b, ctx)
	url := serve(b, site(b)) + "?" + query
	stopTrace := tracePage(b, ctx, url)
	before := chromiumCPU(b, ctx)
	s := open(b, ctx, url, complete)
	cpu := chromiumCPU(b, ctx).since(before)
	if s.Error != "" || s.Precomputed || s.Model != "mlp" || s.View != view || s.Stages != stages {
		b.Fatalf("live MLP %s view of %d stages: %+v", view, stages, s)
	}
	time.Sleep(idleWindow + time.Second) // the animation runs on, nothing left to compute
	m := mainThread(b, ctx, s.ReadyAt, s.DoneAt)
	th := stopTrace()
	logMarks(b, ctx)
	logWorkerTimeline(b, th, s.DoneAt)
	logLiveView(b, s, m, th, cpu)
	reportLiveView(b, s, m, th, cpu)
}

// logLiveView logs (with -v) the figures of a live view.
func logLiveView(b *testing.B, s state, m mainThreadFigures, th pageThreads, cpu cpuFigures) {
	cpuOver50, cpuLongest, cpuTotal := taskCPU(th.main, s.ReadyAt, s.DoneAt)
	busiest, workers := cpu.busiest()
	traceBusiest, traceWorkers := workerCPU(th, 0, s.DoneAt)
	b.Logf("live view: done after %.0f ms; game's first update after %.0f ms; %d workers, %d stages prepared by another; %.0f TPS, %.0f FPS at the end",
		s.DoneAt, s.ReadyAt, s.Workers, s.Prepared, s.TPS, s.FPS)
	b.Logf("live view main thread: %d long tasks while computing (%d over 50 ms, longest %.0f ms, %.0f ms in all; the longest at %v ms after navigation); %.1f frames/s computing, %.1f frames/s idle after",
		m.Tasks, m.Over50, m.Longest, m.Total, m.LongestAt, m.BusyFPS, m.IdleFPS)
	b.Logf("live view main thread's CPU time while computing (Chrome trace): %d tasks used over 50 ms, the most %.0f ms; %.0f ms in all (%.0f ms a second)",
		cpuOver50, cpuLongest, cpuTotal, cpuTotal/((s.DoneAt-s.ReadyAt)/1000))
	b.Logf("live view workers' CPU time until done (the kernel's count, /proc): %.0f ms in %d workers (%.0f), %.0f ms in the busiest (the view's: a lower bound of its wall time, met when nothing else wants its core)",
		workers, len(cpu.workers), cpu.workers, busiest)
	b.Logf("live view: the other threads' CPU time until done (/proc): page's main thread %.0f ms, its other threads %.0f ms, GPU process (SwiftShader) %.0f ms, other processes %.0f ms; in %.0f ms of wall time on %d cores",
		cpu.main, cpu.renderer, cpu.gpu, cpu.other, s.DoneAt, runtime.NumCPU())
	b.Logf("live view workers' CPU time until done as the Chrome trace counts it (its tasks miss part of the workers' time): %.0f ms in %d workers, %.0f ms in the busiest",
		traceWorkers, len(th.workers), traceBusiest)
	b.Logf("live view main thread at start-up (until the game's first update: Go's initialisation, the WebGL context, shaders): longest task %.0f ms", m.Startup)
}

// reportLiveView reports the metrics of a live view that bench/page.sh prints.
func reportLiveView(b *testing.B, s state, m mainThreadFigures, th pageThreads, cpu cpuFigures) {
	cpuOver50, cpuLongest, _ := taskCPU(th.main, s.ReadyAt, s.DoneAt)
	busiest, workers := cpu.busiest()
	b.ReportMetric(s.DoneAt, "live-done-ms")
	b.ReportMetric(s.DoneAt-s.ReadyAt, "live-compute-ms")
	b.ReportMetric(s.FirstFrameAt, "live-first-frame-ms")
	b.ReportMetric(float64(m.Over50), "longtasks-over-50ms")
	b.ReportMetric(m.Longest, "longest-task-ms")
	b.ReportMetric(float64(cpuOver50), "longtasks-over-50ms-cpu")
	b.ReportMetric(cpuLongest, "longest-task-cpu-ms")
	b.ReportMetric(busiest, "busiest-worker-cpu-ms")
	b.ReportMetric(workers, "workers-cpu-ms")
	b.ReportMetric(cpu.gpu, "gpu-process-cpu-ms")
	b.ReportMetric(cpu.main, "main-thread-cpu-ms")
	b.ReportMetric(cpu.renderer, "renderer-other-cpu-ms")
	b.ReportMetric(cpu.other, "other-processes-cpu-ms")
	b.ReportMetric(m.Startup, "startup-longest-task-ms")
	b.ReportMetric(m.BusyFPS/m.IdleFPS, "fps-busy-over-idle")
}

// idleWindow is how long after a view completes its idle frame rate is
// measured.
const idleWindow = 4 * time.Second

// watchMainThread makes every page of ctx record, from its first script on,
// the main thread's long tasks (PerformanceObserver "longtask") and the
// time of every animation frame, in window.annvisPerf.
func watchMainThread(b testing.TB, ctx context.Context) {
	const script = `window.annvisPerf = { tasks: [], frames: [] };
new PerformanceObserver((l) => { for (const e of l.getEntries()) annvisPerf.tasks.push([e.startTime, e.duration]); })
  .observe({ type: "longtask", buffered: true });
(function frame(t) { annvisPerf.frames.push(t); requestAnimationFrame(frame); })(0);`
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
	if err != nil {
		b.Fatal(err)
	}
}

// mainThreadFigures are the main thread's long tasks between two moments
// and its frame rates then and in the idleWindow after the second.
type mainThreadFigures struct {
	Tasks, Over50    int
	Longest, Total   float64   // ms
	LongestAt        []float64 // when the five longest began, ms after navigation
	Startup          float64   // the longest task begun before from, ms
	BusyFPS, IdleFPS float64
}

// mainThread reads window.annvisPerf: long tasks begun from ms from to to
// (performance.now()) and the longest begun before, frames from from to to
// and in the idleWindow a second after to.
func mainThread(b *testing.B, ctx context.Context, from, to float64) mainThreadFigures {
	type perf struct {
		Tasks  [][2]float64 `json:"tasks"`
		Frames []float64    `json:"frames"`
	}
	p, err := chromedp.Run(ctx, chromedp.Evaluate[perf](`window.annvisPerf`))
	if err != nil {
		b.Fatal(err)
	}
	var m mainThreadFigures
	var during [][2]float64
	for _, t := range p.Tasks {
		switch {
		case t[0] < from:
			m.Startup = max(m.Startup, t[1])
		case t[0] <= to:
			during = append(during, t)
			m.Tasks++
			m.Total += t[1]
			m.Longest = max(m.Longest, t[1])
			if t[1] > 50 {
				m.Over50++
			}
		}
	}
	slices.SortFunc(during, func(a, b [2]float64) int { return cmp.Compare(b[1], a[1]) })
	for _, t := range during[:min(5, len(during))] {
		m.LongestAt = append(m.LongestAt, math.Round(t[0]))
	}
	idleFrom, idleTo := to+1000, to+1000+float64(idleWindow.Milliseconds())
	busy, idle := 0, 0
	for _, f := range p.Frames {
		switch {
		case f >= from && f <= to:
			busy++
		case f >= idleFrom && f <= idleTo:
			idle++
		}
	}
	m.BusyFPS = float64(busy) / ((to - from) / 1000)
	m.IdleFPS = float64(idle) / ((idleTo - idleFrom) / 1000)
	return m
}

// download sums what the page fetched.
type download struct {
	encoded, decoded int64
	names            []string // URLs fetched
}

// finalCheckpoints returns the bytes of the final checkpoint of each network
// that the page did not fetch: the budget counts them in the first view.
func finalCheckpoints(b *testing.B, dl download) int64 {
	m, err := assets.ReadManifest(filepath.Join(site(b), "models"))
	if err != nil {
		b.Fatal(err)
	}
	var sum int64
	for _, net := range []string{"mlp", "cnn"} {
		cs := m.Checkpoints(net)
		if len(cs) == 0 {
			b.Fatalf("manifest lists no %s checkpoints", net)
		}
		final := cs[len(cs)-1]
		if !slices.ContainsFunc(dl.names, func(u string) bool { return strings.HasSuffix(u, "/models/"+final.File) }) {
			b.Logf("%9d bytes: %s, not fetched by the first view, counted for the budget", final.Bytes, final.File)
			sum += final.Bytes
		}
	}
	return sum
}

// downloads sums the body sizes of the page and every resource it fetched,
// as sent (encoded: gzip for wasm/js/html/json) and decoded, and logs them
// unless quiet.
func downloads(b *testing.B, ctx context.Context, quiet bool) download {
	type entry struct {
		Name    string `json:"name"`
		Encoded int64  `json:"encoded"`
		Decoded int64  `json:"decoded"`
	}
	es, err := chromedp.Run(ctx, chromedp.Evaluate[[]entry](`[
		...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")
	].map(e => ({name: e.name, encoded: e.encodedBodySize, decoded: e.decodedBodySize}))`))
	if err != nil {
		b.Fatal(err)
	}
	var d download
	for _, e := range es {
		if !quiet {
			b.Logf("%9d bytes sent, %9d decoded: %s", e.Encoded, e.Decoded, e.Name)
		}
		d.encoded += e.Encoded
		d.decoded += e.Decoded
		d.names = append(d.names, e.Name)
	}
	return d
}

// median returns the median of xs, sorting them.
func median(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}

func boolMetric(v bool) float64 {
	if v {
		return 1
	}
	return 0
}
