package params

import (
	"fmt"
	"slices"
	"strings"
)

// Validate reports the first parameter of p that breaks its rule, naming the
// key as in the URL, e.g. `params: perplexity=40: must be < n/3 = 33.33`.
func (p Params) Validate() error {
	for _, check := range []func(Params) error{
		checkNames, checkTrain, checkLayer, checkN, checkPerplexity, checkLambda, checkClasses, checkSpeed, checkPace, checkLook,
	} {
		if err := check(p); err != nil {
			return fmt.Errorf("params: %w", err)
		}
	}
	return nil
}

func checkNames(p Params) error {
	switch {
	case !slices.Contains(Models, p.Model):
		return fmt.Errorf("model=%s: must be one of %s", p.Model, strings.Join(Models, ", "))
	case !slices.Contains(Views, p.View):
		return fmt.Errorf("view=%s: must be one of %s", p.View, strings.Join(Views, ", "))
	case p.Method != "" && !slices.Contains(Methods, p.Method):
		return fmt.Errorf("method=%s: must be one of %s", p.Method, strings.Join(Methods, ", "))
	case !slices.Contains(Projs, p.Proj):
		return fmt.Errorf("proj=%s: must be one of %s", p.Proj, strings.Join(Projs, ", "))
	}
	return nil
}

func checkLayer(p Params) error {
	max := p.Hidden()
	switch {
	case p.Layer >= 0 && p.Layer <= max:
		return nil
	case p.View == "train":
		return fmt.Errorf("layer=%d: must be between 0 (last) and %d for arch %s", p.Layer, max, p.Arch)
	}
	return fmt.Errorf("layer=%d: must be between 0 (last) and %d for model %s", p.Layer, max, p.Model)
}

// checkTrain checks the train view's network and run.
func checkTrain(p Params) error {
	if _, err := p.Widths(); err != nil {
		return err
	}
	switch {
	case !slices.Contains(Acts, p.Act):
		return fmt.Errorf("act=%s: must be one of %s", p.Act, strings.Join(Acts, ", "))
	case p.Arch == "cnn" && p.Act != "relu":
		return fmt.Errorf("act=%s: the cnn arch uses relu; tanh is for MLP archs", p.Act)
	case !(p.LR >= MinLR && p.LR <= MaxLR):
		return fmt.Errorf("lr=%g: must be between %g and %g", p.LR, MinLR, float64(MaxLR))
	case p.Batch < MinBatch || p.Batch > MaxBatch:
		return fmt.Errorf("batch=%d: must be between %d and %d", p.Batch, MinBatch, MaxBatch)
	case p.Epochs < MinEpochs || p.Epochs > MaxEpochs:
		return fmt.Errorf("epochs=%d: must be between %d and %d", p.Epochs, MinEpochs, MaxEpochs)
	case p.Train < MinTrain || p.Train > MaxTrain:
		return fmt.Errorf("train=%d: must be between %d and %d", p.Train, MinTrain, MaxTrain)
	}
	return nil
}

func checkN(p Params) error {
	if p.N < MinN || p.N > MaxN {
		return fmt.Errorf("n=%d: must be between %d and %d", p.N, MinN, MaxN)
	}
	return nil
}

func checkPerplexity(p Params) error {
	switch {
	case !(p.Perplexity >= MinPerplexity && p.Perplexity <= MaxPerplexity):
		return fmt.Errorf("perplexity=%g: must be between %d and %d", p.Perplexity, MinPerplexity, MaxPerplexity)
	case p.Perplexity*3 >= float64(p.N):
		return fmt.Errorf("perplexity=%g: must be < n/3 = %.4g", p.Perplexity, float64(p.N)/3)
	}
	return nil
}

func checkLambda(p Params) error {
	if !(p.Lambda >= MinLambda && p.Lambda <= MaxLambda) {
		return fmt.Errorf("lambda=%g: must be between %d and %d", p.Lambda, MinLambda, MaxLambda)
	}
	return nil
}

func checkClasses(p Params) error {
	switch {
	case !slices.Contains(p.Classes[:], true):
		return fmt.Errorf("classes: must include at least one digit")
	case p.Class < 0 || p.Class > 9:
		return fmt.Errorf("class=%d: must be between 0 and 9", p.Class)
	}
	return nil
}

func checkSpeed(p Params) error {
	if !(p.Speed >= MinSpeed && p.Speed <= MaxSpeed) {
		return fmt.Errorf("speed=%g: must be between %g and %g", p.Speed, MinSpeed, MaxSpeed)
	}
	return nil
}

func checkPace(p Params) error {
	switch {
	case !(p.Hold >= MinHold && p.Hold <= MaxHold):
		return fmt.Errorf("hold=%g: must be between %g and %g seconds", p.Hold, MinHold, MaxHold)
	case !(p.Transition >= MinTransition && p.Transition <= MaxTransition):
		return fmt.Errorf("transition=%g: must be between %g and %g seconds", p.Transition, MinTransition, MaxTransition)
	}
	return nil
}

func checkLook(p Params) error {
	switch {
	case !slices.Contains(Themes, p.Theme):
		return fmt.Errorf("theme=%s: must be one of %s", p.Theme, strings.Join(Themes, ", "))
	case p.Scale < MinScale || p.Scale > MaxScale:
		return fmt.Errorf("scale=%d: must be between %d and %d", p.Scale, MinScale, MaxScale)
	}
	return nil
}
