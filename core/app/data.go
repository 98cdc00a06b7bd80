package app

import (
	"regexp"
	"strconv"
	"strings"

	"annvis/core/params"
)

// dataNames is what the game says of the user's data it shows (SetData):
// its class names in the legend, "your data" for the network, points for
// digits. The zero value is the networks' digits.
type dataNames struct {
	classes []string // the data's class names; nil: the digits 0…9
	second  []string // the second data set's (DataFor), or nil
}

// SetData makes the game speak of the user's data, whose classes are named
// classes (at most params.MaxClasses; colours follow the class index), rather than of
// MNIST digits: the legend, the title and the captions. The names of a
// second data set (DataFor) may follow. A class filter that names
// classes the data does not have is reset: every class shows.
func (g *Game) SetData(classes ...[]string) {
	g.data = dataNames{classes: append([]string{}, classes[0]...)}
	if len(classes) > 1 {
		g.data.second = append([]string{}, classes[1]...)
	}
	if g.pair != nil {
		for _, s := range g.pair.sides {
			s.data = g.data
		}
	}
	// A class filter of other data may name classes these do not have.
	if q := g.p; g.validate(q) != nil {
		q.Classes, q.Class = params.Default().Classes, 0
		if g.validate(q) == nil {
			g.p = q
		}
	}
}

// Classes returns the number of classes the game shows: the ten digits, or
// the most classes of the user's data sets (SetData). The legend has an
// entry for each, and a GIF of the game needs their hues
// (gifenc.Animation.Classes).
func (g *Game) Classes() int {
	if g.data.classes == nil {
		return params.Digits
	}
	return max(len(g.data.classes), len(g.data.second), 1)
}

// validate validates p for the classes the game shows.
func (g *Game) validate(p params.Params) error {
	if g.data.classes == nil {
		return p.Validate()
	}
	return p.ValidateClasses(g.Classes())
}

// names returns the names of the data set the view shows (DataFor).
func (g *Game) names() dataNames {
	if g.data.classes == nil {
		return g.data
	}
	return dataNames{classes: DataFor(g.p, [][]string{g.data.classes, g.data.second}[:1+min(len(g.data.second), 1)])}
}

// has reports whether class c exists.
func (d dataNames) has(c int) bool { return d.classes == nil || c < len(d.classes) }

// class returns the legend's name of class c.
func (d dataNames) class(c int) string {
	if d.classes == nil || c >= len(d.classes) {
		return strconv.Itoa(c)
	}
	return d.classes[c]
}

// longest returns the longest class name, for sizing the hover card.
func (d dataNames) longest() string {
	l := "0"
	for _, c := range d.classes {
		if len(c) > len(l) {
			l = c
		}
	}
	return l
}

// model returns what the title calls the network.
func (d dataNames) model(m string) string {
	if d.classes == nil {
		return m
	}
	return "your data"
}

// dataWords turns the digits' words of the captions into the data's.
var dataWords = strings.NewReplacer("Left the MLP, right the CNN", "Left your first data set, right your second (or the first again)",
	"from the first hidden layer to the last", "from the first stage to the last", "dot one digit", "dot one point", "test digits", "points", "test digit", "point", "each digit", "each point",
	"every digit", "every point", "Every digit", "Every point", "true digit", "true class", "digits", "points",
	"one digit", "one class", "digit", "class")

// hiddenLayer names a network's hidden layer in a caption.
var hiddenLayer = regexp.MustCompile(`hidden layer [0-9]+`)

// about returns a caption or key title about digits and the chosen digit
// class (the neuron views'), about the data and that class's name instead.
func (d dataNames) about(s string, class int) string {
	if d.classes == nil {
		return s
	}
	n := strconv.Itoa(class)
	s = strings.NewReplacer("digit "+n, d.class(class), "for "+n, "for "+d.class(class)).Replace(s)
	return d.words(s)
}

// words returns a caption or title about digits, about the data instead.
func (d dataNames) words(s string) string {
	if d.classes == nil {
		return s
	}
	return dataWords.Replace(hiddenLayer.ReplaceAllString(s, "a layer"))
}
