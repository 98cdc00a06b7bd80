package e2e

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// heavy matches the packages the page's drawing program must not link:
// the networks, the projections, the assets' codecs (core/assets and
// core/mnist, with zstd and SHA-256), and the reader of the user's NumPy
// files with the stack's NumPy library (npyio) and gonum, which it
// imports. Everything they compute runs in the workers (wasm/worker),
// fetching a published data set and reading the class names of the user's
// files included; main.wasm reads it through core/viewstate, and checks a
// file's size with core/userdata/limits. Nor encoding/json: the page
// publishes its layout with the browser's JSON.
var heavy = regexp.MustCompile(`^(encoding/json$|github\.com/nlpodyssey/spago|github\.com/klauspost/compress|codeberg\.org/sbinet/npyio|gonum\.org/v1/gonum|annvis/core/(pipeline|tsne|learn|model|neurons|assets|mnist)(/|$)|annvis/core/userdata$)`)

// TestPageLinksNoNetworks checks that main.wasm (./wasm) links none of the
// heavy packages, and that the computing workers' program does link the
// pipeline, the assets' codecs, npyio and gonum (the check would pass
// vacuously on a wrong package list).
func TestPageLinksNoNetworks(t *testing.T) {
	deps := func(pkg string) []string {
		t.Helper()
		cmd := exec.Command("go", "list", "-deps", pkg)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	for _, d := range deps("./wasm") {
		if heavy.MatchString(d) {
			t.Errorf("main.wasm links %s: the page's drawing program must leave computing to the workers", d)
		}
	}
	var linked []string
	for _, d := range deps("./wasm/worker") {
		if heavy.MatchString(d) {
			linked = append(linked, d)
		}
	}
	for _, want := range []string{"annvis/core/pipeline", "annvis/core/userdata", "annvis/core/assets", "github.com/klauspost/compress/zstd", "codeberg.org/sbinet/npyio/npy", "gonum.org/v1/gonum/mat"} {
		if !slices.Contains(linked, want) {
			t.Errorf("worker.wasm does not link %s (it links %v): the package list is wrong", want, linked)
		}
	}
}
