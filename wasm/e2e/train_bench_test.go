package e2e

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// trainSample is the page's state at one moment of a training run.
type trainSample struct {
	At        float64 `json:"at"`      // performance.now(), ms after navigation
	Stages    int     `json:"stages"`  // stages evaluated (joined the view)
	Drawn     int     `json:"drawn"`   // stages with a layout on screen
	Seconds   float64 `json:"seconds"` // training time when the latest stage was evaluated
	Progress  float64 `json:"progress"`
	Error     string  `json:"error"`
	FPS       float64 `json:"fps"`
	Accuracy  float64 `json:"accuracy"`
	Draws     int     `json:"draws"`     // frames drawn (Draw calls)
	Painted   int     `json:"painted"`   // frames painted on screen (the others skipped unchanged)
	Presented int     `json:"presented"` // frames drawn with WebGL (countPresented)
}

const sampleJS = `({at: performance.now(), stages: window.annvis.stages || 0, drawn: window.annvis.drawn || 0,
	seconds: window.annvis.trainSeconds || 0, progress: window.annvis.progress || 0,
	error: window.annvis.error || "", fps: window.annvis.fps || 0, accuracy: window.annvis.accuracy || 0,
	draws: window.annvis.draws || 0, painted: window.annvis.painted || 0,
	presented: window.annvisPresented || 0})`

// BenchmarkTrainView opens the train view's default run (arch=128,128,
// train=10000, batch 64, 5 epochs, n 2000) and samples the page four times
// a second: when the first trained stage was drawn (after navigation: its
// layout on screen, window.annvis.drawn), the mean time from one stage
// drawn to the next (training, evaluation and projection), the mean
// training time of an epoch (the run's own steps, training and evaluating,
// window.annvis.trainSeconds at each stage), the test accuracy after 5
// epochs, and the frame rate while training against the rate once trained
// (the animation alone). The frame rate is the browser's animation frames
// a second (watchMainThread), the frames the page could draw: it draws
// only those where the picture changes, a few a second while the run
// trains (each new layout, counter and curve), every one once it animates.
// bench/train.sh prints them against the native run.
func BenchmarkTrainView(b *testing.B) {
	ctx, _ := freshTab(b)
	countPresented(b, ctx)
	watchMainThread(b, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(serve(b, site(b))+"?view=train")); err != nil {
		b.Fatal(err)
	}
	var samples []trainSample
	var cpu []cpuMark // when each stage was evaluated, and when the run was done
	sample := func() trainSample {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[trainSample](`window.annvis ? `+sampleJS+` : {}`))
		if err != nil {
			b.Fatal(err)
		}
		if len(samples) > 0 && (s.Stages > samples[len(samples)-1].Stages || s.Progress >= 1 && samples[len(samples)-1].Progress < 1) {
			cpu = append(cpu, markCPU(b, ctx, s))
		}
		samples = append(samples, s)
		return s
	}
	for s := sample(); s.Error == "" && s.Progress < 1; s = sample() {
		time.Sleep(250 * time.Millisecond)
	}
	if s := samples[len(samples)-1]; s.Error != "" {
		b.Fatalf("train view: %s", s.Error)
	}
	done := samples[len(samples)-1]
	logTimeline(b, samples)
	logMarks(b, ctx)
	trainer := -1
	if n := len(cpu); n >= 2 && cpu[n-1].done {
		trainer = trainerThread(cpu[n-2], cpu[n-1])
	}
	logShares(b, cpu, trainer)
	for end := time.Now().Add(idleWindow + 1500*time.Millisecond); time.Now().Before(end); { // the animation alone (mainThread's idle window)
		time.Sleep(250 * time.Millisecond)
		sample()
	}
	drawn := func(k int) float64 { // when k stages were drawn
		return samples[slices.IndexFunc(samples, func(s trainSample) bool { return s.Drawn >= k })].At
	}
	trained := func(k int) float64 { // the training time when the k-th stage was evaluated
		return samples[slices.IndexFunc(samples, func(s trainSample) bool { return s.Stages >= k })].Seconds
	}
	busy := samples[slices.IndexFunc(samples, func(s trainSample) bool { return s.Stages >= 2 })]
	fps := mainThread(b, ctx, busy.At, done.At)
	b.ReportMetric(drawn(2)/1000, "first-trained-stage-s")
	b.ReportMetric((drawn(6)-drawn(2))/4000, "epoch-s")
	b.ReportMetric((trained(6)-trained(2))/4, "train-epoch-s")
	b.ReportMetric(done.At/1000, "done-s")
	b.ReportMetric(100*done.Accuracy, "accuracy-%")
	b.ReportMetric(fps.BusyFPS, "training-fps")
	b.ReportMetric(fps.IdleFPS, "idle-fps")
	from := slices.IndexFunc(cpu, func(m cpuMark) bool { return m.stages >= 2 })
	to := slices.IndexFunc(cpu, func(m cpuMark) bool { return m.stages >= 6 })
	if from < 0 || to < 0 {
		b.Fatalf("the CPU figures missed stage 2 or 6: %d marks", len(cpu))
	}
	reportShare(b, shareBetween(cpu[from], cpu[to], trainer), float64(cpu[to].stages-cpu[from].stages))
}

// logShares logs where the CPU went between one stage evaluated and the
// next (cpu: a mark per stage, then the run's end), and from the last
// stage evaluated to the end of the run (its projection: the trainer idle).
// trainer is the thread id of the worker stepping the run.
func logShares(b *testing.B, cpu []cpuMark, trainer int) {
	for k := 1; k < len(cpu); k++ {
		what := fmt.Sprintf("from %d stages evaluated to %d", cpu[k-1].stages, cpu[k].stages)
		if cpu[k].done {
			what = fmt.Sprintf("from %d stages evaluated to the run's end (the last projection)", cpu[k-1].stages)
		}
		b.Logf("CPU %s: %v", what, shareBetween(cpu[k-1], cpu[k], trainer))
	}
}

// logTimeline logs when each stage joined the view and when it was drawn
// (with go test -v), to see where a run's time goes.
func logTimeline(b *testing.B, samples []trainSample) {
	var last trainSample
	for _, s := range samples {
		if s.Stages != last.Stages || s.Drawn != last.Drawn {
			b.Logf("%6.2f s: %d stages evaluated (training %.2f s), %d drawn, %.1f fps", s.At/1000, s.Stages, s.Seconds, s.Drawn, s.FPS)
		}
		last = s
	}
}

// logMarks logs the page's start-up timeline (with go test -v): its
// phases and the marks of the page and its workers (window.annvis.marks),
// in time order.
func logMarks(b *testing.B, ctx context.Context) {
	js := `[...window.annvis.phases.map(([t, p]) => [t, "phase: " + p]), ...window.annvis.marks,
		[Math.round(window.annvis.mainAt), "Go's main started"], [Math.round(window.annvis.readyAt), "game's first update"],
		[Math.round(window.annvis.firstFrameAt), "first animated frame"]].sort((a, b) => a[0] - b[0])`
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[[][]any](js))
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range marks {
		b.Logf("%8.2f s  %v", m[0].(float64)/1000, m[1])
	}
}
