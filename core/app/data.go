package app

import (
	"regexp"
	"strconv"
	"strings"
)

// dataNames is what the game says of the user's data it shows (SetData):
// its class names in the legend, "your data" for the network, points for
// digits. The zero value is the networks' digits.
type dataNames struct {
	classes []string // the data's class names; nil: the digits 0…9
}

// SetData makes the game speak of the user's data, whose classes are named
// classes (at most 10; colours follow the class index), rather than of
// MNIST digits: the legend, the title and the captions.
func (g *Game) SetData(classes []string) {
	g.data = dataNames{classes: append([]string{}, classes...)}
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
var dataWords = strings.NewReplacer("test digits", "points", "test digit", "point", "each digit", "each point",
	"every digit", "every point", "Every digit", "Every point", "true digit", "true class", "digits", "points",
	"one digit", "one class", "digit", "class")

// hiddenLayer names a network's hidden layer in a caption.
var hiddenLayer = regexp.MustCompile(`hidden layer [0-9]+`)

// words returns a caption or title about digits, about the data instead.
func (d dataNames) words(s string) string {
	if d.classes == nil {
		return s
	}
	return dataWords.Replace(hiddenLayer.ReplaceAllString(s, "a layer"))
}
