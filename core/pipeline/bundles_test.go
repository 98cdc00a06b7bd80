//go:build !js

package pipeline

import "testing"

// TestBundledView checks that the pipeline bundles the bundled view's trails
// once they are laid out, keeping every trail's end points on its first and
// last layout, and rebundles all classes together when asked.
func TestBundledView(t *testing.T) {
	pl := New(smallView("bundled"), newFixture(t).Fetch, false)
	finish := func() {
		stepUntil(t, pl, func() bool { return pl.Status().Progress >= 1 })
		if st := pl.Status(); st.Err != nil || st.Phase != "ready" || !st.Done {
			t.Fatalf("status %+v", st)
		}
	}
	finish()
	first, last := pl.Positions(0, nil), pl.Positions(len(pl.Stages())-1, nil)
	res := pl.Bundles()
	if res == nil || len(res.Lines) != pl.N() {
		t.Fatalf("bundles %v for %d digits", res, pl.N())
	}
	for i, l := range res.Lines {
		if l[0] != first[2*i] || l[1] != first[2*i+1] || l[len(l)-2] != last[2*i] || l[len(l)-1] != last[2*i+1] {
			t.Fatalf("trail %d: ends %v %v moved from %v %v", i, l[:2], l[len(l)-2:], first[2*i:2*i+2], last[2*i:2*i+2])
		}
	}
	pl.SetBundleAll(true)
	if st := pl.Status(); pl.Bundles() != nil || st.Progress >= 1 || st.Phase != "bundling trails" {
		t.Fatalf("after asking for all classes together: %+v", st)
	}
	finish()
	if all := pl.Bundles(); all == nil || all == res || len(all.Lines) != pl.N() {
		t.Fatalf("all classes together: %v", all)
	}
	pl.SetBundleAll(false)
	if pl.Bundles() != res {
		t.Error("the bundling of each class was computed again")
	}
}
