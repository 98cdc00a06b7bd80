package pipeline

import (
	"fmt"
	"strings"

	"annvis/core/bundle"
	"annvis/core/viewstate"
)

// bundling is the KDEEB bundling of the bundled view's trails, in layout
// units (the bundling is invariant to the uniform scale that fits a layout
// on screen): each class separately, or all classes together.
type bundling struct {
	all  bool              // bundle all classes together
	job  *bundle.Job       // the bundling under way, or nil
	done [2]*bundle.Result // finished results, by class [0] and all together [1]
}

// SetBundleAll chooses, for the bundled view, whether the trails are
// bundled each class separately (false, the default) or all together;
// Step computes the bundling it lacks.
func (pl *Pipeline) SetBundleAll(all bool) {
	if pl.bundle.all != all {
		pl.bundle.all, pl.bundle.job = all, nil
	}
}

// Bundles returns the bundled trails of the bundled view in layout units
// (as Positions), for the current SetBundleAll choice, or nil until Step
// has computed them.
func (pl *Pipeline) Bundles() *bundle.Result {
	return pl.bundle.done[index(pl.bundle.all)]
}

func index(b bool) int {
	if b {
		return 1
	}
	return 0
}

// bundlePending reports whether the bundled view still waits for its bundling.
func (pl *Pipeline) bundlePending() bool {
	return pl.p.View == "bundled" && pl.Bundles() == nil
}

// stepBundle starts or continues the bundling once every stage is laid out;
// a pipeline running whole units bundles every class at once, in parallel
// (bundle.Run, whose result equals the stepped Job's).
func (pl *Pipeline) stepBundle() {
	b := &pl.bundle
	var classes []uint8
	if !b.all {
		classes = pl.labels
	}
	if pl.whole {
		res, err := bundle.Run(trails(len(pl.names), pl.Positions), classes, bundleConfig)
		if err != nil {
			pl.fail(fmt.Errorf("pipeline: %w", err))
			return
		}
		b.done[index(b.all)] = res
		return
	}
	if b.job == nil {
		job, err := bundle.NewJob(trails(len(pl.names), pl.Positions), classes, bundleConfig)
		if err != nil {
			pl.fail(fmt.Errorf("pipeline: %w", err))
			return
		}
		b.job = job
	}
	if b.job.Step() {
		b.done[index(b.all)], b.job = b.job.Result(), nil
	}
}

// bundleConfig is how the bundled view bundles its trails.
var bundleConfig = bundle.Config{}

// trails returns each digit's polyline through the layouts of the stages
// 0..stages-1, which positions appends to dst.
func trails(stages int, positions func(k int, dst []float64) []float64) [][]float64 {
	var tr [][]float64
	var pos []float64
	for k := range stages {
		pos = positions(k, pos)
		if tr == nil {
			tr = make([][]float64, len(pos)/2)
		}
		for i := range tr {
			tr[i] = append(tr[i], pos[2*i], pos[2*i+1])
		}
	}
	return tr
}

// Bundle bundles the trails of the precomputed layouts l, each class
// separately, as the bundled view does once l is laid out.
func Bundle(l *Layouts) (*bundle.Result, error) {
	tr := trails(len(l.Stages), func(k int, dst []float64) []float64 { return append(dst[:0], l.Stages[k].Positions...) })
	res, err := bundle.Run(tr, l.Labels, bundleConfig)
	if err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	return res, nil
}

// BundlesFile returns the name of the precomputed bundles asset of the
// shipped layouts asset layoutsFile (see LayoutsFile).
func BundlesFile(layoutsFile string) string {
	return strings.TrimSuffix(layoutsFile, ".zst") + "-bundled.zst"
}

// useBundles adopts the shipped bundles, which must have been bundled from
// the shipped layouts the view shows: anything else is an error.
func (pl *Pipeline) useBundles(b *Bundles) {
	file, _ := viewstate.LayoutsFile(pl.p)
	if pl.layouts == nil {
		return // the layouts were refused
	}
	if b.Layouts != pl.shipped {
		pl.fail(assetErr(BundlesFile(file), "consistency", "they were bundled from layouts with SHA-256 %.12s…, manifest.json lists %s with %.12s…", b.Layouts, file, pl.shipped))
	} else if len(b.Result.Lines) != pl.layouts.N() {
		pl.fail(assetErr(BundlesFile(file), "consistency", "%d trails for %d digits", len(b.Result.Lines), pl.layouts.N()))
	} else {
		pl.bundle.done[0] = b.Result
	}
}

// withBundling adds the bundling to the bundled view's status.
func (pl *Pipeline) withBundling(st viewstate.Status) viewstate.Status {
	if st.Err != nil || !pl.bundlePending() {
		return st
	}
	st.Progress *= 1 - viewstate.BundleShare
	if st.Done {
		if pl.bundle.job != nil {
			st.Progress += viewstate.BundleShare * pl.bundle.job.Progress()
		}
		st.Phase = "bundling trails"
	}
	return st
}
