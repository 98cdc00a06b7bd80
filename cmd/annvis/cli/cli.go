// Package cli reads the command line of cmd/annvis. It imports no Ebiten,
// so that its init, which runs before Ebiten's, can print the usage, report a
// bad flag or a missing display and exit, where Ebiten's own init would
// panic (see Parsed).
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"annvis/core/params"
)

// Options are what the command line asks for.
type Options struct {
	Params     params.Params // the view, from the flags that mirror the page's URL parameters
	Models     string        // directory of the assets; "" = the embedded ones
	W, H       int           // window size
	Record     string        // GIF file to record the animation to, or ""
	PNG        string        // PNG file to write one animated frame to, or ""
	Frames     int           // frames to Record, or the animated frame PNG writes; 0: at the animation's pace
	FPS        int           // seconds to measure the frame rate for; 0 = do not measure
	Save       string        // train view: file to write the trained checkpoint to, or ""
	Checkpoint string        // checkpoint file to show instead of the shipped ones, or ""
	Data       string        // the user's data (.npz file or folder of .npy files) to show, or ""
	Data2      string        // a second data set, beside Data in the compare view (and on key m), or ""
	Debug      bool          // on a crash, print the full trace (default: one line)
}

// paramFlags are the flags that mirror the page's URL parameters.
var paramFlags = []struct{ name, usage string }{
	{"model", "network `M`: mlp, cnn or both (the compare view's two; default mlp)"},
	{"view", "view `V`: " + strings.Join(params.Views, ", ") + " (default layers)"},
	{"layer", "hidden layer `L`, 1-based: of the epochs, neurons and map views, 0 = last;\n" +
		"of the bundled view, that layer's epochs, 0 = the last; of the trace view, that layer's\n" +
		"epochs, 0 = every layer"},
	{"n", "number `N` of test digits, 100..10000 (default 2000)"},
	{"perplexity", "t-SNE perplexity `P`, 2..100 and < n/3 (default 30)"},
	{"seed", "seed `S` of every random choice (default 0)"},
	{"method", "t-SNE sequence method `M`: " + strings.Join(params.Methods, ", ") + " (default: the view's)"},
	{"lambda", "dynamic t-SNE coherence weight `λ`, 0..10 (default 0.1)"},
	{"classes", "`list` of the classes shown, e.g. 0,1,7: digits 0..9, or with -data up to 20 classes (default all)"},
	{"class", "class `C` the neurons view colours by, 0..9 (with -data up to 19; default 0)"},
	{"speed", "animation speed factor `X`, 0.1..10 (default 1)"},
	{"proj", "neuron projection `P` of the neurons and map views: mds or tsne (default mds)"},
	{"hold", "`seconds` the animation and -record rest on each stage, 0..30 (default 1)"},
	{"transition", "`seconds` from one stage to the next at speed 1, 0.1..30 (default 1.5)"},
	{"theme", "colour theme `T`: dark, or light for bright rooms and handouts (default dark)"},
	{"scale", "pixels `S` per window pixel, 1..4, for sharp -png and -record output (default 1)"},
	{"arch", "train view: hidden widths `W,W` of the MLP trained, 1..4 layers of 16..512, or cnn (default 128,128)"},
	{"act", "train view: hidden activation `A` of the MLP, relu or tanh (default relu)"},
	{"lr", "train view: Adam step size `R` of the first epoch, halved every epoch, 1e-05..10 (default 0.005)"},
	{"batch", "train view: mini-batch size `B`, 1..1024 (default 64)"},
	{"epochs", "train view: epochs `E` to train, 1..30 (default 5)"},
	{"train", "train view: training digits `T` used, 2000..20000 (default 10000)"},
}

// usage introduces the list of flags.
const usage = `Usage: annvis [flags]

annvis animates, as t-SNE trails, how the hidden layers of an MLP and a CNN
trained on MNIST separate the test digits, layer to layer and epoch to epoch.
Its flags mirror the web page's URL parameters; in the window, h shows the
keys. -record, -png and -fps write or print their result and exit. Every run
opens a window: on a machine without a display, run annvis under xvfb-run,
e.g. xvfb-run -a annvis -record out.gif

Flags:
`

// Parse reads the flags in args (without the command's name). On -h or
// -help it writes the usage, listing every flag, to out and returns
// flag.ErrHelp. Other errors start with "annvis: " and name the bad flag.
func Parse(args []string, out io.Writer) (Options, error) {
	fs := flag.NewFlagSet("annvis", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var o Options
	query := map[string]*string{}
	for _, f := range paramFlags {
		query[f.name] = fs.String(f.name, "", f.usage)
	}
	fs.StringVar(&o.Models, "models", "", "`dir`ectory of the assets (manifest.json, checkpoints, test set); default: the embedded ones")
	size := fs.String("size", "1024x768", "window size `WxH`, at least 160x120")
	fs.StringVar(&o.Record, "record", "", "write the animation to this GIF `file` and exit")
	fs.StringVar(&o.PNG, "png", "", "write one animated frame to this PNG `file` and exit")
	fs.IntVar(&o.Frames, "frames", 0, "number `N` of frames -record records over one pass of the animation, or the\n"+
		"animated frame -png writes; 0: -record takes 10 a second, -png the last stage")
	fs.StringVar(&o.Save, "save", "", "train view: write the trained network to this checkpoint `file` when training ends")
	fs.StringVar(&o.Checkpoint, "checkpoint", "", "show the network of this checkpoint `file` (e.g. saved by the train view)\nin every view, instead of the shipped ones; its epoch 0 is the untrained\nnetwork -seed draws (the train view's run of that seed started from it)")
	fs.StringVar(&o.Data, "data", "", "show your own network's activations from this .npz `file` (or folder of .npy files;\n"+
		"format in docs/data-format.md) instead of the shipped networks")
	fs.StringVar(&o.Data2, "data2", "", "a second data set `file` (or folder): the compare view shows it right of -data's,\n"+
		"and -model cnn (key m) shows it alone")
	fs.BoolVar(&o.Debug, "debug", false, "on a crash, print the Go trace (default: a one-line message, exit status 1)")
	fs.IntVar(&o.FPS, "fps", 0, "measure the frames drawn per second (vsync off) over this many `seconds`\nof animation, print them and exit")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		printUsage(fs, out)
		return Options{}, err
	} else if err != nil {
		return Options{}, fmt.Errorf("annvis: %v (annvis -h lists the flags)", err)
	}
	if fs.NArg() > 0 {
		return Options{}, fmt.Errorf("annvis: unexpected arguments %q", fs.Args())
	}
	var err error
	if o.Params, err = parseParams(fs, query, o.Data != ""); err != nil {
		return Options{}, fmt.Errorf("annvis: %v", err)
	}
	if o.W, o.H, err = parseSize(*size); err != nil {
		return Options{}, err
	}
	if err := o.check(); err != nil {
		return Options{}, err
	}
	return o, nil
}

// printUsage writes the usage and every flag of fs to out.
func printUsage(fs *flag.FlagSet, out io.Writer) {
	fmt.Fprint(out, usage)
	fs.SetOutput(out)
	fs.PrintDefaults()
}

// parseParams turns the param flags that were set into a URL query and
// parses it, so that flags and URL share their validation and messages.
// With data, -classes and -class name up to params.MaxClasses classes of
// the user's data, which the pipeline checks against the data's own.
func parseParams(fs *flag.FlagSet, query map[string]*string, data bool) (params.Params, error) {
	v := url.Values{}
	fs.Visit(func(f *flag.Flag) {
		if q, ok := query[f.Name]; ok {
			v.Set(f.Name, *q)
		}
	})
	if data {
		return params.ParseClasses(v.Encode(), params.MaxClasses)
	}
	return params.Parse(v.Encode())
}

// parseSize reads the -size flag, WxH.
func parseSize(s string) (w, h int, err error) {
	ws, hs, _ := strings.Cut(s, "x")
	w, errW := strconv.Atoi(ws)
	h, errH := strconv.Atoi(hs)
	if errW != nil || errH != nil || w < 160 || h < 120 {
		return 0, 0, fmt.Errorf("annvis: -size %q: want WxH, at least 160x120", s)
	}
	return w, h, nil
}

// check validates the flags that write or measure.
func (o Options) check() error {
	switch {
	case o.Frames < 0:
		return fmt.Errorf("annvis: -frames %d: must be ≥ 0 (0: at the animation's pace)", o.Frames)
	case o.FPS < 0:
		return fmt.Errorf("annvis: -fps %d: must be ≥ 0 (0: do not measure)", o.FPS)
	case o.Record != "" && o.PNG != "", (o.Record != "" || o.PNG != "") && o.FPS > 0:
		return errors.New("annvis: -record, -png and -fps exclude each other")
	case o.Save != "" && o.Params.View != "train":
		return errors.New("annvis: -save: only the train view (-view train) trains a network")
	case o.Checkpoint != "" && o.Params.View == "train":
		return errors.New("annvis: -checkpoint: the train view trains its own network; pick another view")
	case o.Data2 != "" && o.Data == "":
		return errors.New("annvis: -data2 is the second data set: give the first with -data")
	case o.Data != "" && (o.Checkpoint != "" || o.Models != ""):
		return errors.New("annvis: -data shows your data alone: it excludes -checkpoint and -models")
	}
	return nil
}
