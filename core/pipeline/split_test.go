//go:build !js

package pipeline

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"annvis/core/params"
	"annvis/core/tsne"
	"annvis/core/viewstate"
)

// TestAdoptedStagesKeepTheLayouts computes live layers views (chained and
// dynamic) once alone and once with the stages SplitStages names prepared
// apart (stageAlone, as other workers do) and adopted, before and
// after the pipeline's sequence starts, and checks the layouts are the same
// bit for bit, for less work.
func TestAdoptedStagesKeepTheLayouts(t *testing.T) {
	for _, method := range []string{"chained", "dynamic"} {
		t.Run(method, func(t *testing.T) {
			f := newFixture(t)
			p := smallView("layers")
			p.Method = method
			alone := New(p, f.Fetch, false)
			units := run(t, alone)
			split := viewstate.SplitStages(p)
			if !slices.Equal(split, []int{1, 2, 3}) {
				t.Fatalf("SplitStages = %v, want [1 2 3]", split)
			}
			pl := New(p, f.Fetch, false)
			for i, k := range split {
				a, err := stageAlone(p, f.Fetch, k)
				if err != nil {
					t.Fatal(err)
				}
				if i == 1 { // the others once the sequence has started
					stepUntil(t, pl, func() bool { return pl.seq != nil })
				}
				pl.Adopt(k, a)
			}
			if u := run(t, pl); u >= units {
				t.Errorf("%d units of work with stages prepared apart, %d alone: they were prepared again", u, units)
			}
			for k := range pl.Stages() {
				if !slices.Equal(pl.Positions(k, nil), alone.Positions(k, nil)) {
					t.Errorf("stage %d differs when prepared apart", k)
				}
			}
		})
	}
}

// TestSplitStages checks which views SplitStages splits.
func TestSplitStages(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    func(p *params.Params)
		want int
	}{
		{"default layers view (shipped)", func(p *params.Params) { *p = params.Default() }, 0},
		{"live layers view", func(*params.Params) {}, 3},
		{"live CNN trace view", func(p *params.Params) { p.Model, p.View = "cnn", "trace" }, 1},
		{"joint layers", func(p *params.Params) { p.Method = "joint" }, 0},
		{"epochs", func(p *params.Params) { p.View = "epochs" }, 0},
		{"neurons", func(p *params.Params) { p.View = "neurons" }, 1},
		{"map", func(p *params.Params) { p.View = "map" }, 0},
	} {
		p := smallView("layers")
		tc.p(&p)
		if got := viewstate.SplitStages(p); len(got) != tc.want {
			t.Errorf("%s: SplitStages = %v, want %d stages", tc.name, got, tc.want)
		}
	}
	if _, err := stageAlone(smallView("layers"), newFixture(t).Fetch, 4); err == nil {
		t.Error("stage 4 of four prepared")
	}
}

// TestSharedGradientKeepsTheLayouts computes a live view whose t-SNE is
// one joint run of 4 layers × 1100 digits (above tsne's shareMin) once
// alone and once sharing its gradients, from its start and from its middle
// on, with a tsne.Forces (as the page's other worker does), and checks the
// layouts are the same bit for bit.
func TestSharedGradientKeepsTheLayouts(t *testing.T) {
	f := newFixture(t)
	p := smallView("layers")
	p.Method, p.N = "joint", 1100
	alone := New(p, f.Fetch, false)
	run(t, alone)
	for _, from := range []string{"start", "middle"} {
		pl := New(p, f.Fetch, false)
		h := &forcesHelper{}
		if from == "start" {
			pl.Share(h)
		} else {
			stepUntil(t, pl, func() bool { return pl.seq != nil && pl.seq.Progress() > 0.5 })
			pl.Share(h)
		}
		run(t, pl)
		for k := range pl.Stages() {
			if !slices.Equal(pl.Positions(k, nil), alone.Positions(k, nil)) {
				t.Errorf("shared from the %s: stage %d differs", from, k)
			}
		}
		if h.answered == 0 {
			t.Errorf("shared from the %s: no forces were computed by the helper", from)
		}
	}
}

// forcesHelper is a tsne.Helper whose other program is a tsne.Forces here.
type forcesHelper struct {
	f        tsne.Forces
	answers  [][]byte
	answered int
}

func (h *forcesHelper) Send(msg []byte) {
	if a, err := h.f.Handle(msg); err == nil && a != nil {
		h.answers = append(h.answers, a)
	}
}

func (h *forcesHelper) Receive() ([]byte, error) {
	if len(h.answers) == 0 {
		return nil, errors.New("no answer")
	}
	a := h.answers[0]
	h.answers = h.answers[1:]
	h.answered++
	return a, nil
}

// TestExpectedStageRunsItsNetworkLate computes a live neurons view whose
// trained network's stage is expected from elsewhere (Expect): when its
// panel comes (AdoptPanel, once stage 0 is under way), that network never
// runs here; when it does not, the network runs late and the stage is
// computed here; both give the panels of the view computed alone.
func TestExpectedStageRunsItsNetworkLate(t *testing.T) {
	f := newFixture(t)
	p := smallView("neurons")
	alone := New(p, f.Fetch, false)
	run(t, alone)
	b, err := NewPreparer(f.Fetch).Prepare(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, comes := range []bool{true, false} {
		pl := New(p, f.Fetch, false)
		pl.Expect(1)
		if comes {
			stepUntil(t, pl, func() bool { return len(pl.neurons) > 0 })
			var panel viewstate.Panel
			if err := panel.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			pl.AdoptPanel(1, &panel)
		}
		run(t, pl)
		if ran := len(pl.acts[1]) > 0; ran == comes {
			t.Errorf("panel from elsewhere %v: the trained network ran here: %v", comes, ran)
		}
		if got := pl.Predicted(1); comes != (got == nil) || !comes && !slices.Equal(got, alone.Predicted(1)) {
			t.Errorf("panel from elsewhere %v: predictions of stage 1 %v…", comes, got[:min(len(got), 5)])
		}
		for k := range pl.Stages() {
			a, b := pl.Panel(k), alone.Panel(k)
			if !slices.Equal(a.Pos, b.Pos) || !slices.Equal(a.Importance, b.Importance) || !slices.Equal(a.Class, b.Class) {
				t.Errorf("panel from elsewhere %v: stage %d differs", comes, k)
			}
		}
	}
}

// TestSharesGradient checks which views share their gradients with
// another worker.
func TestSharesGradient(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    func(p *params.Params)
		want bool
	}{
		{"default layers view (shipped)", func(p *params.Params) { *p = params.Default() }, false},
		{"default epochs view (shipped)", func(p *params.Params) { *p = params.Default(); p.View = "epochs" }, false},
		{"live layers view", func(*params.Params) {}, true},
		{"live epochs view", func(p *params.Params) { p.View = "epochs" }, true},
		{"live bundled view", func(p *params.Params) { p.View = "bundled" }, true},
		{"dynamic layers", func(p *params.Params) { p.Method = "dynamic" }, false},
		{"neurons", func(p *params.Params) { p.View = "neurons" }, false},
		{"map", func(p *params.Params) { p.View = "map" }, false},
		{"train", func(p *params.Params) { p.View = "train" }, false},
	} {
		p := smallView("layers")
		tc.p(&p)
		if got := viewstate.SharesGradient(p); got != tc.want {
			t.Errorf("%s: SharesGradient = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestAdoptedPanelKeepsTheNeuronsView computes a live neurons view once
// alone and once with its trained network's stage computed apart
// (Preparer.Prepare, through its encoding) and adopted, and checks the panels
// are the same bit for bit, for less work.
func TestAdoptedPanelKeepsTheNeuronsView(t *testing.T) {
	f := newFixture(t)
	p := smallView("neurons")
	alone := New(p, f.Fetch, false)
	units := run(t, alone)
	b, err := NewPreparer(f.Fetch).Prepare(p, 1)
	if err != nil {
		t.Fatal(err)
	}
	var panel viewstate.Panel
	if err := panel.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	pl := New(p, f.Fetch, false)
	pl.AdoptPanel(1, &panel)
	if u := run(t, pl); u >= units {
		t.Errorf("%d units of work with a stage computed apart, %d alone", u, units)
	}
	for k := range pl.Stages() {
		a, b := pl.Panel(k), alone.Panel(k)
		if !slices.Equal(a.Pos, b.Pos) || !slices.Equal(a.Importance, b.Importance) || !slices.Equal(a.Class, b.Class) ||
			!slices.Equal(a.Opacity, b.Opacity) || math.Float64bits(a.Stress) != math.Float64bits(b.Stress) {
			t.Errorf("stage %d differs when computed apart", k)
		}
	}
}

// TestBackgroundAdoptsStages hands a Background pipeline stages prepared
// apart through their encodings (AdoptStage), as the page's workers do: a
// neurons panel prepared with another seed, so that the view shows it
// rather than its own, and, for both kinds of stage, bytes that are not an
// encoding, refused with what they are not.
func TestBackgroundAdoptsStages(t *testing.T) {
	f := newFixture(t)
	p := smallView("neurons")
	q := p
	q.Seed = p.Seed + 1
	data, err := NewPreparer(f.Fetch).Prepare(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var want viewstate.Panel
	if err := want.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	b := Start(p, f.Fetch)
	defer b.Close()
	if err := b.AdoptStage(1, data); err != nil {
		t.Fatal(err)
	}
	if err := b.AdoptStage(1, data[:len(data)/2]); err == nil || !strings.HasPrefix(err.Error(), "viewstate: ") {
		t.Errorf("half a panel adopted: %v", err)
	}
	waitFor(t, b, func(st viewstate.Status) bool { return st.Done || st.Err != nil })
	if got := b.Panel(1); got == nil || !slices.Equal(got.Pos, want.Pos) || !slices.Equal(got.Importance, want.Importance) {
		t.Error("stage 1 is not the panel adopted")
	}
	layers := Start(smallView("layers"), f.Fetch)
	defer layers.Close()
	if err := layers.AdoptStage(1, data); err == nil || err.Error() != "tsne: affinities: not an encoding of affinities" {
		t.Errorf("a panel adopted as affinities: %v", err)
	}
	if _, err := NewPreparer(f.Fetch).Prepare(smallView("layers"), 4); err == nil || !strings.Contains(err.Error(), "stage 4") {
		t.Errorf("stage 4 of a layers view of four prepared: %v", err)
	}
}

// TestPreparerRunsTheNetworksOnce prepares the stages of a live layers view
// that SplitStages names with one Preparer, from as many goroutines at
// once, as a helper worker does: each stage's affinities are those a
// Preparer of that stage alone computes, bit for bit, and the view's assets were
// fetched (and its networks run) once for all of them.
func TestPreparerRunsTheNetworksOnce(t *testing.T) {
	f := newFixture(t)
	p := smallView("layers")
	var mu sync.Mutex
	fetched := map[string]int{}
	fetch := func(name string, limit int64) ([]byte, error) {
		mu.Lock()
		fetched[name]++
		mu.Unlock()
		return f.Fetch(name, limit)
	}
	pr := NewPreparer(fetch)
	split := viewstate.SplitStages(p)
	got := make([][]byte, len(split))
	errs := make([]error, len(split))
	var wg sync.WaitGroup
	for i, k := range split {
		wg.Go(func() { got[i], errs[i] = pr.Prepare(p, k) })
	}
	wg.Wait()
	for i, k := range split {
		want, err := NewPreparer(f.Fetch).Prepare(p, k)
		if err != nil || errs[i] != nil {
			t.Fatalf("stage %d: %v, alone: %v", k, errs[i], err)
		}
		if !bytes.Equal(got[i], want) {
			t.Errorf("stage %d prepared with the others differs from the stage prepared alone", k)
		}
	}
	for name, n := range fetched {
		if n != 1 {
			t.Errorf("%s fetched %d times for %d stages, want once", name, n, len(split))
		}
	}
	if len(fetched) == 0 {
		t.Error("nothing fetched")
	}
	if _, err := pr.Prepare(p, 4); err == nil || !strings.Contains(err.Error(), "stage 4") {
		t.Errorf("stage 4 of a layers view of four prepared: %v", err)
	}
}

// stageAlone computes the t-SNE affinities of stage k of the live view p
// alone, for its pipeline to Adopt.
func stageAlone(p params.Params, fetch Fetcher, k int) (*tsne.Affinities, error) {
	pl, err := NewPreparer(fetch).forward(p, k)
	if err != nil {
		return nil, err
	}
	return stageAffinities(pl, p, k)
}
