package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// threadTask is one task a thread of the page ran, from a Chrome trace:
// when it began (ms after navigation, as performance.now()), its wall time
// and the thread's CPU time in it (ms).
type threadTask struct{ at, wall, cpu float64 }

// pageThreads are the tasks of the page's threads: its main thread's, and
// each computing worker's (Web Worker threads of its process).
type pageThreads struct {
	main    []threadTask
	workers [][]threadTask
}

// traceEvent is the part of a Chrome trace event traceMainThread reads.
type traceEvent struct {
	Name string  `json:"name"`
	Ph   string  `json:"ph"`
	Ts   float64 `json:"ts"`   // µs
	Dur  float64 `json:"dur"`  // µs
	Tdur float64 `json:"tdur"` // µs of the thread's CPU time
	Pid  int     `json:"pid"`
	Tid  int     `json:"tid"`
	Args struct {
		Name string `json:"name"` // a thread_name's
		Data struct {
			URL string `json:"documentLoaderURL"`
		} `json:"data"`
	} `json:"args"`
}

// tracePage starts a Chrome trace of the tasks every thread runs (category
// toplevel) and returns a function that stops it and returns the tasks of
// the threads of the page loaded from url. A task's CPU time tells its own
// work from the time the thread waited for a core: on a busy machine, or
// beside the page's own workers on two cores, a task of 20 ms of CPU may
// last over 50 ms.
func tracePage(b *testing.B, ctx context.Context, url string) (stop func() pageThreads) {
	var mu sync.Mutex
	var events []traceEvent
	complete := make(chan struct{})
	go func() {
		for e, err := range chromedp.Events(ctx, tracing.DataCollected) {
			if err != nil {
				return
			}
			mu.Lock()
			for _, v := range e.Value {
				var t traceEvent
				if json.Unmarshal(v, &t) == nil && (t.Name == "ThreadControllerImpl::RunTask" || t.Name == "navigationStart" || t.Name == "thread_name") {
					events = append(events, t)
				}
			}
			mu.Unlock()
		}
	}()
	go func() {
		for _, err := range chromedp.Events(ctx, tracing.TracingComplete) {
			if err == nil {
				close(complete)
			}
			return
		}
	}()
	_, err := chromedp.Call(ctx, tracing.Start, tracing.StartParams{TraceConfig: &tracing.TraceConfig{
		IncludedCategories: []string{"toplevel", "blink.user_timing"}}})
	if err != nil {
		b.Fatal(err)
	}
	return func() pageThreads {
		if _, err := chromedp.Call(ctx, tracing.End, cdp.Empty{}); err != nil {
			b.Fatal(err)
		}
		<-complete
		mu.Lock()
		defer mu.Unlock()
		return threadTasks(b, events, url)
	}
}

// threadTasks returns the tasks of the thread that navigated to url and of
// the worker threads of its process, timed from its navigationStart.
func threadTasks(b *testing.B, events []traceEvent, url string) pageThreads {
	var start *traceEvent
	for i, e := range events {
		if e.Name == "navigationStart" && strings.HasPrefix(e.Args.Data.URL, url) {
			start = &events[i]
		}
	}
	if start == nil {
		b.Fatalf("the trace has no navigationStart of %s", url)
	}
	workers := map[int]int{} // thread id → index in pageThreads.workers
	var th pageThreads
	for _, e := range events {
		if e.Name == "thread_name" && e.Pid == start.Pid && e.Args.Name == "DedicatedWorker thread" {
			workers[e.Tid] = len(th.workers)
			th.workers = append(th.workers, nil)
		}
	}
	for _, e := range events {
		if e.Ph != "X" || e.Pid != start.Pid {
			continue
		}
		t := threadTask{at: (e.Ts - start.Ts) / 1000, wall: e.Dur / 1000, cpu: e.Tdur / 1000}
		if w, ok := workers[e.Tid]; ok {
			th.workers[w] = append(th.workers[w], t)
		} else if e.Tid == start.Tid {
			th.main = append(th.main, t)
		}
	}
	return th
}

// workerCPU returns the CPU time the page's busiest worker used in tasks
// begun from ms from to to, and all its workers together.
func workerCPU(th pageThreads, from, to float64) (busiest, all float64) {
	for _, w := range th.workers {
		_, _, total := taskCPU(w, from, to)
		busiest, all = max(busiest, total), all+total
	}
	return busiest, all
}

// taskCPU sums up the tasks begun from ms from to to: how many used over
// 50 ms of CPU time, the most CPU time one used, and their CPU time in all.
func taskCPU(tasks []threadTask, from, to float64) (over50 int, longest, total float64) {
	for _, t := range tasks {
		if t.at < from || t.at > to {
			continue
		}
		total += t.cpu
		longest = max(longest, t.cpu)
		if t.cpu > 50 {
			over50++
		}
	}
	return over50, longest, total
}

// timelineStep is the width of a column of logWorkerTimeline.
const timelineStep = 500.0 // ms

// logWorkerTimeline logs (with go test -v), for every worker of th, the
// CPU and wall time of its tasks begun in each timelineStep until ms to:
// a worker outside any task waits (for a message or a timer), one whose
// tasks take more wall than CPU time waits for a core. (The trace misses
// part of the workers' CPU time: chromiumCPU counts it.)
func logWorkerTimeline(b *testing.B, th pageThreads, to float64) {
	for i, w := range th.workers {
		cpu := make([]float64, int(to/timelineStep)+1)
		wall := make([]float64, len(cpu))
		for _, t := range w {
			if k := int(t.at / timelineStep); k >= 0 && k < len(cpu) {
				cpu[k] += t.cpu
				wall[k] += t.wall
			}
		}
		var sb strings.Builder
		for k := range cpu {
			fmt.Fprintf(&sb, " %.0f/%.0f", cpu[k], wall[k])
		}
		b.Logf("worker %d, ms of CPU/wall in tasks begun in each %.0f ms from navigation:%s", i, timelineStep, sb.String())
	}
}
