package e2e

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// root is the repository root, relative to this package.
const root = "../.."

var (
	buildOnce sync.Once
	built     string // the built site dir, shared by all tests
	serveBin  string // the built cmd/serve
	buildErr  error
)

// site builds the page (scripts/build-web) and cmd/serve once per test run
// and returns the site's directory. Tests that change files copy it first.
// Without Chromium there is nothing to open it with: the test is skipped
// (or fails, with CI=true).
func site(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		noChromium(t)
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "annvis-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		built, serveBin = filepath.Join(dir, "site"), filepath.Join(dir, "serve")
		if out, err := exec.Command("bash", filepath.Join(root, "scripts/build-web"), built).CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("scripts/build-web: %v\n%s", err, out)
			return
		}
		cmd := exec.Command("go", "build", "-o", serveBin, "./cmd/serve")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building cmd/serve: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

// copySite copies the built site into a temp dir that the test may change.
func copySite(t testing.TB) string {
	t.Helper()
	src, dst := site(t), t.TempDir()
	if out, err := exec.Command("cp", "-a", src+"/.", dst).CombinedOutput(); err != nil {
		t.Fatalf("copying the site: %v\n%s", err, out)
	}
	return dst
}

// serve runs the real cmd/serve on a free port of 127.0.0.1 for dir and
// returns the base URL it printed.
func serve(t testing.TB, dir string) string {
	t.Helper()
	site(t)
	cmd := exec.Command(serveBin, "-addr", "127.0.0.1:0", "-dir", dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	start := time.Now()
	line, ok := <-lines
	if !ok {
		t.Fatal("cmd/serve exited without printing its address")
	}
	t.Logf("cmd/serve ready in %v: %s", time.Since(start).Round(time.Millisecond), line)
	const prefix = "annvis: serving "
	_, url, found := strings.Cut(line, " at ")
	if !strings.HasPrefix(line, prefix) || !found || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("cmd/serve printed %q, want %q...", line, prefix+dir+"/ at http://127.0.0.1:PORT/")
	}
	return url
}
