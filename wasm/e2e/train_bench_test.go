package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// trainSample is the page's state at one moment of a training run.
type trainSample struct {
	At       float64 `json:"at"` // performance.now(), ms after navigation
	Stages   int     `json:"stages"`
	Progress float64 `json:"progress"`
	Error    string  `json:"error"`
	FPS      float64 `json:"fps"`
	Accuracy float64 `json:"accuracy"`
}

const sampleJS = `({at: performance.now(), stages: window.annvis.stages || 0, progress: window.annvis.progress || 0,
	error: window.annvis.error || "", fps: window.annvis.fps || 0, accuracy: window.annvis.accuracy || 0})`

// BenchmarkTrainView opens the train view's default run (arch=128,128,
// train=10000, batch 64, 5 epochs, n 2000) and samples the page four times
// a second: when the first trained stage joined (after navigation), the
// mean time from one stage to the next, the test accuracy after 5 epochs,
// and the frame rate while training against the rate once trained (the
// animation alone). bench/train.sh prints them against the native run.
func BenchmarkTrainView(b *testing.B) {
	ctx, _ := freshTab(b)
	if err := chromedp.Do(ctx, chromedp.Navigate(serve(b, site(b))+"?view=train")); err != nil {
		b.Fatal(err)
	}
	var samples []trainSample
	sample := func() trainSample {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[trainSample](`window.annvis ? `+sampleJS+` : {}`))
		if err != nil {
			b.Fatal(err)
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
	idle := done
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); {
		time.Sleep(250 * time.Millisecond)
		idle = sample()
	}
	joined := map[int]float64{} // stages → when that many had joined
	var busyFPS, busyN float64
	for _, s := range samples {
		if _, ok := joined[s.Stages]; !ok {
			joined[s.Stages] = s.At
		}
		if s.Stages >= 2 && s.Progress < 1 && s.FPS > 0 {
			busyFPS += s.FPS
			busyN++
		}
	}
	b.ReportMetric(joined[2]/1000, "first-trained-stage-s")
	b.ReportMetric((joined[6]-joined[2])/4000, "epoch-s")
	b.ReportMetric(done.At/1000, "done-s")
	b.ReportMetric(100*done.Accuracy, "accuracy-%")
	b.ReportMetric(busyFPS/max(busyN, 1), "training-fps")
	b.ReportMetric(idle.FPS, "idle-fps")
}
