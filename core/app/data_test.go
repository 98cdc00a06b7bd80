package app

import "testing"

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
		{d.words("Each dot: one test digit, placed by t-SNE of hidden layer 3; colour: true digit. Trails follow each digit"),
			"Each dot: one point, placed by t-SNE of a layer; colour: true class. Trails follow each point"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if !digits.has(9) || !d.has(2) || d.has(3) {
		t.Error("has: the digits have classes 0…9, the data 0…2")
	}
}
