package params

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	cnnEpochs := Default()
	cnnEpochs.Model, cnnEpochs.View = "cnn", "epochs"
	full := Default()
	full.Model, full.View, full.Layer, full.N = "cnn", "epochs", 2, 5000
	full.Perplexity, full.Seed, full.Method, full.Lambda = 12.5, -7, "dynamic", 0.05
	full.Classes = [MaxClasses]bool{0: true, 1: true, 7: true}
	full.Class, full.Embed, full.Speed = 3, true, 2.5
	full.Proj, full.Hold, full.Transition = "tsne", 0, 4
	full.Theme, full.Scale = "light", 2
	trainRun := Default()
	trainRun.View, trainRun.Arch, trainRun.Act, trainRun.LR = "train", "32,64,128,512", "tanh", 0.01
	trainRun.Batch, trainRun.Epochs, trainRun.Train, trainRun.Layer = 32, 2, 2000, 4
	cnnRun := Default()
	cnnRun.View, cnnRun.Arch, cnnRun.Layer = "train", "cnn", 2
	for _, tc := range []struct {
		query string
		want  Params
	}{
		{"", Default()},
		{"?", Default()},
		{"?model=cnn&view=epochs", cnnEpochs},
		{"model=cnn&view=epochs", cnnEpochs},
		{"view=epochs&model=cnn", cnnEpochs},
		{"model=cnn&view=epochs&layer=2&n=5000&perplexity=12.5&seed=-7&method=dynamic&lambda=0.05&classes=0,1,7&class=3&embed=1&speed=2.5&proj=tsne&hold=0&transition=4&theme=light&scale=2", full},
		{"scale=02&theme=light&transition=4.0&hold=0.0&proj=tsne&classes=7%2C1%2C0&model=cnn&view=epochs&layer=2&n=5000&perplexity=12.5&seed=-7&method=dynamic&lambda=0.05&class=3&embed=true&speed=2.5", full},
		{"embed=0", Default()},
		{"view=train&arch=32,64,128,512&act=tanh&lr=0.01&batch=32&epochs=2&train=2000&layer=4", trainRun},
		{"view=train&arch=cnn&layer=2", cnnRun},
	} {
		got, err := Parse(tc.query)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.query, err)
			continue
		}
		if got != tc.want {
			t.Errorf("Parse(%q) = %+v, want %+v", tc.query, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ query, want string }{
		{"n=-5", "params: n=-5: must be between 100 and 10000"},
		{"n=10001", "params: n=10001: must be between 100 and 10000"},
		{"n=abc", "params: n=abc: not an integer"},
		{"n=", "params: n=: not an integer"},
		{"model=nope", "params: model=nope: must be one of mlp, cnn, both"},
		{"view=3d", "params: view=3d: must be one of layers, epochs, trace, bundled, neurons, map, compare, train"},
		{"method=umap", "params: method=umap: must be one of chained, joint, dynamic"},
		{"layer=5", "params: layer=5: must be between 0 (last) and 4 for model mlp"},
		{"model=cnn&layer=3", "params: layer=3: must be between 0 (last) and 2 for model cnn"},
		{"layer=-1", "params: layer=-1: must be between 0 (last) and 4 for model mlp"},
		{"perplexity=1", "params: perplexity=1: must be between 2 and 100"},
		{"perplexity=NaN", "params: perplexity=NaN: not a finite number"},
		{"perplexity=Inf", "params: perplexity=Inf: not a finite number"},
		{"n=100&perplexity=40", "params: perplexity=40: must be < n/3 = 33.33"},
		{"seed=1.5", "params: seed=1.5: not a 64-bit integer"},
		{"seed=99999999999999999999", "params: seed=99999999999999999999: not a 64-bit integer"},
		{"lambda=-1", "params: lambda=-1: must be between 0 and 10"},
		{"classes=", "params: classes=: must be a comma-separated list of digits 0-9"},
		{"classes=1,,2", "params: classes=1,,2: must be a comma-separated list of digits 0-9"},
		{"classes=10", "params: classes=10: must be a comma-separated list of digits 0-9"},
		{"class=10", "params: class=10: must be between 0 and 9"},
		{"embed=yes", "params: embed=yes: must be 1 or 0"},
		{"speed=0", "params: speed=0: must be between 0.1 and 10"},
		{"proj=pca", "params: proj=pca: must be one of mds, tsne"},
		{"theme=sepia", "params: theme=sepia: must be one of dark, light"},
		{"scale=0", "params: scale=0: must be between 1 and 4"},
		{"scale=5", "params: scale=5: must be between 1 and 4"},
		{"data=../x", "params: data=../x: must be 1 to 64 letters, digits, - or _ (the name of a data set cmd/layouts -data published)"},
		{"scale=1.5", "params: scale=1.5: not an integer"},
		{"hold=-1", "params: hold=-1: must be between 0 and 30 seconds"},
		{"hold=31", "params: hold=31: must be between 0 and 30 seconds"},
		{"hold=Inf", "params: hold=Inf: not a finite number"},
		{"transition=0", "params: transition=0: must be between 0.1 and 30 seconds"},
		{"transition=x", "params: transition=x: not a finite number"},
		{"n=100&n=200", "params: n given 2 times"},
		{"arch=", "params: arch=: must be cnn or 1 to 4 comma-separated widths, each 16..512"},
		{"arch=8", "params: arch=8: must be cnn or 1 to 4 comma-separated widths, each 16..512"},
		{"arch=513", "params: arch=513: must be cnn or 1 to 4 comma-separated widths, each 16..512"},
		{"arch=64,,64", "params: arch=64,,64: must be cnn or 1 to 4 comma-separated widths, each 16..512"},
		{"arch=064", "params: arch=064: must be cnn or 1 to 4 comma-separated widths, each 16..512"},
		{"arch=mlp", "params: arch=mlp: must be cnn or 1 to 4 comma-separated widths, each 16..512"},
		{"arch=32,32,32,32,32", "params: arch=32,32,32,32,32: at most 4 hidden layers"},
		{"act=sigmoid", "params: act=sigmoid: must be one of relu, tanh"},
		{"arch=cnn&act=tanh", "params: act=tanh: the cnn arch uses relu; tanh is for MLP archs"},
		{"lr=0", "params: lr=0: must be between 1e-05 and 10"},
		{"lr=11", "params: lr=11: must be between 1e-05 and 10"},
		{"lr=NaN", "params: lr=NaN: not a finite number"},
		{"batch=0", "params: batch=0: must be between 1 and 1024"},
		{"epochs=31", "params: epochs=31: must be between 1 and 30"},
		{"epochs=0", "params: epochs=0: must be between 1 and 30"},
		{"train=1999", "params: train=1999: must be between 2000 and 20000"},
		{"train=20001", "params: train=20001: must be between 2000 and 20000"},
		{"view=train&arch=64,64&layer=3", "params: layer=3: must be between 0 (last) and 2 for arch 64,64"},
		{"view=train&arch=cnn&layer=3", "params: layer=3: must be between 0 (last) and 2 for arch cnn"},
		{"colour=red", `params: colour is an unknown key (known: model, view, layer, n, perplexity, seed, method, lambda, classes, class, embed, speed, proj, hold, transition, theme, scale, data, arch, act, lr, batch, epochs, train)`},
		{"n=1;m=2", `params: query "n=1;m=2": invalid semicolon separator in query`},
		{"n=%zz", `params: query "n=%zz": invalid URL escape (% must be followed by two hex digits)`},
		{"n=" + strings.Repeat("9", 20000), "params: n=" + strings.Repeat("9", 39) + "…" + strings.Repeat("9", 40) + ": not an integer"},
		{strings.Repeat("k", 1000) + "=1", "params: " + strings.Repeat("k", 39) + "…" + strings.Repeat("k", 40) + " is an unknown key (known: "},
		{"n=%zz" + strings.Repeat("x", 1000), `params: query "n=%zz` + strings.Repeat("x", 34) + "…" + strings.Repeat("x", 40) + `": invalid URL escape (% must be followed by two hex digits)`},
	} {
		got, err := Parse(tc.query)
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want error %q", tc.query, got, tc.want)
			continue
		}
		if err.Error() != tc.want && !(strings.HasSuffix(tc.want, "(known: ") && strings.HasPrefix(err.Error(), tc.want)) {
			t.Errorf("Parse(%q) error\n got %q\nwant %q", tc.query, err, tc.want)
		}
		if got != Default() {
			t.Errorf("Parse(%q) returned %+v with its error, want Default()", tc.query, got)
		}
	}
}

func TestEncode(t *testing.T) {
	p := Default()
	p.Model, p.N, p.Seed, p.Perplexity = "cnn", 3000, 42, 7.25
	p.ToggleClass(3, Digits)
	p.Embed = true
	q := Default()
	q.View, q.Proj, q.Hold, q.Transition = "map", "tsne", 2.5, 0.75
	q.Theme, q.Scale = "light", 3
	for _, tc := range []struct {
		p    Params
		want string
	}{
		{Default(), ""},
		{p, "model=cnn&n=3000&perplexity=7.25&seed=42&classes=0,1,2,4,5,6,7,8,9&embed=1"},
		{q, "view=map&proj=tsne&hold=2.5&transition=0.75&theme=light&scale=3"},
	} {
		if got := tc.p.Encode(); got != tc.want {
			t.Errorf("Encode() = %q, want %q", got, tc.want)
		}
		if back, err := Parse(tc.want); err != nil || back != tc.p {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tc.want, back, err, tc.p)
		}
	}
}

func TestIsDefaultView(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  bool
	}{
		{"", true},
		{"model=cnn", true},
		{"classes=1,7&embed=1&speed=2&class=4", true},
		{"hold=3&transition=2", true}, // the pace does not change the layouts
		{"theme=light&scale=2", true}, // nor does the look
		{"proj=tsne", false},
		{"method=chained", true},
		{"layer=2", true},  // the layers view shows every layer
		{"lambda=1", true}, // lambda only matters for the dynamic method
		{"model=both", false},
		{"view=epochs", false},
		{"seed=1", false},
		{"n=2001", false},
		{"perplexity=29", false},
		{"method=dynamic", false},
	} {
		p, err := Parse(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.IsDefaultView(); got != tc.want {
			t.Errorf("Parse(%q).IsDefaultView() = %v, want %v", tc.query, got, tc.want)
		}
	}
}

func TestEffective(t *testing.T) {
	for _, tc := range []struct {
		query, method string
		layer         int
	}{
		{"", "chained", 4},
		{"view=train", "chained", 2},
		{"view=train&arch=cnn", "chained", 2},
		{"view=train&arch=16,16,16", "chained", 3},
		{"view=epochs", "joint", 4},
		{"view=epochs&model=cnn", "joint", 2},
		{"view=epochs&method=dynamic&layer=1", "dynamic", 1},
	} {
		p, err := Parse(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		if m, l := p.EffectiveMethod(), p.EffectiveLayer(); m != tc.method || l != tc.layer {
			t.Errorf("Parse(%q): method %q layer %d, want %q %d", tc.query, m, l, tc.method, tc.layer)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "?model=cnn&view=epochs", "n=-5", "model=nope", "classes=0,1,7&embed=1",
		"perplexity=33.3&n=100", "lambda=0.000001&speed=9.99", "seed=-9223372036854775808",
		"layer=2&model=both&view=compare", "n=1;m=2", "%zz", "perplexity=1e2", "lambda=-0",
		"proj=tsne&hold=0&transition=30", "hold=1e-9&transition=0.1", "proj=MDS",
		"theme=light&scale=4", "scale=0", "theme=Light",
		"view=train&arch=32&epochs=2&train=2000&n=300", "arch=cnn&lr=1e-3&batch=7", "act=tanh&arch=16,512",
	} {
		f.Add(s)
	}
	f.Add("classes=0,12,19&class=19")
	f.Fuzz(func(t *testing.T, query string) {
		if q, err := ParseClasses(query, MaxClasses); err == nil {
			if back, err := ParseClasses(q.Encode(), MaxClasses); err != nil || back != q {
				t.Fatalf("ParseClasses(Encode(%+v) = %q, 20) = %+v, %v", q, q.Encode(), back, err)
			}
		}
		p, err := Parse(query)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "params: ") {
				t.Fatalf("Parse(%q) error %q lacks the package prefix", query, err)
			}
			if n := utf8.RuneCountInString(err.Error()); n > 8*MaxQuoted+200 { // %q writes a bad byte as \xNN
				t.Fatalf("Parse(%q): a message of %d characters", query, n)
			}
			if fixed, _ := Repair(query); fixed != "" {
				if _, err := Parse(fixed); err != nil {
					t.Fatalf("Repair(%q) = %q, which does not parse: %v", query, fixed, err)
				}
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Parse(%q) accepted %+v, but Validate: %v", query, p, err)
		}
		enc := p.Encode()
		back, err := Parse(enc)
		if err != nil {
			t.Fatalf("Parse(Encode(%+v) = %q): %v", p, enc, err)
		}
		if back != p || back.Encode() != enc {
			t.Fatalf("round trip of %q via %q: got %+v, want %+v", query, enc, back, p)
		}
	})
}

func TestRepair(t *testing.T) {
	for _, tc := range []struct {
		query, want, dropped string
	}{
		{"?n=0&model=cnn", "model=cnn", "n"},
		{"view=epochs&n=0&perplexity=NaN&colour=red", "view=epochs", "colour perplexity n"},
		{"n=100&perplexity=40", "n=100", "perplexity"},
		{"model=cnn&view=epochs", "model=cnn&view=epochs", ""},
		{"n=%zz&model=cnn", "", ""},
		{"n=1&n=2&seed=4", "seed=4", "n"},
		{"classes=&seed=4", "seed=4", "classes"},
	} {
		got, dropped := Repair(tc.query)
		if got != tc.want || strings.Join(dropped, " ") != tc.dropped {
			t.Errorf("Repair(%q) = %q, %q; want %q, %q", tc.query, got, dropped, tc.want, tc.dropped)
		}
	}
}

func TestElide(t *testing.T) {
	for _, tc := range []struct {
		s    string
		max  int
		want string
	}{
		{"short", 80, "short"},
		{"abcdefghij", 5, "ab…ij"},
		{"αβγδεζηθικ", 6, "αβ…θικ"},
	} {
		if got := Elide(tc.s, tc.max); got != tc.want {
			t.Errorf("Elide(%q, %d) = %q, want %q", tc.s, tc.max, got, tc.want)
		}
	}
}

// TestDataClasses checks the classes and class keys of a user's data set of
// up to MaxClasses classes: accepted up to the data's last class, rejected
// beyond it with a message naming its classes, and MNIST's digits keep
// theirs.
func TestDataClasses(t *testing.T) {
	for _, tc := range []struct {
		query string
		n     int // the data's classes; 0: MNIST (Parse)
		want  string
	}{
		{"classes=0,12,19&class=19", 20, ""},
		{"classes=19", 20, ""},
		{"classes=20", 20, "params: classes=20: must be a comma-separated list of classes 0-19"},
		{"classes=012", 20, "params: classes=012: must be a comma-separated list of classes 0-19"},
		{"class=20", 20, "params: class=20: must be between 0 and 19"},
		{"classes=14", 14, "params: classes=14: must be a comma-separated list of classes 0-13"},
		{"class=13", 14, ""},
		{"classes=12", 0, "params: classes=12: must be a comma-separated list of digits 0-9"},
		{"class=12", 0, "params: class=12: must be between 0 and 9"},
		{"data=flowers&classes=19&class=19", 0, ""}, // a published data set: its reader checks the classes
		{"data=flowers&classes=20", 0, "params: classes=20: must be a comma-separated list of classes 0-19"},
	} {
		var err error
		var p Params
		if tc.n == 0 {
			p, err = Parse(tc.query)
		} else {
			p, err = ParseClasses(tc.query, tc.n)
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q with %d classes: %v", tc.query, tc.n, err)
		case tc.want == "" && tc.n > 0:
			if back, err := ParseClasses(p.Encode(), tc.n); err != nil || back != p {
				t.Errorf("%q with %d classes encodes to %q, which parses to %+v, %v", tc.query, tc.n, p.Encode(), back, err)
			}
		case tc.want != "" && (err == nil || err.Error() != tc.want):
			t.Errorf("%q with %d classes: error %v, want %q", tc.query, tc.n, err, tc.want)
		}
	}
}

// TestToggleClass hides and shows classes as a click on the legend does:
// the URL lists only the data's classes, and all of them shown is the
// default again.
func TestToggleClass(t *testing.T) {
	p := Default()
	p.ToggleClass(15, 20)
	if got := p.Encode(); got != "classes=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,16,17,18,19" {
		t.Errorf("20 classes, 15 hidden: %q", got)
	}
	if err := p.ValidateClasses(20); err != nil {
		t.Error(err)
	}
	p.ToggleClass(15, 20)
	if p != Default() {
		t.Errorf("15 shown again: %q, want the default", p.Encode())
	}
	p.ToggleClass(2, Digits)
	if got := p.Encode(); got != "classes=0,1,3,4,5,6,7,8,9" || p.Validate() != nil {
		t.Errorf("digit 2 hidden: %q, %v", got, p.Validate())
	}
	p.ToggleClass(12, Digits) // no digit 12: nothing changes
	p.ToggleClass(2, Digits)
	if p != Default() {
		t.Errorf("digit 2 shown again: %q, want the default", p.Encode())
	}
	q := Default()
	q.Classes[12] = false // hidden beyond MNIST's digits: not a valid digit list
	if err := q.Validate(); err == nil || !strings.Contains(err.Error(), "digits 0-9") {
		t.Errorf("class 12 of MNIST hidden: %v", err)
	}
}
