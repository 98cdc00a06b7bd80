package params

import (
	"strings"
	"testing"
)

// TestLimits parses every documented limit of every parameter: at the limit
// it is accepted (and encodes back to itself), just beyond it rejected with
// an error naming the key.
func TestLimits(t *testing.T) {
	for _, tc := range []struct {
		query string
		key   string // "" → accepted; otherwise the key the error names
	}{
		{"n=100", ""}, {"n=99", "n"}, {"n=10000", ""}, {"n=10001", "n"},
		{"perplexity=2", ""}, {"perplexity=1.999", "perplexity"},
		{"perplexity=100&n=301", ""}, {"perplexity=100.001&n=10000", "perplexity"},
		{"perplexity=100&n=300", "perplexity"}, // < n/3
		{"perplexity=33.33&n=100", ""}, {"perplexity=33.34&n=100", "perplexity"},
		{"lambda=0", ""}, {"lambda=-0.001", "lambda"}, {"lambda=10", ""}, {"lambda=10.001", "lambda"},
		{"speed=0.1", ""}, {"speed=0.0999", "speed"}, {"speed=10", ""}, {"speed=10.01", "speed"},
		{"hold=0", ""}, {"hold=-0.01", "hold"}, {"hold=30", ""}, {"hold=30.01", "hold"},
		{"transition=0.1", ""}, {"transition=0.099", "transition"}, {"transition=30", ""}, {"transition=30.01", "transition"},
		{"scale=1", ""}, {"scale=0", "scale"}, {"scale=4", ""}, {"scale=5", "scale"},
		{"layer=0", ""}, {"layer=-1", "layer"}, {"layer=4", ""}, {"layer=5", "layer"},
		{"model=cnn&layer=2", ""}, {"model=cnn&layer=3", "layer"},
		{"model=both&view=compare&layer=2", ""}, {"model=both&view=compare&layer=3", "layer"},
		{"view=train&arch=64,64,64&layer=3", ""}, {"view=train&arch=64,64,64&layer=4", "layer"},
		{"view=train&arch=cnn&layer=2", ""}, {"view=train&arch=cnn&layer=3", "layer"},
		{"class=0", ""}, {"class=-1", "class"}, {"class=9", ""}, {"class=10", "class"},
		{"classes=9", ""}, {"classes=0,1,2,3,4,5,6,7,8,9", ""}, {"classes=", "classes"}, {"classes=-1", "classes"},
		{"seed=-9223372036854775808", ""}, {"seed=9223372036854775807", ""},
		{"seed=9223372036854775808", "seed"}, {"seed=-9223372036854775809", "seed"},
		{"arch=16", ""}, {"arch=15", "arch"}, {"arch=512", ""}, {"arch=513", "arch"},
		{"arch=16,16,16,16", ""}, {"arch=16,16,16,16,16", "arch"},
		{"arch=016", "arch"}, {"arch=", "arch"}, {"arch=cnn", ""}, {"arch=64,", "arch"},
		{"act=tanh", ""}, {"act=tanh&arch=cnn", "act"},
		{"lr=0.00001", ""}, {"lr=0.0000099", "lr"}, {"lr=10", ""}, {"lr=10.01", "lr"},
		{"batch=1", ""}, {"batch=0", "batch"}, {"batch=1024", ""}, {"batch=1025", "batch"},
		{"epochs=1", ""}, {"epochs=0", "epochs"}, {"epochs=30", ""}, {"epochs=31", "epochs"},
		{"train=2000", ""}, {"train=1999", "train"}, {"train=20000", ""}, {"train=20001", "train"},
	} {
		p, err := Parse(tc.query)
		switch {
		case tc.key == "" && err != nil:
			t.Errorf("Parse(%q): %v, want it accepted (at the limit)", tc.query, err)
		case tc.key == "":
			if back, err := Parse(p.Encode()); err != nil || back != p {
				t.Errorf("Parse(%q).Encode() = %q parses back to %+v, %v", tc.query, p.Encode(), back, err)
			}
		case tc.key != "" && err == nil:
			t.Errorf("Parse(%q) accepted %+v, want an error (beyond the limit)", tc.query, p)
		case tc.key != "" && !strings.HasPrefix(err.Error(), "params: "+tc.key+"="):
			t.Errorf("Parse(%q) error %q, want it to start %q", tc.query, err, "params: "+tc.key+"=")
		}
	}
}

// TestValidateLimits checks the limits of fields that Parse cannot set to
// an out-of-range value through other keys: Validate alone rejects them.
func TestValidateLimits(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(p *Params)
		key  string
	}{
		{"no class shown", func(p *Params) { p.Classes = [MaxClasses]bool{} }, "classes"},
		{"one class shown", func(p *Params) { p.Classes = [MaxClasses]bool{9: true} }, ""},
		{"unknown model", func(p *Params) { p.Model = "rnn" }, "model"},
		{"unknown view", func(p *Params) { p.View = "" }, "view"},
		{"unknown method", func(p *Params) { p.Method = "umap" }, "method"},
		{"unknown proj", func(p *Params) { p.Proj = "" }, "proj"},
		{"unknown theme", func(p *Params) { p.Theme = "blue" }, "theme"},
		{"unknown act", func(p *Params) { p.Act = "" }, "act"},
	} {
		p := Default()
		tc.set(&p)
		err := p.Validate()
		switch {
		case tc.key == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.key != "" && (err == nil || !strings.HasPrefix(err.Error(), "params: "+tc.key)):
			t.Errorf("%s: error %v, want one starting %q", tc.name, err, "params: "+tc.key)
		}
	}
}
