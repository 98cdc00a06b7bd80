package e2e

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// countPresented makes every page of ctx count, from its first script on,
// the animation frames in which it drew with WebGL (window.annvisPresented):
// the frames the browser composites anew, each costing the GPU process a
// frame's rendering. The page's game paints a frame only when it changed
// (window.annvis.painted), but Ebiten presents its screen until four frames
// in a row are unchanged.
func countPresented(b *testing.B, ctx context.Context) {
	const script = `window.annvisPresented = 0;
(() => {
  let drew = false;
  for (const proto of [WebGL2RenderingContext.prototype, WebGLRenderingContext.prototype]) {
    for (const name of ["drawArrays", "drawElements", "clear"]) {
      const f = proto[name];
      proto[name] = function (...args) { drew = true; return f.apply(this, args); };
    }
  }
  (function frame() { if (drew) window.annvisPresented++; drew = false; requestAnimationFrame(frame); })();
})();`
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
	if err != nil {
		b.Fatal(err)
	}
}

// cpuMark is what every thread of Chromium, and the whole machine, had
// used (ms) at one moment of a training run.
type cpuMark struct {
	stages  int     // stages evaluated then
	done    bool    // the run was over
	at      float64 // ms after navigation (the page's clock, trainSample.At)
	trained float64 // the run's training time then (trainSample.Seconds), s
	threads procThreads
	machine float64 // CPU time every core of the machine used (/proc/stat), ms
	draws   int     // frames the page drew (Draw calls)
	painted int     // frames it painted on screen (the others skipped unchanged)
	shown   int     // frames it drew with WebGL (countPresented)
}

// markCPU reads the CPU time of Chromium's threads and of the machine at
// the moment of the page's sample s.
func markCPU(b *testing.B, ctx context.Context, s trainSample) cpuMark {
	return cpuMark{stages: s.Stages, done: s.Progress >= 1, at: s.At, trained: s.Seconds, threads: chromiumCPU(b, ctx), machine: machineCPU(b),
		draws: s.Draws, painted: s.Painted, shown: s.Presented}
}

// machineCPU returns the CPU time all the machine's cores used (user,
// nice, system, interrupts, stolen: /proc/stat), ms.
func machineCPU(b *testing.B) float64 {
	st, err := os.ReadFile("/proc/stat")
	if err != nil {
		b.Fatal(err)
	}
	line, _, _ := strings.Cut(string(st), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	var busy float64
	for i, v := range f[1:min(len(f), 9)] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, _ := strconv.ParseFloat(v, 64)
		busy += n
	}
	return busy * clockTick
}

// trainShare is where the CPU went between two moments of a training run:
// the page's worker that steps the run, its other workers (in the order
// their threads started), its main thread, its other threads, the GPU
// process, Chromium's other processes and the rest of the machine (other
// programs), ms; and the wall and training time between.
type trainShare struct {
	wall, trained                       float64 // ms
	draws, painted, shown               int
	trainer                             float64
	workers                             []float64
	main, renderer, gpu, other, outside float64
}

// threadCPU returns the CPU time each worker thread used from mark a to
// mark z, by thread id.
func threadCPU(a, z cpuMark) map[int]float64 {
	byTid := map[int]float64{}
	for t, cpu := range z.threads {
		if strings.HasPrefix(t.name, "DedicatedWorker") {
			byTid[t.tid] = cpu - a.threads[t]
		}
	}
	return byTid
}

// trainerThread returns the thread id of the worker that steps the run:
// the one that rests from the last stage evaluated (mark a) to the run's
// end (mark z), while the other projects that stage.
func trainerThread(a, z cpuMark) int {
	byTid := threadCPU(a, z)
	tids := slices.Sorted(maps.Keys(byTid))
	if len(tids) == 0 {
		return -1
	}
	return slices.MinFunc(tids, func(x, y int) int { return cmp.Compare(byTid[x], byTid[y]) })
}

// shareBetween returns where the CPU went from mark a to mark z; trainer
// is the thread id of the worker stepping the run.
func shareBetween(a, z cpuMark, trainer int) trainShare {
	s := trainShare{wall: z.at - a.at, trained: 1000 * (z.trained - a.trained), draws: z.draws - a.draws, painted: z.painted - a.painted, shown: z.shown - a.shown}
	f := z.threads.since(a.threads)
	s.main, s.renderer, s.gpu, s.other = f.main, f.renderer, f.gpu, f.other
	byTid := threadCPU(a, z)
	for _, tid := range slices.Sorted(maps.Keys(byTid)) { // threads are numbered as they start
		if tid == trainer {
			s.trainer = byTid[tid]
		} else {
			s.workers = append(s.workers, byTid[tid])
		}
	}
	s.outside = z.machine - a.machine - s.total()
	return s
}

// total is the CPU time Chromium used, ms.
func (s trainShare) total() float64 {
	t := s.trainer + s.main + s.renderer + s.gpu + s.other
	for _, w := range s.workers {
		t += w
	}
	return t
}

// String gives each part's CPU time as a share of one core over the window.
func (s trainShare) String() string {
	pc := func(ms float64) string { return fmt.Sprintf("%.0f %%", 100*ms/s.wall) }
	var w []string
	for _, cpu := range s.workers {
		w = append(w, pc(cpu))
	}
	return fmt.Sprintf("%.2f s wall, %.2f s in the run's steps (%s), %.1f frames/s drawn, %.1f painted, %.1f presented; CPU as a share of one core: trainer worker %s, other workers (the projecting one first) %s; page main thread %s, its other threads %s, GPU process %s, Chromium's other processes %s; other programs on the machine %s",
		s.wall/1000, s.trained/1000, pc(s.trained), float64(s.draws)/s.wall*1000, float64(s.painted)/s.wall*1000, float64(s.shown)/s.wall*1000, pc(s.trainer), strings.Join(w, ", "), pc(s.main), pc(s.renderer), pc(s.gpu), pc(s.other), pc(s.outside))
}

// reportShare logs where the CPU went while the run trained epochs 2 to 5
// (the window of train-epoch-s) and reports it, per epoch.
func reportShare(b *testing.B, s trainShare, epochs float64) {
	b.Logf("CPU while training epochs 2-5 (/proc): %v", s)
	b.ReportMetric(s.trainer/1000/epochs, "trainer-cpu-s/epoch")
	var rest float64
	for _, w := range s.workers {
		rest += w
	}
	b.ReportMetric(rest/1000/epochs, "other-workers-cpu-s/epoch")
	b.ReportMetric(s.main/1000/epochs, "main-thread-cpu-s/epoch")
	b.ReportMetric(s.gpu/1000/epochs, "gpu-cpu-s/epoch")
	b.ReportMetric((s.renderer+s.other)/1000/epochs, "chromium-other-cpu-s/epoch")
	b.ReportMetric(s.outside/1000/epochs, "machine-other-cpu-s/epoch")
	b.ReportMetric(s.trained/s.wall, "trainer-stepping-share")
	b.ReportMetric(float64(s.painted)/s.wall*1000, "painted/s")
	b.ReportMetric(float64(s.shown)/s.wall*1000, "presented/s")
	b.ReportMetric(s.gpu/max(float64(s.shown), 1), "gpu-cpu-ms/presented")
}
