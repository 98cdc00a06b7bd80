package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Activation is the non-linearity of a layer.
type Activation uint8

// The activations of hidden layers; the output layer has none.
const (
	Identity Activation = iota
	ReLU
	Tanh
)

// String returns the activation's name as in architecture names.
func (a Activation) String() string {
	switch a {
	case ReLU:
		return "relu"
	case Tanh:
		return "tanh"
	}
	return "identity"
}

// Limits of the MLP architectures New accepts besides the shipped two.
const (
	MinWidth, MaxWidth = 1, 1024 // units of a hidden layer
	MaxLayers          = 8       // hidden layers
)

// spec is an architecture: its parameters (weights w as in×out, biases b as
// 1×out), hidden layers, activation and whether it starts with the CNN's
// convolutions.
type spec struct {
	params []tensor
	hidden []Layer
	act    Activation
	conv   bool
}

// archs are the architectures of the checkpoints in models/.
var archs = map[string]spec{
	"mlp": mlpSpec([]int{256, 256, 256, 256}, ReLU),
	"cnn": {
		params: []tensor{
			{"conv1.w", kernel * kernel * geomIn.c, geomConv1.c}, {"conv1.b", 1, geomConv1.c},
			{"conv2.w", kernel * kernel * geomPool1.c, geomConv2.c}, {"conv2.b", 1, geomConv2.c},
			{"dense1.w", geomPool2.size(), 256}, {"dense1.b", 1, 256},
			{"dense2.w", 256, 128}, {"dense2.b", 1, 128},
			{"out.w", 128, 10}, {"out.b", 1, 10},
		},
		hidden: []Layer{{"dense1", 256}, {"dense2", 128}},
		act:    ReLU,
		conv:   true,
	},
}

// mlpSpec returns the MLP 784-widths…-10 with activation act.
func mlpSpec(widths []int, act Activation) spec {
	s := spec{act: act}
	in := Pixels
	for i, w := range widths {
		name := "dense" + strconv.Itoa(i+1)
		s.params = append(s.params, tensor{name + ".w", in, w}, tensor{name + ".b", 1, w})
		s.hidden = append(s.hidden, Layer{name, w})
		in = w
	}
	s.params = append(s.params, tensor{"out.w", in, Classes}, tensor{"out.b", 1, Classes})
	return s
}

// MLPArch returns the name of the MLP architecture with the given hidden
// widths and activation, e.g. "mlp:128,128" (ReLU) or "mlp:64:tanh", as New
// and checkpoints take it.
func MLPArch(widths []int, act Activation) string {
	ws := make([]string, len(widths))
	for i, w := range widths {
		ws[i] = strconv.Itoa(w)
	}
	name := "mlp:" + strings.Join(ws, ",")
	if act == Tanh {
		name += ":tanh"
	}
	return name
}

// archSpec returns the architecture called arch: "mlp", "cnn", or an
// MLPArch name.
func archSpec(arch string) (spec, error) {
	if s, ok := archs[arch]; ok {
		return s, nil
	}
	bad := fmt.Errorf("model: architecture %q: must be \"mlp\", \"cnn\" or \"mlp:W,W,…[:tanh]\" with 1 to %d widths of %d…%d",
		arch, MaxLayers, MinWidth, MaxWidth)
	rest, ok := strings.CutPrefix(arch, "mlp:")
	if !ok {
		return spec{}, bad
	}
	ws, act, tanh := strings.Cut(rest, ":")
	if tanh && act != "tanh" {
		return spec{}, bad
	}
	parts := strings.Split(ws, ",")
	if len(parts) > MaxLayers {
		return spec{}, bad
	}
	widths := make([]int, len(parts))
	for i, s := range parts {
		w, err := strconv.Atoi(s)
		if err != nil || w < MinWidth || w > MaxWidth || strconv.Itoa(w) != s {
			return spec{}, bad
		}
		widths[i] = w
	}
	a := ReLU
	if tanh {
		a = Tanh
	}
	return mlpSpec(widths, a), nil
}
