package tsne

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parallel calls fn on contiguous pieces of [lo, hi) covering it exactly,
// on up to GOMAXPROCS goroutines. fn must write only state owned by its
// piece, so results do not depend on the split.
func parallel(lo, hi, minPiece int, fn func(lo, hi int)) {
	w := runtime.GOMAXPROCS(0)
	if w > 1 && hi-lo >= 2*minPiece {
		w = min(w, (hi-lo)/minPiece)
	} else {
		w = 1
	}
	if w == 1 {
		fn(lo, hi)
		return
	}
	var wg sync.WaitGroup
	size := (hi - lo + w - 1) / w
	for a := lo; a < hi; a += size {
		b := min(a+size, hi)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(a, b)
		}()
	}
	wg.Wait()
}

// each calls fn(i) for every i in [0, n), on up to GOMAXPROCS goroutines
// each taking the next i as it becomes free. fn must write only state
// owned by i, so results do not depend on the schedule.
func each(n int, fn func(i int)) {
	w := min(runtime.GOMAXPROCS(0), n)
	if w <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// pieces calls fn on consecutive pieces of [lo, hi) of size points (the
// last shorter), spread over goroutines as each; fn must write only state
// owned by its piece.
func pieces(lo, hi, size int, fn func(lo, hi int)) {
	each((hi-lo+size-1)/size, func(p int) {
		a := lo + p*size
		fn(a, min(a+size, hi))
	})
}
