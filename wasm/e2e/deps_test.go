package e2e

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// heavy matches the packages the page's drawing program must not link:
// the networks and the projections. Everything they compute runs in the
// workers (wasm/worker); main.wasm reads it through core/viewstate. It
// does link core/userdata, and with it the stack's NumPy reader (npyio,
// which imports gonum's mat), to read the class names of the user's files
// when they are opened.
var heavy = regexp.MustCompile(`^(github\.com/nlpodyssey/spago|annvis/core/(pipeline|tsne|learn|model|neurons)(/|$))`)

// TestPageLinksNoNetworks checks that main.wasm (./wasm) links none of the
// heavy packages, and that the computing workers' program does link the
// pipeline (the check would pass vacuously on a wrong package list).
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
	if !strings.Contains(strings.Join(linked, " "), "annvis/core/pipeline") {
		t.Errorf("worker.wasm links none of the pipeline's packages (%v): the package list is wrong", linked)
	}
}
