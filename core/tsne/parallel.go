package tsne

import (
	"runtime"
	"sync"
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
