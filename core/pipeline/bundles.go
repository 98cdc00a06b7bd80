package pipeline

import (
	"fmt"

	"annvis/core/bundle"
)

// bundleShare is the part of the bundled view's progress that bundling takes.
const bundleShare = 0.3

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
		res, err := bundle.Run(pl.trails(), classes, bundle.Config{})
		if err != nil {
			pl.fail(fmt.Errorf("pipeline: %w", err))
			return
		}
		b.done[index(b.all)] = res
		return
	}
	if b.job == nil {
		job, err := bundle.NewJob(pl.trails(), classes, bundle.Config{})
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

// trails returns each digit's polyline through the stages' layouts.
func (pl *Pipeline) trails() [][]float64 {
	tr := make([][]float64, pl.N())
	var pos []float64
	for k := range pl.names {
		pos = pl.Positions(k, pos)
		for i := range tr {
			tr[i] = append(tr[i], pos[2*i], pos[2*i+1])
		}
	}
	return tr
}

// withBundling adds the bundling to the bundled view's status.
func (pl *Pipeline) withBundling(st Status) Status {
	if st.Err != nil || !pl.bundlePending() {
		return st
	}
	st.Progress *= 1 - bundleShare
	if st.Done {
		if pl.bundle.job != nil {
			st.Progress += bundleShare * pl.bundle.job.Progress()
		}
		st.Phase = "bundling trails"
	}
	return st
}
