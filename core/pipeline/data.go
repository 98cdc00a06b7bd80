package pipeline

import (
	"fmt"
	"math"
	"slices"

	"annvis/core/mnist"
	"annvis/core/params"
	"annvis/core/tsne"
	"annvis/core/userdata"
	"annvis/core/viewstate"
)

// DataViews lists the views of a user's data set (core/userdata): the
// digit views of its stages, and the neuron views when its stages share
// neurons.
var DataViews = []string{"layers", "epochs", "trace", "bundled", "neurons", "map"}

// NewData returns a pipeline for the view p of the user's data set s: its
// stages take the place of a network's layers or epochs, every point is
// shown (N is the data's) and everything is computed live, as the built-in
// networks' live views are, from the activations in s. The sequence method
// defaults to joint for epochs and chained for layers, as for the networks.
func NewData(p params.Params, s *userdata.Set) *Pipeline {
	p.N = s.N()
	if p.Method == "" {
		p.Method = map[string]string{"epochs": "joint", "layers": "chained"}[s.Kind]
	}
	pl := &Pipeline{p: p, live: true, fetch: &fetcher{}}
	if err := checkData(p, s); err != nil {
		pl.fail(err)
		return pl
	}
	stages := s.Stages
	switch p.View {
	case "neurons":
		stages = []userdata.Stage{stages[0], stages[len(stages)-1]}
		if len(s.Stages) == 1 {
			stages = stages[:1]
		}
	case "map":
		stages = stages[len(stages)-1:]
	}
	for _, st := range stages {
		pl.names = append(pl.names, st.Name)
		pl.dims = append(pl.dims, st.Dim)
		pl.acts = append(pl.acts, st.Values)
		pl.preds = append(pl.preds, predictions(s))
	}
	pl.labels = s.Labels
	pl.test = images(s)
	pl.done = p.N
	pl.status.Phase = "data read"
	if publishedFor(p, s) {
		pl.layouts, pl.status.Precomputed = dataLayouts(p, s), true
	}
	return pl
}

// publishedFor reports whether the layouts published with s show the digit
// view p: same method, perplexity and seed.
func publishedFor(p params.Params, s *userdata.Set) bool {
	l := s.Layouts
	return l != nil && p.View != "neurons" && p.View != "map" &&
		l.Method == p.Method && l.Perplexity == p.Perplexity && l.Seed == p.Seed
}

// dataLayouts returns the layouts published with s as the pipeline's.
func dataLayouts(p params.Params, s *userdata.Set) *Layouts {
	l := &Layouts{Network: "data", View: s.Kind, Method: p.Method, Seed: p.Seed, Perplexity: p.Perplexity, Labels: s.Labels}
	for k, st := range s.Stages {
		q := viewstate.Quality{NH: s.Layouts.Quality[k][0], TW: s.Layouts.Quality[k][1]}
		for _, v := range []*float64{&q.NH, &q.TW} {
			if *v < 0 {
				*v = math.NaN() // unknown
			}
		}
		l.Stages = append(l.Stages, Stage{Name: st.Name, Predicted: predictions(s), Positions: s.Layouts.Positions[k], Quality: q})
	}
	return l
}

// Published returns the finished digit view of the user's data as the
// layouts userdata.WritePublished writes with it (cmd/layouts -data).
// Trustworthiness, quadratic in N, is computed up to MaxTrustN points and
// published as unknown (−1) beyond.
func (pl *Pipeline) Published() (*userdata.Layouts, error) {
	if !pl.status.Done || pl.neuronView() {
		return nil, fmt.Errorf("pipeline: layouts requested of a %s view that is not done (%s)", pl.p.View, pl.status.Phase)
	}
	out := &userdata.Layouts{Method: pl.p.Method, Perplexity: pl.p.Perplexity, Seed: pl.p.Seed}
	for k := range pl.names {
		pos := pl.Positions(k, nil)
		q := pl.Quality(k)
		if math.IsNaN(q.TW) && pl.p.N <= MaxTrustN && pl.acts[k] != nil {
			q.TW = tsne.Trustworthiness(pl.acts[k], pl.dims[k], pos, QualityK)
		}
		pq := [2]float64{q.NH, q.TW}
		for i := range pq {
			if math.IsNaN(pq[i]) {
				pq[i] = -1
			}
		}
		out.Quality = append(out.Quality, pq)
		out.Positions = append(out.Positions, pos)
	}
	return out, nil
}

// checkData reports why the view p cannot show s, or nil.
func checkData(p params.Params, s *userdata.Set) error {
	q := p
	q.N, q.Model, q.Layer = params.MaxN, "mlp", 0 // N and the layer are the data's
	// The game checks the classes shown against all its data sets (the
	// compare view's two may differ); the neuron view's class is this one's.
	q.Classes = params.Default().Classes
	if err := q.ValidateClasses(s.Classes()); err != nil {
		return err
	}
	if !slices.Contains(DataViews, p.View) {
		return fmt.Errorf("pipeline: the %s view does not apply to your data; its views are %v", p.View, DataViews)
	}
	if p.Perplexity*3 >= float64(s.N()) {
		return fmt.Errorf("pipeline: perplexity %g needs more than %g points, your data has %d", p.Perplexity, 3*p.Perplexity, s.N())
	}
	if s.Classes() > params.MaxClasses {
		return fmt.Errorf("pipeline: your data has %d classes; the views show at most %d", s.Classes(), params.MaxClasses)
	}
	if (p.View == "neurons" || p.View == "map") && !s.Shared {
		return fmt.Errorf("pipeline: the %s view needs stages that share neurons (meta \"shared_neurons\": true)", p.View)
	}
	if s.Published() && !publishedFor(p, s) {
		l := s.Layouts
		return fmt.Errorf("pipeline: this published data holds only its layers or epochs view's layouts for method=%s perplexity=%g seed=%d, not its activations", l.Method, l.Perplexity, l.Seed)
	}
	return nil
}

// predictions returns the data's predictions, or its labels (no point is
// marked misclassified) when it has none.
func predictions(s *userdata.Set) []uint8 {
	if s.Predicted != nil {
		return s.Predicted
	}
	return s.Labels
}

// images returns the data's images resampled (nearest pixel) to the 28×28
// of the hover card, with its labels, or nil without images.
func images(s *userdata.Set) *mnist.Set {
	im := s.Images
	if im == nil {
		return nil
	}
	t := &mnist.Set{Labels: s.Labels, Images: make([]uint8, s.N()*mnist.Pixels)}
	for i := range s.N() {
		src, dst := im.Image(i), t.Images[i*mnist.Pixels:]
		for y := range mnist.Side {
			for x := range mnist.Side {
				dst[y*mnist.Side+x] = src[(y*im.H/mnist.Side)*im.W+x*im.W/mnist.Side]
			}
		}
	}
	return t
}

// StartData is Start for the user's data set s (NewData).
func StartData(p params.Params, s *userdata.Set) *Background {
	return startBackground(NewData(p, s))
}

// StartDataInWorker is StartInWorker for the user's data set s.
func StartDataInWorker(p params.Params, s *userdata.Set) *Background {
	return startLooping(NewData(p, s), WorkerLoop)
}
