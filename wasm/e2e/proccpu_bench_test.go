package e2e

import (
	"cmp"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// procThreads is the CPU time (ms, user + system, as the kernel counts it)
// every thread of a Chromium used so far, by process and thread: the
// page's computing workers (threads named DedicatedWorker), its main
// thread, the GPU process (where SwiftShader draws WebGL) and the rest.
type procThreads map[procThread]float64

// procThread names a thread: its process's id and type (--type=, or
// browser) and its own id and name.
type procThread struct {
	pid, tid  int
	ptype     string
	name      string
	mainOfPid bool // the process's main thread (tid = pid)
}

// clockTick is the kernel's USER_HZ: /proc counts CPU time in 1/100 s.
const clockTick = 10.0 // ms

// chromiumCPU reads from /proc the CPU time of every thread of the Chromium
// of ctx and its child processes (Linux only: elsewhere nil).
func chromiumCPU(b *testing.B, ctx context.Context) procThreads {
	c := chromedp.FromContext(ctx)
	if c == nil || c.Browser == nil || c.Browser.Process() == nil {
		b.Fatal("no Chromium process for the CPU figures")
	}
	root := c.Browser.Process().Pid
	th := procThreads{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, _ := strconv.Atoi(filepath.Base(d))
		if !descends(pid, root) {
			continue
		}
		ptype := "browser"
		if cmd, err := os.ReadFile(d + "/cmdline"); err == nil {
			for _, a := range strings.Fields(strings.ReplaceAll(string(cmd), "\x00", " ")) {
				if t, ok := strings.CutPrefix(a, "--type="); ok {
					ptype = t
				}
			}
		}
		tasks, _ := filepath.Glob(d + "/task/[0-9]*")
		for _, t := range tasks {
			tid, _ := strconv.Atoi(filepath.Base(t))
			name, cpu, ok := threadStat(t + "/stat")
			if ok {
				th[procThread{pid: pid, tid: tid, ptype: ptype, name: name, mainOfPid: tid == pid}] = cpu
			}
		}
	}
	return th
}

// descends reports whether process pid is root or one of its descendants.
func descends(pid, root int) bool {
	for range 32 {
		if pid == root {
			return true
		}
		if pid <= 1 {
			return false
		}
		st, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return false
		}
		s := string(st)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 2 {
			return false
		}
		pid, _ = strconv.Atoi(f[1])
	}
	return false
}

// threadStat reads a thread's name and CPU time (ms) from its stat file.
func threadStat(path string) (name string, cpu float64, ok bool) {
	st, err := os.ReadFile(path)
	if err != nil {
		return "", 0, false
	}
	s := string(st)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return "", 0, false
	}
	f := strings.Fields(s[end+1:])
	if len(f) < 13 {
		return "", 0, false
	}
	utime, err1 := strconv.ParseFloat(f[11], 64)
	stime, err2 := strconv.ParseFloat(f[12], 64)
	return s[open+1 : end], (utime + stime) * clockTick, err1 == nil && err2 == nil
}

// cpuFigures is what the page's processes used between two readings, ms.
type cpuFigures struct {
	workers         []float64 // each computing worker's thread, busiest first
	main            float64   // the renderer's main thread
	gpu             float64   // the GPU process (SwiftShader drawing WebGL), all its threads
	renderer, other float64   // the renderer's other threads; every other process
}

// since returns the CPU time each group of threads used from before to th.
func (th procThreads) since(before procThreads) cpuFigures {
	var f cpuFigures
	for t, cpu := range th {
		d := cpu - before[t]
		switch {
		case strings.HasPrefix(t.name, "DedicatedWorker"):
			f.workers = append(f.workers, d)
		case t.ptype == "renderer" && t.mainOfPid:
			f.main += d
		case t.ptype == "renderer":
			f.renderer += d
		case t.ptype == "gpu-process":
			f.gpu += d
		default:
			f.other += d
		}
	}
	slices.SortFunc(f.workers, func(a, b float64) int { return cmp.Compare(b, a) }) // busiest first
	return f
}

// busiest returns the CPU time of the busiest worker and of all together.
func (f cpuFigures) busiest() (busiest, all float64) {
	for _, w := range f.workers {
		busiest, all = max(busiest, w), all+w
	}
	return busiest, all
}
