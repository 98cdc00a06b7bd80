package e2e

import (
	"os"
	"regexp"
	"testing"

	"annvis/core/mnist"
	"annvis/core/model"
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
