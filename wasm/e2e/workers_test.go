package e2e

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestWorkerCountKeepsLayouts computes the same live views (both networks
// side by side, the neurons view and the epochs view, with a non-default
// seed) with one computing worker and with two, which split each view (the
// second prepares the stages after the first, or computes the trained
// network's neurons, or part of every gradient of the epochs view's joint
// t-SNE of 8 × 520 points), and checks that the page shows bit for bit the
// same layouts.
func TestWorkerCountKeepsLayouts(t *testing.T) {
	base := serve(t, site(t))
	for _, tc := range []struct {
		query    string
		prepared int  // by the second worker
		shared   bool // the second worker computed forces of the view's gradients
	}{
		{"?view=compare&model=both&seed=2&n=300", 4, false}, // MLP layers 2-4, CNN layer 2
		{"?view=neurons&seed=2&n=300", 1, false},            // the trained network's stage
		{"?view=epochs&seed=2&n=520", 0, true},              // 4160 points: above tsne's shareMin
	} {
		digests := map[int]string{}
		for _, workers := range []int{1, 2} {
			ctx := tab(t)
			if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
				page.AddScriptToEvaluateOnNewDocumentParams{Source: "window.annvisWorkers = " + strconv.Itoa(workers)}); err != nil {
				t.Fatal(err)
			}
			s := open(t, ctx, base+tc.query, complete)
			if s.Error != "" || s.Precomputed {
				t.Fatalf("%s, %d workers: %+v", tc.query, workers, s)
			}
			d, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.annvis.layoutDigest`))
			if err != nil {
				t.Fatal(err)
			}
			if s.Workers != workers || d == "" {
				t.Fatalf("%s: asked for %d workers: %d started, layout digest %q", tc.query, workers, s.Workers, d)
			}
			if want := map[int]int{1: 0, 2: tc.prepared}[workers]; s.Prepared != want {
				t.Errorf("%s, %d workers: %d stages prepared by another worker, want %d", tc.query, workers, s.Prepared, want)
			}
			if shared := sharedForces(t, ctx); shared != (tc.shared && workers == 2) {
				t.Errorf("%s, %d workers: forces computed by another worker: %v, want %v", tc.query, workers, shared, tc.shared && workers == 2)
			}
			digests[workers] = d
		}
		if digests[1] != digests[2] {
			t.Errorf("%s: layouts differ: digest %s with one worker, %s with two", tc.query, digests[1], digests[2])
		}
	}
}

// TestWorkerCountKeepsTraining trains the train view's acceptance run in
// one worker (training and projecting in turn) and in two (one trains,
// the other projects, pipeline.StartTrainer): the page shows bit for bit
// the same layouts and downloads the same checkpoint bytes.
func TestWorkerCountKeepsTraining(t *testing.T) {
	base := serve(t, site(t))
	digests, ckpts := map[int]string{}, map[int][]byte{}
	for _, workers := range []int{1, 2} {
		ctx := tab(t)
		dir := allowDownloads(t, ctx)
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
			page.AddScriptToEvaluateOnNewDocumentParams{Source: "window.annvisWorkers = " + strconv.Itoa(workers)}); err != nil {
			t.Fatal(err)
		}
		s := open(t, ctx, base+"?view=train&arch=32&epochs=2&train=2000&n=300", complete)
		if s.Error != "" || s.Stages != 3 {
			t.Fatalf("%d workers: %+v", workers, s)
		}
		type run struct {
			Digest  string `json:"digest"`
			Reports int    `json:"reports"`
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[run](`({digest: window.annvis.layoutDigest, reports: window.annvis.trainReports || 0})`))
		if err != nil {
			t.Fatal(err)
		}
		if s.Workers != workers || got.Digest == "" || (got.Reports > 0) != (workers == 2) {
			t.Fatalf("asked for %d workers: %d started, layout digest %q, %d training reports from another worker", workers, s.Workers, got.Digest, got.Reports)
		}
		digests[workers], ckpts[workers] = got.Digest, downloadExport(t, ctx, dir, "zst")
	}
	if digests[1] != digests[2] {
		t.Errorf("layouts differ: digest %s with one worker, %s with two", digests[1], digests[2])
	}
	if !bytes.Equal(ckpts[1], ckpts[2]) || len(ckpts[1]) == 0 {
		t.Errorf("checkpoints of %d and %d bytes differ with one worker and two", len(ckpts[1]), len(ckpts[2]))
	}
}

// TestSplitViewShowsAssetError opens a live view split over two workers on
// a site whose checkpoints do not decode: the page shows the asset error,
// whichever worker met it first.
func TestSplitViewShowsAssetError(t *testing.T) {
	dir := copySite(t)
	tamper(t, filepath.Join(dir, "models"), true)
	ctx := tab(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: "window.annvisWorkers = 2"}); err != nil {
		t.Fatal(err)
	}
	s := open(t, ctx, serve(t, dir)+"?seed=2&n=300", complete)
	want := regexp.MustCompile(`^pipeline: [a-z0-9-]+\.zst: (decompression|format) check failed: \S`)
	if !want.MatchString(s.Error) || s.ErrorKind != "asset" {
		t.Errorf("window.annvis.error = %q (%s), want %v (asset)", s.Error, s.ErrorKind, want)
	}
	expectErrorPanel(t, ctx, want, "split-corrupt", true)
}

// sharedForces reports whether a view's worker received forces another
// worker computed for its gradients (its timeline's marks say so).
func sharedForces(t *testing.T, ctx context.Context) bool {
	t.Helper()
	shared, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`window.annvis.marks.some(([, what]) => what.includes("first forces computed by another worker"))`))
	if err != nil {
		t.Fatal(err)
	}
	return shared
}
