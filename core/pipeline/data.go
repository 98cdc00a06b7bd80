package pipeline

import (
	"fmt"
	"slices"

	"annvis/core/mnist"
	"annvis/core/neurons"
	"annvis/core/params"
	"annvis/core/userdata"
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
	return pl
}

// checkData reports why the view p cannot show s, or nil.
func checkData(p params.Params, s *userdata.Set) error {
	q := p
	q.N, q.Model, q.Layer = params.MaxN, "mlp", 0 // N and the layer are the data's
	if err := q.Validate(); err != nil {
		return err
	}
	switch {
	case !slices.Contains(DataViews, p.View):
		return fmt.Errorf("pipeline: the %s view does not apply to your data; its views are %v", p.View, DataViews)
	case p.Perplexity*3 >= float64(s.N()):
		return fmt.Errorf("pipeline: perplexity %g needs more than %g points, your data has %d", p.Perplexity, 3*p.Perplexity, s.N())
	case s.Classes() > neurons.Classes:
		return fmt.Errorf("pipeline: your data has %d classes; the views show at most %d", s.Classes(), neurons.Classes)
	case (p.View == "neurons" || p.View == "map") && !s.Shared:
		return fmt.Errorf("pipeline: the %s view needs stages that share neurons (meta \"shared_neurons\": true)", p.View)
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
