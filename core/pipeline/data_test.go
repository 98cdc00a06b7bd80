//go:build !js

package pipeline

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"

	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/core/params"
	"annvis/core/userdata"
	"annvis/models"
)

// exportShipped writes, with npyio's writer, the first n test digits'
// labels, images, predictions and hidden activations of the shipped final
// MLP (the stages "layer 1" … "layer 4") as a .npz, as a user would export
// their own network.
func exportShipped(t *testing.T, n int) []byte {
	t.Helper()
	fetch := FSFetcher(models.FS)
	m, err := loadManifest(fetch)
	if err != nil {
		t.Fatal(err)
	}
	ckpts := m.Checkpoints("mlp")
	v, err := load(fetch, m, ckpts[len(ckpts)-1].File)
	if err != nil {
		t.Fatal(err)
	}
	net := v.(*model.Checkpoint).Net
	v, err = load(fetch, m, TestSetFile)
	if err != nil {
		t.Fatal(err)
	}
	test := v.(*mnist.Set)
	hidden := make([][][]float32, len(net.Hidden()))
	var preds []uint8
	for from := 0; from < n; from += Batch {
		to := min(from+Batch, n)
		out, err := net.Forward(test.Images[from*mnist.Pixels:to*mnist.Pixels], to-from)
		if err != nil {
			t.Fatal(err)
		}
		for k, l := range net.Hidden() {
			for i := range to - from {
				hidden[k] = append(hidden[k], out.Hidden[k][i*l.Size:(i+1)*l.Size])
			}
		}
		for i := range to - from {
			preds = append(preds, uint8(model.Predict(out.Logits, i)))
		}
	}
	images := make([][][]uint8, n)
	for i := range images {
		for y := range mnist.Side {
			images[i] = append(images[i], test.Image(i)[y*mnist.Side:(y+1)*mnist.Side])
		}
	}
	var b bytes.Buffer
	w := npz.NewWriter(&b)
	write := func(name string, v any) {
		if err := w.Write(name, v); err != nil {
			t.Fatal(err)
		}
	}
	write("labels", test.Labels[:n])
	write("predictions", preds)
	write("images", images)
	for k := range hidden {
		write(fmt.Sprintf("layer %d", k+1), hidden[k])
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDataRoundTrip opens the shipped MLP's activations, exported to a
// .npz, as the user's data: its layers view equals the built-in live view
// of the same parameters bit for bit, labels and predictions included.
func TestDataRoundTrip(t *testing.T) {
	const n = 300
	set, err := userdata.ReadNPZ(exportShipped(t, n), userdata.Page)
	if err != nil {
		t.Fatal(err)
	}
	p := params.Default()
	p.N, p.Perplexity = n, 20
	builtin, data := New(p, FSFetcher(models.FS), true), NewData(p, set)
	run(t, builtin)
	run(t, data)
	if !slices.Equal(builtin.Stages(), data.Stages()) || !slices.Equal(builtin.Labels(), data.Labels()) {
		t.Fatalf("stages %q labels %v…, built-in %q %v…", data.Stages(), data.Labels()[:5], builtin.Stages(), builtin.Labels()[:5])
	}
	for k := range builtin.Stages() {
		want, got := builtin.Positions(k, nil), data.Positions(k, nil)
		if len(want) != 2*n || !slices.Equal(got, want) {
			t.Fatalf("stage %d: positions differ (%d values, %d built-in)", k, len(got), len(want))
		}
		if !slices.Equal(builtin.Predicted(k), data.Predicted(k)) {
			t.Fatalf("stage %d: predictions differ", k)
		}
	}
	if !slices.Equal(builtin.Image(7), data.Image(7)) {
		t.Error("digit 7's image differs")
	}
}

// TestDataViews runs every view of a small data set whose two stages
// share neurons, refuses the views that do not apply, and accepts data at
// the limits.
func TestDataViews(t *testing.T) {
	set := blobs(120, 3, 6, 2)
	set.Kind, set.Shared = "epochs", true
	for _, view := range DataViews {
		t.Run(view, func(t *testing.T) {
			p := params.Default()
			p.View, p.Perplexity = view, 10
			pl := NewData(p, set)
			stepUntil(t, pl, func() bool { return pl.Status().Progress == 1 })
			if st := pl.Status(); st.Err != nil || st.Progress != 1 {
				t.Fatalf("status %+v", st)
			}
			want := map[string]int{"neurons": 2, "map": 1}[view]
			if want == 0 {
				want = 2
			}
			if len(pl.Stages()) != want {
				t.Fatalf("stages %q", pl.Stages())
			}
		})
	}
	for _, c := range []struct {
		edit func(p *params.Params, s *userdata.Set)
		want string
	}{
		{func(p *params.Params, s *userdata.Set) { s.Shared = false; p.View = "neurons" }, "the neurons view needs stages that share neurons"},
		{func(p *params.Params, s *userdata.Set) { p.View = "compare" }, "the compare view does not apply to your data"},
		{func(p *params.Params, s *userdata.Set) { p.Perplexity = 40 }, "perplexity 40 needs more than 120 points, your data has 120"},
		{func(p *params.Params, s *userdata.Set) { s.ClassNames = make([]string, 21) }, "your data has 21 classes; the views show at most 20"},
		{func(p *params.Params, s *userdata.Set) { p.View, p.Class = "neurons", 3 }, "params: class=3: must be between 0 and 2"},
		{func(p *params.Params, s *userdata.Set) { s.Shared = false; p.View = "map" }, "the map view needs stages that share neurons"},
		// Accepted: the limits themselves.
		{func(p *params.Params, s *userdata.Set) { s.Shared = false }, ""},
		{func(p *params.Params, s *userdata.Set) { p.Perplexity = 39.9 }, ""},
		{func(p *params.Params, s *userdata.Set) { s.ClassNames = make([]string, 20) }, ""},
	} {
		s, p := *set, params.Default()
		c.edit(&p, &s)
		err := NewData(p, &s).Status().Err
		if c.want == "" && err != nil {
			t.Errorf("%v, want it accepted", err)
		} else if c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}

// blobs returns a data set of n points in c classes with stages of d
// columns: class k's points around k on every column, spreading less at
// each stage.
func blobs(n, c, d, stages int) *userdata.Set {
	s := &userdata.Set{Kind: "layers"}
	for k := range c {
		s.ClassNames = append(s.ClassNames, fmt.Sprint(k))
	}
	for i := range n {
		s.Labels = append(s.Labels, uint8(i%c))
	}
	for st := range stages {
		v := make([]float32, n*d)
		for i := range v {
			noise := float32((i*7919)%101)/101 - 0.5
			v[i] = float32(s.Labels[i/d]) + noise*float32(stages-st)
		}
		s.Stages = append(s.Stages, userdata.Stage{Name: fmt.Sprint("stage ", st), Dim: d, Values: v})
	}
	return s
}

// TestDataPublished publishes a data set's layers view (cmd/layouts -data)
// and opens the published file: the same positions, precomputed, at once;
// other parameters are refused, the activations being left out.
func TestDataPublished(t *testing.T) {
	set := blobs(150, 3, 5, 3)
	p := params.Default()
	p.Perplexity = 10
	pl := NewData(p, set)
	run(t, pl)
	l, err := pl.Published()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := userdata.WritePublished(&b, set, l); err != nil {
		t.Fatal(err)
	}
	pub, err := userdata.ReadNPZ(b.Bytes(), userdata.Page)
	if err != nil {
		t.Fatal(err)
	}
	shown := NewData(p, pub)
	if steps := run(t, shown); steps > 2 || !shown.Status().Precomputed {
		t.Fatalf("published view: %d units of work, status %+v", steps, shown.Status())
	}
	for k := range 3 {
		if !slices.Equal(shown.Positions(k, nil), pl.Positions(k, nil)) || shown.Quality(k).NH != pl.Quality(k).NH {
			t.Fatalf("stage %d differs from the computed view", k)
		}
	}
	p.Seed = 4
	if err := NewData(p, pub).Status().Err; err == nil || !strings.Contains(err.Error(), "published data holds only") {
		t.Errorf("another seed: %v", err)
	}
}
