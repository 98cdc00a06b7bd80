package viewstate

import (
	"fmt"

	"annvis/core/params"
)

// Views lists the views whose layouts a pipeline computes.
var Views = []string{"layers", "epochs", "trace", "bundled", "neurons", "map"}

// KnownView reports whether v is one of Views.
func KnownView(v string) bool {
	for _, w := range Views {
		if v == w {
			return true
		}
	}
	return false
}

// Sequence returns what the stages of the digit view p are: "epochs" for
// the epochs view, the bundled view and the trace view of one hidden layer
// (Layer > 0), "layers" otherwise. The bundled view shows one layer (the
// last when Layer is 0) across epochs: those trails flow from the untrained
// network's mixed layout to the trained clusters, and bundle into streams,
// where the short trails from layer to layer bundle into one starburst per
// class.
func Sequence(p params.Params) string {
	if p.View == "epochs" || p.View == "bundled" || p.View == "trace" && p.Layer > 0 {
		return "epochs"
	}
	return "layers"
}

// Method returns the t-SNE sequence method of the view p: Method, or the
// default of its sequence, joint for epochs and chained for layers.
func Method(p params.Params) string {
	switch {
	case p.Method != "":
		return p.Method
	case Sequence(p) == "epochs":
		return "joint"
	}
	return "chained"
}

// LayoutsFile returns the name of the precomputed layouts asset that shows
// the view p, and whether there is one: with the default digits, perplexity,
// seed, method and neuron projection, each network's layers sequence (layers
// view; trace and bundled views), the epochs sequence of each hidden layer
// (epochs view; trace and bundled views of that layer) and the neuron views
// of each hidden layer (neurons and map views).
func LayoutsFile(p params.Params) (string, bool) {
	q := p
	q.Method = ""
	switch {
	case !KnownView(p.View):
		return "", false
	case Method(p) != Method(q): // not the sequence's default method
		return "", false
	}
	q.View, q.Layer = "layers", 0
	if !q.IsDefaultView() {
		return "", false
	}
	switch {
	case p.View == "neurons" || p.View == "map":
		return fmt.Sprintf("layouts-%s-neurons-%d.zst", p.Model, p.EffectiveLayer()), true
	case Sequence(p) == "epochs":
		return fmt.Sprintf("layouts-%s-epochs-%d.zst", p.Model, p.EffectiveLayer()), true
	}
	return "layouts-" + p.Model + ".zst", true
}

// SplitStages returns the stages of the live view p that other workers can
// compute (pipeline.Preparer) while the view's own pipeline works on
// the stages before them (pipeline.AdoptStage): the t-SNE preparation
// (input similarities) of the stages after the first of a chained or
// dynamic layers sequence, and the trained network's stage of the neurons
// view. Views with shipped
// layouts, the map view (one stage), joint sequences (one run of all
// stages) and epochs sequences (whose stages the manifest names) have none.
func SplitStages(p params.Params) []int {
	_, shipped := LayoutsFile(p)
	switch {
	case shipped || !KnownView(p.View) || p.View == "map":
		return nil
	case p.View == "neurons":
		return []int{1}
	case Sequence(p) != "layers" || Method(p) == "joint":
		return nil
	}
	var stages []int
	for k := 1; k < params.HiddenLayers[p.Model]; k++ {
		stages = append(stages, k)
	}
	return stages
}

// SharesGradient reports whether the live view p's t-SNE can share its
// gradients with another worker (tsne.Sequence.Share) once that worker has
// prepared its stages (SplitStages): a digit view computed live whose
// sequence is chained or joint (a dynamic sequence steps the gradients of
// its stages together).
func SharesGradient(p params.Params) bool {
	_, shipped := LayoutsFile(p)
	return !shipped && KnownView(p.View) && p.View != "neurons" && p.View != "map" && Method(p) != "dynamic"
}
