package app

import (
	"strings"
	"testing"

	"annvis/core/app/ui"
	"annvis/core/params"
)

func TestDataNames(t *testing.T) {
	var digits dataNames
	d := dataNames{classes: []string{"cat", "dog", "emu"}}
	for _, c := range []struct{ got, want string }{
		{digits.class(7), "7"},
		{d.class(1), "dog"},
		{digits.model("mlp"), "mlp"},
		{d.model("mlp"), "your data"},
		{digits.longest(), "0"},
		{d.longest(), "cat"},
		{digits.words("Each dot: one test digit"), "Each dot: one test digit"},
		{d.about("colour: importance for digit 2 (rank)", 2), "colour: importance for emu (rank)"},
		{d.about("importance for 2", 2), "importance for emu"},
		{d.about("size: importance within its digit", 0), "size: importance within its class"},
		{digits.about("importance for 2", 2), "importance for 2"},
		{d.words("Each dot: one test digit, placed by t-SNE of hidden layer 3; colour: true digit. Trails follow each digit"),
			"Each dot: one point, placed by t-SNE of a layer; colour: true class. Trails follow each point"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	compare := d.words(ui.Caption("compare", nil, 0, 0))
	if !strings.HasPrefix(compare, "Left your first data set, right your second") || !strings.Contains(compare, "each dot one point") || strings.Contains(compare, "digit") {
		t.Errorf("compare caption %q", compare)
	}
	if !digits.has(9) || !d.has(2) || d.has(3) {
		t.Error("has: the digits have classes 0…9, the data 0…2")
	}
}

func TestDataFor(t *testing.T) {
	p := params.Default()
	if DataFor(p, []string{"a", "b"}) != "a" || DataFor(p, []string{"a"}) != "a" {
		t.Error("the MLP's place shows the first data set")
	}
	p.Model = "cnn"
	if DataFor(p, []string{"a", "b"}) != "b" || DataFor(p, []string{"a"}) != "a" {
		t.Error("the CNN's place shows the second data set, or the first when there is one")
	}
}
