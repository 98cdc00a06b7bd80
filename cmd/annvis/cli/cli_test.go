package cli

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"

	"annvis/core/params"
)

// flagNames lists every flag of annvis.
var flagNames = []string{
	"model", "view", "layer", "n", "perplexity", "seed", "method", "lambda", "classes", "class", "speed",
	"proj", "hold", "transition", "theme", "scale", "arch", "act", "lr", "batch", "epochs", "train",
	"models", "size", "record", "png", "frames", "fps", "save", "checkpoint",
}

func TestParse(t *testing.T) {
	def := Options{Params: params.Default(), W: 1024, H: 768}
	full := def
	full.Params.Model, full.Params.View, full.Params.Layer, full.Params.N = "cnn", "neurons", 2, 500
	full.Params.Perplexity, full.Params.Seed, full.Params.Method, full.Params.Lambda = 12.5, -7, "dynamic", 0.5
	full.Params.Classes, full.Params.Class, full.Params.Speed = [params.MaxClasses]bool{0: true, 1: true, 7: true}, 3, 2.5
	full.Params.Proj, full.Params.Hold, full.Params.Transition = "tsne", 0.5, 3
	full.Params.Theme, full.Params.Scale = "light", 2
	full.Models, full.W, full.H, full.Record, full.Frames = "/tmp/m", 320, 240, "out.gif", 30
	compare := def
	compare.Params.Model, compare.Params.View, compare.FPS = "both", "compare", 5
	train := def
	train.Params.View, train.Params.Arch, train.Params.Act, train.Params.LR = "train", "32", "tanh", 0.01
	train.Params.Batch, train.Params.Epochs, train.Params.Train = 32, 2, 2000
	train.Save = "out.zst"
	opened := def
	opened.Params.View, opened.Checkpoint = "epochs", "out.zst"
	shot := def
	shot.PNG, shot.Frames = "x.png", 1
	for _, tc := range []struct {
		args []string
		want Options
	}{
		{nil, def},
		{[]string{"-model", "cnn", "-view", "neurons", "-layer", "2", "-n", "500", "-perplexity", "12.5",
			"-seed", "-7", "-method", "dynamic", "-lambda", "0.5", "-classes", "0,1,7", "-class", "3",
			"-speed", "2.5", "-proj", "tsne", "-hold", "0.5", "-transition", "3", "-theme", "light", "-scale", "2", "-models", "/tmp/m", "-size", "320x240", "-record", "out.gif", "-frames", "30"}, full},
		{[]string{"-model=both", "--view=compare", "-fps", "5"}, compare},
		{[]string{"-png", "x.png", "-frames", "1"}, shot},
		{[]string{"-view", "train", "-arch", "32", "-act", "tanh", "-lr", "0.01", "-batch", "32", "-epochs", "2", "-train", "2000", "-save", "out.zst"}, train},
		{[]string{"-view", "epochs", "-checkpoint", "out.zst"}, opened},
	} {
		var out bytes.Buffer
		got, err := Parse(tc.args, &out)
		if err != nil || got != tc.want || out.Len() > 0 {
			t.Errorf("Parse(%q) = %+v, %v, output %q\nwant %+v", tc.args, got, err, out.String(), tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-n", "-5"}, "annvis: params: n=-5: must be between 100 and 10000"},
		{[]string{"-model", "nope"}, "annvis: params: model=nope: must be one of mlp, cnn, both"},
		{[]string{"-view", "3d"}, "annvis: params: view=3d: must be one of layers, epochs, trace, bundled, neurons, map, compare, train"},
		{[]string{"-view", "train", "-arch", "8"}, "annvis: params: arch=8: must be cnn or 1 to 4 comma-separated widths, each 16..512"},
		{[]string{"-lr", "0"}, "annvis: params: lr=0: must be between 1e-05 and 10"},
		{[]string{"-save", "a.zst"}, "annvis: -save: only the train view (-view train) trains a network"},
		{[]string{"-view", "train", "-checkpoint", "a.zst"}, "annvis: -checkpoint: the train view trains its own network; pick another view"},
		{[]string{"-layer", "3", "-model", "cnn"}, "annvis: params: layer=3: must be between 0 (last) and 2 for model cnn"},
		{[]string{"-perplexity", "40", "-n", "100"}, "annvis: params: perplexity=40: must be < n/3 = 33.33"},
		{[]string{"-seed", "x"}, "annvis: params: seed=x: not a 64-bit integer"},
		{[]string{"-method", "umap"}, "annvis: params: method=umap: must be one of chained, joint, dynamic"},
		{[]string{"-lambda", "11"}, "annvis: params: lambda=11: must be between 0 and 10"},
		{[]string{"-classes", "1,,2"}, "annvis: params: classes=1,,2: must be a comma-separated list of digits 0-9"},
		{[]string{"-class", "10"}, "annvis: params: class=10: must be between 0 and 9"},
		{[]string{"-speed", "0"}, "annvis: params: speed=0: must be between 0.1 and 10"},
		{[]string{"-proj", "pca"}, "annvis: params: proj=pca: must be one of mds, tsne"},
		{[]string{"-hold", "-1"}, "annvis: params: hold=-1: must be between 0 and 30 seconds"},
		{[]string{"-theme", "sepia"}, "annvis: params: theme=sepia: must be one of dark, light"},
		{[]string{"-scale", "5"}, "annvis: params: scale=5: must be between 1 and 4"},
		{[]string{"-transition", "0"}, "annvis: params: transition=0: must be between 0.1 and 30 seconds"},
		{[]string{"-size", "big"}, `annvis: -size "big": want WxH, at least 160x120`},
		{[]string{"-size", "100x100"}, `annvis: -size "100x100": want WxH, at least 160x120`},
		{[]string{"-size", "320x240px"}, `annvis: -size "320x240px": want WxH, at least 160x120`},
		{[]string{"-frames", "-1"}, "annvis: -frames -1: must be ≥ 0 (0: at the animation's pace)"},
		{[]string{"-frames", "many"}, `annvis: invalid value "many" for flag -frames: parse error (annvis -h lists the flags)`},
		{[]string{"-fps", "-1"}, "annvis: -fps -1: must be ≥ 0 (0: do not measure)"},
		{[]string{"-record", "a.gif", "-png", "a.png"}, "annvis: -record, -png and -fps exclude each other"},
		{[]string{"-png", "a.png", "-fps", "3"}, "annvis: -record, -png and -fps exclude each other"},
		{[]string{"-embed", "1"}, "annvis: flag provided but not defined: -embed (annvis -h lists the flags)"},
		{[]string{"-n"}, "annvis: flag needs an argument: -n (annvis -h lists the flags)"},
		{[]string{"-n", "500", "extra"}, `annvis: unexpected arguments ["extra"]`},
	} {
		var out bytes.Buffer
		got, err := Parse(tc.args, &out)
		if err == nil || err.Error() != tc.want || got != (Options{}) || out.Len() > 0 {
			t.Errorf("Parse(%q) = %+v, %v, output %q\nwant error %q", tc.args, got, err, out.String(), tc.want)
		}
	}
}

func TestParseHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		var out bytes.Buffer
		_, err := Parse([]string{"-n", "500", arg}, &out)
		if !errors.Is(err, flag.ErrHelp) {
			t.Errorf("Parse(%s) error %v, want flag.ErrHelp", arg, err)
		}
		usage := out.String()
		if !strings.HasPrefix(usage, "Usage: annvis [flags]\n") || !strings.Contains(usage, "xvfb-run -a annvis") {
			t.Errorf("Parse(%s) usage starts %.60q, want the synopsis and the xvfb-run hint", arg, usage)
		}
		for _, f := range flagNames {
			if !strings.Contains(usage, "\n  -"+f+" ") {
				t.Errorf("Parse(%s): the usage does not describe -%s:\n%s", arg, f, usage)
			}
		}
		if !strings.Contains(usage, strings.Join(params.Views, ", ")) {
			t.Errorf("Parse(%s): the usage does not list the views %v", arg, params.Views)
		}
	}
}

func TestCheckDisplay(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	none := env(nil)
	x := env(map[string]string{"DISPLAY": ":0"})
	wayland := env(map[string]string{"WAYLAND_DISPLAY": "wayland-0"})
	for _, tc := range []struct {
		goos   string
		getenv func(string) string
		want   error
	}{
		{"linux", none, NoDisplay},
		{"linux", wayland, NoDisplay},
		{"openbsd", none, NoDisplay},
		{"linux", x, nil},
		{"freebsd", x, nil},
		{"darwin", none, nil},
		{"windows", none, nil},
	} {
		if got := checkDisplay(tc.goos, tc.getenv); got != tc.want {
			t.Errorf("checkDisplay(%s) = %v, want %v", tc.goos, got, tc.want)
		}
	}
}
