package params

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// classSet is the classes a view may show: MNIST's digits, or a user's
// data set's classes.
type classSet struct {
	n         int    // classes 0…n−1
	one, many string // what the messages call one and several of them
}

// digits is MNIST's classes.
var digits = classSet{Digits, "digit", "digits"}

// dataClasses returns the classes of a user's data set of n classes.
func dataClasses(n int) classSet { return classSet{min(max(n, 1), MaxClasses), "class", "classes"} }

// list describes a valid classes= value.
func (cs classSet) list() string {
	return fmt.Sprintf("a comma-separated list of %s 0-%d", cs.many, cs.n-1)
}

// Validate reports the first parameter of p that breaks its rule as an
// *Error naming the key as in the URL, e.g.
// `params: perplexity=40: must be < n/3 = 33.33`. The classes and class
// name MNIST's digits, or with Data set those of a published data set
// (up to MaxClasses).
func (p Params) Validate() error {
	if p.Data != "" {
		return p.validate(dataClasses(MaxClasses))
	}
	return p.validate(digits)
}

// ValidateClasses is Validate for a user's data set of n classes
// (1…MaxClasses): classes and class name its classes 0…n−1.
func (p Params) ValidateClasses(n int) error { return p.validate(dataClasses(n)) }

// validate is Validate for the classes cs.
func (p Params) validate(cs classSet) error {
	for _, check := range []func(Params) error{
		checkNames, checkTrain, checkLayer, checkN, checkPerplexity, checkLambda, cs.check, checkSpeed, checkPace, checkLook,
	} {
		var pe *Error
		if err := check(p); errors.As(err, &pe) {
			return pe
		} else if err != nil {
			return fmt.Errorf("params: %w", err)
		}
	}
	return nil
}

func checkNames(p Params) error {
	if !slices.Contains(Models, p.Model) {
		return &Error{Key: "model", Value: p.Model, Rule: fmt.Sprintf("must be one of %s", strings.Join(Models, ", "))}
	}
	if !slices.Contains(Views, p.View) {
		return &Error{Key: "view", Value: p.View, Rule: fmt.Sprintf("must be one of %s", strings.Join(Views, ", "))}
	}
	if p.Method != "" && !slices.Contains(Methods, p.Method) {
		return &Error{Key: "method", Value: p.Method, Rule: fmt.Sprintf("must be one of %s", strings.Join(Methods, ", "))}
	}
	if !slices.Contains(Projs, p.Proj) {
		return &Error{Key: "proj", Value: p.Proj, Rule: fmt.Sprintf("must be one of %s", strings.Join(Projs, ", "))}
	}
	return nil
}

func checkLayer(p Params) error {
	max := p.Hidden()
	if p.Layer >= 0 && p.Layer <= max {
		return nil
	}
	if p.View == "train" {
		return &Error{Key: "layer", Value: fmt.Sprint(p.Layer), Rule: fmt.Sprintf("must be between 0 (last) and %d for arch %s", max, p.Arch)}
	}
	return &Error{Key: "layer", Value: fmt.Sprint(p.Layer), Rule: fmt.Sprintf("must be between 0 (last) and %d for model %s", max, p.Model)}
}

// checkTrain checks the train view's network and run.
func checkTrain(p Params) error {
	if _, err := p.Widths(); err != nil {
		return err
	}
	if !slices.Contains(Acts, p.Act) {
		return &Error{Key: "act", Value: p.Act, Rule: fmt.Sprintf("must be one of %s", strings.Join(Acts, ", "))}
	}
	if p.Arch == "cnn" && p.Act != "relu" {
		return &Error{Key: "act", Value: p.Act, Rule: "the cnn arch uses relu; tanh is for MLP archs"}
	}
	if !(p.LR >= MinLR && p.LR <= MaxLR) {
		return &Error{Key: "lr", Value: fmt.Sprint(p.LR), Rule: fmt.Sprintf("must be between %g and %g", MinLR, float64(MaxLR))}
	}
	if p.Batch < MinBatch || p.Batch > MaxBatch {
		return &Error{Key: "batch", Value: fmt.Sprint(p.Batch), Rule: fmt.Sprintf("must be between %d and %d", MinBatch, MaxBatch)}
	}
	if p.Epochs < MinEpochs || p.Epochs > MaxEpochs {
		return &Error{Key: "epochs", Value: fmt.Sprint(p.Epochs), Rule: fmt.Sprintf("must be between %d and %d", MinEpochs, MaxEpochs)}
	}
	if p.Train < MinTrain || p.Train > MaxTrain {
		return &Error{Key: "train", Value: fmt.Sprint(p.Train), Rule: fmt.Sprintf("must be between %d and %d", MinTrain, MaxTrain)}
	}
	return nil
}

func checkN(p Params) error {
	if p.N < MinN || p.N > MaxN {
		return &Error{Key: "n", Value: fmt.Sprint(p.N), Rule: fmt.Sprintf("must be between %d and %d", MinN, MaxN)}
	}
	return nil
}

func checkPerplexity(p Params) error {
	if !(p.Perplexity >= MinPerplexity && p.Perplexity <= MaxPerplexity) {
		return &Error{Key: "perplexity", Value: fmt.Sprint(p.Perplexity), Rule: fmt.Sprintf("must be between %d and %d", MinPerplexity, MaxPerplexity)}
	}
	if p.Perplexity*3 >= float64(p.N) {
		return &Error{Key: "perplexity", Value: fmt.Sprint(p.Perplexity), Rule: fmt.Sprintf("must be < n/3 = %.4g", float64(p.N)/3)}
	}
	return nil
}

func checkLambda(p Params) error {
	if !(p.Lambda >= MinLambda && p.Lambda <= MaxLambda) {
		return &Error{Key: "lambda", Value: fmt.Sprint(p.Lambda), Rule: fmt.Sprintf("must be between %d and %d", MinLambda, MaxLambda)}
	}
	return nil
}

// check checks the classes shown and the neuron view's class: all
// MaxClasses shown (the default), or some of cs's and none beyond.
func (cs classSet) check(p Params) error {
	if !slices.Contains(p.Classes[:cs.n], true) {
		return &Error{Key: "classes", Bare: true, Rule: "must include at least one " + cs.one}
	}
	if slices.Contains(p.Classes[:], false) && slices.Contains(p.Classes[cs.n:], true) {
		return &Error{Key: "classes", Value: formatClasses(p.Classes), Rule: "must be " + cs.list()}
	}
	if p.Class < 0 || p.Class >= cs.n {
		return &Error{Key: "class", Value: fmt.Sprint(p.Class), Rule: fmt.Sprintf("must be between 0 and %d", cs.n-1)}
	}
	return nil
}

func checkSpeed(p Params) error {
	if !(p.Speed >= MinSpeed && p.Speed <= MaxSpeed) {
		return &Error{Key: "speed", Value: fmt.Sprint(p.Speed), Rule: fmt.Sprintf("must be between %g and %g", MinSpeed, MaxSpeed)}
	}
	return nil
}

func checkPace(p Params) error {
	if !(p.Hold >= MinHold && p.Hold <= MaxHold) {
		return &Error{Key: "hold", Value: fmt.Sprint(p.Hold), Rule: fmt.Sprintf("must be between %g and %g seconds", MinHold, MaxHold)}
	}
	if !(p.Transition >= MinTransition && p.Transition <= MaxTransition) {
		return &Error{Key: "transition", Value: fmt.Sprint(p.Transition), Rule: fmt.Sprintf("must be between %g and %g seconds", MinTransition, MaxTransition)}
	}
	return nil
}

// dataName is the form of a published data set's name.
var dataName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func checkLook(p Params) error {
	if !slices.Contains(Themes, p.Theme) {
		return &Error{Key: "theme", Value: p.Theme, Rule: fmt.Sprintf("must be one of %s", strings.Join(Themes, ", "))}
	}
	if p.Scale < MinScale || p.Scale > MaxScale {
		return &Error{Key: "scale", Value: fmt.Sprint(p.Scale), Rule: fmt.Sprintf("must be between %d and %d", MinScale, MaxScale)}
	}
	if p.Data != "" && !dataName.MatchString(p.Data) {
		return &Error{Key: "data", Value: p.Data, Rule: "must be 1 to 64 letters, digits, - or _ (the name of a data set cmd/layouts -data published)"}
	}
	return nil
}
