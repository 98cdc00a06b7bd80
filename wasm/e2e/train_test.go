package e2e

import (
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"annvis/core/mnist"
	"annvis/core/model"

	"github.com/chromedp/chromedp"
)

// TestTrainView trains the train view's acceptance run in the page: it
// shows the stages of epochs 0, 1 and 2, reaches 80 % test accuracy, and
// its ZST button downloads a checkpoint that the project's decoder reads
// and that classifies the test digits as the page said.
func TestTrainView(t *testing.T) {
	ctx := tab(t)
	dir := allowDownloads(t, ctx)
	s := open(t, ctx, serve(t, site(t))+"?view=train&arch=32&epochs=2&train=2000&n=300", complete)
	if s.Error != "" || s.View != "train" || s.Stages != 3 || s.Epoch != 2 {
		t.Fatalf("train view: %+v", s)
	}
	t.Logf("test accuracy after 2 epochs: %.2f %%", 100*s.Accuracy)
	if s.Accuracy < 0.8 {
		t.Errorf("test accuracy %.4f after 2 epochs, want ≥ 0.80", s.Accuracy)
	}
	shot(t, ctx, "train")
	c, err := model.DecodeCheckpoint(downloadExport(t, ctx, dir, "zst"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../../models/mnist-t10k.zst")
	if err != nil {
		t.Fatal(err)
	}
	test, err := mnist.DecodeAsset(b)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := model.Accuracy(c.Net, test, 500)
	if err != nil {
		t.Fatal(err)
	}
	if c.Arch != "mlp:32" || c.Epoch != 2 || c.Accuracy != s.Accuracy || acc != s.Accuracy {
		t.Errorf("downloaded checkpoint: %s epoch %d, accuracy %g in its header and %g measured; the page showed %g",
			c.Arch, c.Epoch, c.Accuracy, acc, s.Accuracy)
	}
}

// TestTrainedNetworkInOtherViews trains the acceptance run's network (one
// hidden layer of 32 units), then leaves the train view with the v key:
// the layers view shows its one layer (the shipped MLP's shows 4), the
// epochs view its epochs 0 and 2 (the shipped MLP's shows 8), and with the
// m key the CNN's epochs view shows the shipped CNN's 8 epochs.
func TestTrainedNetworkInOtherViews(t *testing.T) {
	ctx := tab(t)
	s := open(t, ctx, serve(t, site(t))+"?view=train&arch=32&epochs=2&train=2000&n=300", complete)
	if s.Error != "" || s.Stages != 3 {
		t.Fatalf("train view: %+v", s)
	}
	for _, tc := range []struct {
		key, view, model string
		stages           int
	}{
		{"v", "layers", "mlp", 1},
		{"v", "epochs", "mlp", 2},
		{"m", "epochs", "cnn", 8},
	} {
		typeKey(t, ctx, tc.key)
		wait(t, ctx, fmt.Sprintf(`window.annvis.error !== "" || window.annvis.view === %q && window.annvis.model === %q && window.annvis.progress >= 1`, tc.view, tc.model))
		if s := annvis(t, ctx); s.Error != "" || s.Stages != tc.stages {
			t.Errorf("%s view of the %s after training: %d stages (%q), want %d", tc.view, tc.model, s.Stages, s.Error, tc.stages)
		}
		shot(t, ctx, "trained-"+tc.view+"-"+tc.model)
	}
}

// TestTrainViewDiverges trains with a learning rate that makes the loss
// explode: the page says so and keeps the untrained stage.
func TestTrainViewDiverges(t *testing.T) {
	ctx := tab(t)
	const want = "training diverged at epoch 1 — lower the learning rate"
	s := open(t, ctx, serve(t, site(t))+"?view=train&arch=32&epochs=2&train=2000&n=300&lr=10", complete)
	if s.Error != want || s.Stages != 1 {
		t.Fatalf("error %q with %d stages, want %q with the untrained stage", s.Error, s.Stages, want)
	}
	expectErrorPanel(t, ctx, regexp.MustCompile(regexp.QuoteMeta(want)), "train-diverged", true)
}

// TestTrainViewLeavesThePageFree trains with steps of a second or more (a
// batch of 1024 digits through three layers of 512 units: a worker that
// only trains, while another projects, steps a layer of 512 in under half a
// second) and counts the browser's animation frames while the run trains
// three more batches: training in a Web Worker, the page's thread stays
// free to draw (on its own thread a step froze the page, one frame per
// batch at most). The page draws only the frames where the picture
// changes; the browser's frames are those it could draw.
func TestTrainViewLeavesThePageFree(t *testing.T) {
	ctx := tab(t)
	watchMainThread(t, ctx)
	type counters struct {
		Frames  int    `json:"frames"`
		Batches int    `json:"batches"`
		Error   string `json:"error"`
	}
	const (
		query = "?view=train&arch=512,512,512&batch=1024&epochs=3&train=20000&n=100"
		read  = `({frames: window.annvisPerf.frames.length, batches: window.annvis.batches || 0, error: window.annvis.error || ""})`
	)
	at := func(cond string) counters {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`window.annvis && (window.annvis.error !== "" || `+cond+`)`,
			chromedp.WithPollingTimeout(0))); err != nil {
			t.Fatal(err)
		}
		c, err := chromedp.Run(ctx, chromedp.Evaluate[counters](read))
		if err != nil {
			t.Fatal(err)
		}
		if c.Error != "" {
			t.Fatalf("train view: %s", c.Error)
		}
		return c
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(serve(t, site(t))+query)); err != nil {
		t.Fatal(err)
	}
	// Within the first epoch (20 batches), once the untrained stage's
	// projection (100 digits) is over, the run only trains.
	from := at(`window.annvis.batches >= 3`)
	to := at(fmt.Sprintf(`window.annvis.batches >= %d`, from.Batches+3))
	frames, batches := to.Frames-from.Frames, to.Batches-from.Batches
	t.Logf("%d animation frames while %d batches of 1024 digits trained", frames, batches)
	if frames < 3*batches {
		t.Errorf("%d animation frames while %d batches trained, want ≥ 3 a batch: the training holds the page's thread", frames, batches)
	}
}

// TestTrainViewPauses pauses the training with its key while the worker
// trains, checks that no batch is trained for a while, then
// resumes it to the end: the pause goes to the worker and back.
func TestTrainViewPauses(t *testing.T) {
	ctx := tab(t)
	type run struct {
		Batches int    `json:"batches"`
		Paused  bool   `json:"paused"`
		Error   string `json:"error"`
	}
	read := func() run {
		t.Helper()
		r, err := chromedp.Run(ctx, chromedp.Evaluate[run](`({batches: window.annvis.batches || 0,
			paused: !!window.annvis.trainingPaused, error: window.annvis.error || ""})`))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	until := func(cond string) {
		t.Helper()
		wait(t, ctx, `window.annvis && (window.annvis.error !== "" || `+cond+`)`)
		if r := read(); r.Error != "" {
			t.Fatalf("train view: %s", r.Error)
		}
	}
	open(t, ctx, serve(t, site(t))+"?view=train&arch=32&epochs=2&train=4000&n=200", `window.annvis && (window.annvis.error !== "" || window.annvis.batches >= 5)`)
	typeKey(t, ctx, "t")
	until(`window.annvis.trainingPaused`)
	// The worker may finish the batch in hand; then nothing more while the
	// next second and a half.
	time.Sleep(time.Second)
	held := read()
	time.Sleep(1500 * time.Millisecond) // a batch of this run trains in milliseconds
	if r := read(); r.Batches != held.Batches || !r.Paused {
		t.Fatalf("paused at %d batches, %d after 1.5 s (paused %v)", held.Batches, r.Batches, r.Paused)
	}
	typeKey(t, ctx, "t")
	until(`window.annvis.progress >= 1 && window.annvis.frame > 0`)
	if s := annvis(t, ctx); s.Epoch != 2 || s.Stages != 3 {
		t.Fatalf("resumed run: %+v", s)
	}
}
