package e2e

import (
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestWorkerCountKeepsLayouts computes the same live view (both networks
// side by side, a non-default seed) with one computing worker and with two,
// and checks that the page shows bit for bit the same layouts.
func TestWorkerCountKeepsLayouts(t *testing.T) {
	base := serve(t, site(t))
	digests := map[int]string{}
	for _, workers := range []int{1, 2} {
		ctx := tab(t)
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
			page.AddScriptToEvaluateOnNewDocumentParams{Source: "window.annvisWorkers = " + strconv.Itoa(workers)}); err != nil {
			t.Fatal(err)
		}
		s := open(t, ctx, base+"?view=compare&model=both&seed=2&n=300", complete)
		if s.Error != "" || s.Precomputed {
			t.Fatalf("%d workers: %+v", workers, s)
		}
		d, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.annvis.layoutDigest`))
		if err != nil {
			t.Fatal(err)
		}
		if s.Workers != workers || d == "" {
			t.Fatalf("asked for %d workers: %d started, layout digest %q", workers, s.Workers, d)
		}
		digests[workers] = d
	}
	if digests[1] != digests[2] {
		t.Errorf("layouts differ: digest %s with one worker, %s with two", digests[1], digests[2])
	}
}
