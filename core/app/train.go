package app

import (
	"fmt"
	"math"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"annvis/core/app/ui"
	"annvis/core/params"
	"annvis/core/viewstate"
)

// trainView reports whether the game trains its network (view=train).
func (g *Game) trainView() bool { return g.p.View == "train" }

// Trainer is what a Source of the train view adds: the run's state, the
// reader's pause, and the trained network (viewstate.Shared has them).
type Trainer interface {
	Training() (viewstate.Training, bool) // false before the run starts
	PauseTraining(paused bool)
	Checkpoint() ([]byte, error)
}

// trainer returns the source as a Trainer, if it is one.
func (g *Game) trainer() (Trainer, bool) {
	if g.pl == nil || !g.trainView() {
		return nil, false
	}
	t, ok := g.pl.(Trainer)
	return t, ok
}

// training returns the run's state, false when there is none.
func (g *Game) training() (viewstate.Training, bool) {
	if t, ok := g.trainer(); ok {
		return t.Training()
	}
	return viewstate.Training{}, false
}

// trainButtons are the train view's controls: pause or resume the
// training while it can go on, and restart it.
func (g *Game) trainButtons() []button {
	restart := button{label: "restart", do: func(g *Game) { g.restart() }}
	if !g.trainPausable() {
		return []button{restart}
	}
	tr, _ := g.training()
	label := "pause training"
	if tr.Paused {
		label = "resume training"
	}
	return []button{{label: label, on: tr.Paused, do: func(g *Game) { g.pauseTraining() }}, restart}
}

// trainPausable reports whether the train view's run can be paused or
// resumed (false in other views): while it is unfinished (its last epoch
// may be trained and still evaluating: a pause then holds the evaluation,
// which a resume must be able to finish).
func (g *Game) trainPausable() bool {
	t, ok := g.trainer()
	if !ok {
		return false
	}
	tr, _ := t.Training()
	return tr.Unfinished()
}

// pauseTraining pauses or resumes the training, while it can go on.
func (g *Game) pauseTraining() {
	t, ok := g.trainer()
	if !ok {
		return
	}
	if tr, _ := t.Training(); tr.Unfinished() {
		t.PauseTraining(!tr.Paused)
	}
	g.bar = nil // relabel the button
}

// restart trains the network again from its initial weights.
func (g *Game) restart() {
	if !g.trainView() {
		return
	}
	if g.pl != nil {
		g.pl.Close()
	}
	g.pl, g.saved = nil, false
	g.SetParams(g.p)
}

// OpenTrained makes the views of the network a train view trained (the
// MLP for an MLP architecture, the CNN for arch=cnn), once the train view
// is left, show that network through open instead of the shipped one: its
// layers, its epoch 0 and latest epoch, its neurons.
func (g *Game) OpenTrained(open TrainedOpener) { g.openTrained = open }

// keepTrained keeps the network of the train view old that is being left,
// if it has one.
func (g *Game) keepTrained(old params.Params) {
	t, ok := g.pl.(Trainer)
	if old.View != "train" || !ok || g.openTrained == nil {
		return
	}
	b, err := t.Checkpoint()
	if err != nil {
		return // nothing trained yet: the views keep showing what they showed
	}
	g.trained, g.trainedModel, g.trainedHidden = b, "mlp", old.Hidden()
	if old.Arch == "cnn" {
		g.trainedModel = "cnn"
	}
}

// openView opens the view p: on the trained network kept by keepTrained
// if p shows its model, else as the game's Opener does.
// A view of one layer shows the trained network's last layer unless it
// names one (the shipped network's last may be deeper).
func (g *Game) openView(p params.Params) Source {
	if g.trained == nil || p.View == "train" || p.Model != g.trainedModel {
		return g.open(p)
	}
	if p.Layer == 0 && p.View != "layers" && p.View != "trace" {
		p.Layer = g.trainedHidden
		g.p.Layer = p.Layer
	}
	return g.openTrained(p, g.trained)
}

// hidden returns the number of hidden layers of the network the views of
// model show: the trained one's, or the shipped one's.
func (g *Game) hidden(model string) int {
	if g.trained != nil && model == g.trainedModel {
		return g.trainedHidden
	}
	return params.HiddenLayers[model]
}

// OnTrained makes the game call save, once, when the train view's run is
// over (every epoch trained, or stopped by divergence) with the checkpoint
// of its last stage: annvis -save.
func (g *Game) OnTrained(save func(b []byte, err error)) { g.onTrained = save }

// checkTrained calls the OnTrained function when the run is over.
func (g *Game) checkTrained() {
	if g.onTrained == nil || g.saved || !g.trainView() {
		return
	}
	if st := g.pl.Status(); !st.Done && st.Err == nil {
		return
	}
	g.saved = true
	g.onTrained(g.Checkpoint())
}

// Checkpoint returns the network trained by the train view as a checkpoint
// file in the models/README.md format: the page's download, annvis -save.
func (g *Game) Checkpoint() ([]byte, error) {
	t, ok := g.trainer()
	if !ok {
		return nil, fmt.Errorf("app: only the train view trains a network")
	}
	return t.Checkpoint()
}

// trainDetail names the trained network and its run for the title, e.g.
// "hidden 128,128 relu, lr 0.005, batch 64".
func (g *Game) trainDetail() string {
	if g.p.Arch == "cnn" {
		return fmt.Sprintf("CNN, lr %g, batch %d", g.p.LR, g.p.Batch)
	}
	return fmt.Sprintf("hidden %s %s, lr %g, batch %d", g.p.Arch, g.p.Act, g.p.LR, g.p.Batch)
}

// panelEpoch returns the epoch the train panel counts and the mini-batches
// of it trained: the epoch being trained, as the progress caption counts it
// ("training epoch 2/3" is epoch 2 of the panel, one epoch trained), and
// the last, whole, once every epoch is trained (or none is planned yet).
func panelEpoch(tr viewstate.Training) (epoch, batch int) {
	if tr.Epoch >= tr.Epochs {
		return tr.Epochs, tr.PerEpoch
	}
	return tr.Epoch + 1, tr.Batches - tr.Epoch*tr.PerEpoch
}

// drawTrainPanel draws the counters, the training progress, and the loss
// and test-accuracy curves in the panel beside the main canvas.
func (g *Game) drawTrainPanel(screen *ebiten.Image) {
	tr, ok := g.training()
	r := g.screen.Curves
	if !ok || r.W <= 0 {
		return
	}
	size, pad, lh := g.th.Body, g.th.Pad, ui.LineH(g.th.Body)
	epoch, batch := panelEpoch(tr)
	state := "training"
	switch {
	case tr.Stopped != nil:
		state = "stopped: diverged"
	case tr.Over():
		state = "trained"
	case tr.Paused:
		state = "paused"
	}
	acc := -1.0
	if n := len(tr.Accuracies); n > 0 {
		acc = tr.Accuracies[n-1]
	}
	heads := ui.TrainHeads(state, epoch, tr.Epochs, batch, tr.PerEpoch, tr.Batches, acc)
	head := heads[len(heads)-1]
	if ui.HeadW(heads[0], size) <= r.W-2*pad {
		head = heads[0]
	}
	m := g.mesh(screen)
	fill(m, r, g.col(g.th.Card))
	y := r.Y + pad + float64(strings.Count(head, "\n")+1)*lh + pad
	bar := ui.Rect{X: r.X + pad, Y: y, W: r.W - 2*pad, H: size / 2}
	fill(m, bar, g.col(g.th.Panel))
	fill(m, ui.Rect{X: bar.X, Y: bar.Y, W: bar.W * float64(tr.Batches) / float64(max(tr.Epochs*tr.PerEpoch, 1)), H: bar.H}, g.col(g.th.Accent))
	y += bar.H + pad + lh
	h := max((r.Y+r.H-y)/2-2*lh, 2*lh)
	loss := ui.Rect{X: r.X + pad, Y: y, W: r.W - 2*pad, H: h}
	g.drawCurve(m, loss, lossCurve(tr.Losses), float64(tr.Epochs))
	accR := ui.Rect{X: loss.X, Y: loss.Y + loss.H + 2*lh, W: loss.W, H: h}
	g.drawCurve(m, accR, accuracyCurve(tr.Trained, tr.Accuracies), float64(tr.Epochs))
	m.done()
	drawText(screen, head, r.X+pad, r.Y+pad, size, g.th.Text)
	drawText(screen, ui.FitText(loss.W, size, fmt.Sprintf("training loss, 0 … %.3g", maxY(lossCurve(tr.Losses))),
		fmt.Sprintf("loss, 0 … %.3g", maxY(lossCurve(tr.Losses))), "loss"), loss.X, loss.Y-lh, size, g.th.Muted)
	drawText(screen, ui.FitText(accR.W, size, "test accuracy by epoch, 0 … 100 %", "test accuracy", "accuracy"), accR.X, accR.Y-lh, size, g.th.Muted)
}

// lossCurve returns the loss curve as x (epochs), y pairs.
func lossCurve(ps []viewstate.Loss) []float64 {
	xy := make([]float64, 0, 2*len(ps))
	for _, p := range ps {
		xy = append(xy, p.Epoch, p.Loss)
	}
	return xy
}

// accuracyCurve returns the accuracies of the stages as x (epochs
// trained), y pairs.
func accuracyCurve(trained, acc []float64) []float64 {
	xy := make([]float64, 0, 2*len(acc))
	for i, a := range acc {
		xy = append(xy, trained[i], a)
	}
	return xy
}

// maxY returns the largest y of a curve, 1 for none.
func maxY(xy []float64) float64 {
	m := 0.0
	for i := 1; i < len(xy); i += 2 {
		m = max(m, xy[i])
	}
	if m == 0 {
		return 1
	}
	return m
}

// drawCurve draws the curve xy (x in 0…xMax, y in 0…maxY) in r, with
// accuracy curves (all y ≤ 1) on a fixed 0…1 scale.
func (g *Game) drawCurve(m *mesh, r ui.Rect, xy []float64, xMax float64) {
	fill(m, r, g.col(g.th.Panel))
	top := maxY(xy)
	if top <= 1 {
		top = 1
	}
	at := func(i int) (float32, float32) {
		x := r.X + r.W*xy[2*i]/math.Max(xMax, 1)
		y := r.Y + r.H - r.H*xy[2*i+1]/top
		return float32(x), float32(y)
	}
	for i := 0; i+1 < len(xy)/2; i++ {
		x0, y0 := at(i)
		x1, y1 := at(i + 1)
		m.line(x0, y0, x1, y1, 2*float32(g.th.Scale), g.col(g.th.Accent))
	}
	for i := range len(xy) / 2 {
		x, y := at(i)
		m.point(x, y, 3*float32(g.th.Scale), g.col(g.th.Text))
	}
}

// trainState returns the training state shown in State: epochs trained,
// the latest test accuracy (-1 before the first stage), whether paused, and
// the training time at the latest stage.
func (g *Game) trainState() (epoch, batches int, acc float64, paused bool, seconds float64) {
	tr, ok := g.training()
	if !ok || len(tr.Accuracies) == 0 {
		return tr.Epoch, tr.Batches, -1, tr.Paused, 0
	}
	last := len(tr.Accuracies) - 1
	if last < len(tr.Seconds) {
		seconds = tr.Seconds[last]
	}
	return tr.Epoch, tr.Batches, tr.Accuracies[last], tr.Paused, seconds
}
