package ui

import (
	"fmt"
	"math"
	"strings"
)

// Caption returns the one-line explanation of a view: what a mark is and
// how to read it. stages names the view's stages ("layer 1", …), layer is
// the hidden layer the epochs, neurons and map views show, class the digit
// the neurons view colours by.
func Caption(view string, stages []string, layer, class int) string {
	span := "stage to stage"
	if len(stages) > 1 {
		span = stages[0] + " to " + stages[len(stages)-1]
	}
	switch view {
	case "layers":
		return "Each dot: one test digit, placed by t-SNE of a hidden layer's activations; colour: true digit; ×: misclassified. Trails follow each digit from " + span + ", faint to vivid."
	case "epochs":
		return fmt.Sprintf("Each dot: one test digit, placed by t-SNE of hidden layer %d after a number of training epochs; colour: true digit; ×: misclassified. Trails follow each digit from %s, faint to vivid.", layer, span)
	case "trace":
		return "Every digit's whole path at once, from " + span + ": later steps more opaque and vivid; colour: true digit; dot or ×: its place at the last stage."
	case "bundled":
		return "The paths of every digit from " + span + ", bundled (KDEEB) so that digits moving together form one stroke; colour: true digit; faint to vivid: early to late stage."
	case "neurons":
		return fmt.Sprintf("Each dot: one neuron of hidden layer %d; neurons whose activations over the test digits correlate lie close. Colour and size: rank of its importance for telling digit %d from the others (ExtraTrees), dark and small = least, yellow and large = most.", layer, class)
	case "map":
		return fmt.Sprintf("Each dot: one neuron of hidden layer %d; neurons whose activations correlate lie close. Colour: the digit it helps most to tell apart from the others; size: its importance for that digit, relative to the digit's strongest neuron. A group of one colour: neurons specialised in one digit.", layer)
	case "compare":
		return "Left the MLP, right the CNN, on the same test digits: each dot one digit, placed by t-SNE of a hidden layer's activations; colour: true digit; ×: misclassified; trails from the first hidden layer to the last, faint to vivid."
	case "train":
		return "Each dot: one test digit, placed by t-SNE of a hidden layer of the network trained here, a new stage each epoch (each quarter of a one-epoch run); colour: true digit; ×: misclassified."
	}
	return ""
}

// TrainHeads returns the train view's counters, in three lines and in five
// shorter ones for a narrow panel: the run's state, the epoch and mini-batch
// trained, the optimiser steps taken and the latest test accuracy (acc < 0:
// none yet).
func TrainHeads(state string, epoch, epochs, batch, perEpoch, steps int, acc float64) []string {
	a := "–"
	if acc >= 0 {
		a = fmt.Sprintf("%.1f %%", 100*acc)
	}
	return []string{
		fmt.Sprintf("%s\nepoch %d/%d  batch %d/%d\nstep %d  test accuracy %s", state, epoch, epochs, batch, perEpoch, steps, a),
		fmt.Sprintf("%s\nepoch %d/%d\nbatch %d/%d\nstep %d\naccuracy %s", state, epoch, epochs, batch, perEpoch, steps, a),
	}
}

// KeyTitles returns the title of the neuron views' key, from the longest
// form to the shortest, for FitText: what the colour (neurons view, for
// class) or the size (map view) of a neuron measures.
func KeyTitles(view string, class int) []string {
	if view == "map" {
		return []string{"size: importance within its digit", "importance in its digit", "importance"}
	}
	return []string{fmt.Sprintf("colour: importance for digit %d (rank)", class), fmt.Sprintf("importance for %d", class), "importance"}
}

// StressNote explains the stress figure of the neuron views' panel titles,
// for their captions when the neurons are placed by MDS.
const StressNote = "Stress: Kruskal's stress-1 of the MDS fit, 0 = distances kept exactly, above 0.2 = distorted."

// Titles returns the title of a frame, from the longest to the shortest
// form, for FitText: model, view, the stage shown and a detail that the
// shorter forms leave out ("" for none).
func Titles(model, view, stage, detail string) []string {
	m := strings.ToUpper(model)
	var ts []string
	if detail != "" {
		ts = append(ts, fmt.Sprintf("%s · %s view · %s, %s", m, view, stage, detail))
	}
	return append(ts,
		fmt.Sprintf("%s · %s view · %s", m, view, stage),
		fmt.Sprintf("%s %s: %s", m, view, stage),
		fmt.Sprintf("%s %s", m, stage),
		stage,
	)
}

// QualityTexts returns a projection's neighbourhood hit and
// trustworthiness, from the spelled-out form to the shortest, for
// FitText; unknown (NaN) figures are left out, and nothing known gives nil.
func QualityTexts(nh, tw float64) []string {
	type figure struct {
		long, short string
		v           float64
	}
	var long, mid, short []string
	for _, f := range []figure{{"neighbourhood hit", "NH", nh}, {"trustworthiness", "TW", tw}} {
		if math.IsNaN(f.v) {
			continue
		}
		long = append(long, fmt.Sprintf("%s %.2f", f.long, f.v))
		mid = append(mid, fmt.Sprintf("%s %.2f", f.short, f.v))
		short = append(short, f.short+strings.TrimPrefix(fmt.Sprintf("%.2f", f.v), "0"))
	}
	if len(long) == 0 {
		return nil
	}
	return []string{strings.Join(long, " · "), strings.Join(mid, " · "), strings.Join(short, " ")}
}
