package pipeline

import (
	"fmt"
	"io/fs"
	"sync"

	"annvis/core/assets"
	"annvis/core/mnist"
	"annvis/core/model"
)

// fetched is one asset, decoded, or the error that stopped fetching.
type fetched struct {
	value any // *assets.Manifest, *Layouts, *mnist.Set or *model.Checkpoint
	err   error
}

// fetcher fetches, verifies and decodes assets in its own goroutine, in the
// order they are asked for, starting with the manifest. Its fields are used
// by the pipeline's goroutine only.
type fetcher struct {
	req     chan string
	res     chan fetched
	asked   int
	waiting []string
}

// maxAssets bounds the assets one view asks for.
const maxAssets = 64

func startFetcher(fetch Fetcher) *fetcher {
	f := &fetcher{req: make(chan string, maxAssets), res: make(chan fetched, maxAssets+1)}
	go f.run(fetch)
	return f
}

// get asks for the named asset; it never blocks.
func (f *fetcher) get(name string) {
	f.asked++
	f.waiting = append(f.waiting, name)
	select {
	case f.req <- name:
	default:
		f.res <- fetched{err: fmt.Errorf("pipeline: more than %d assets asked for", maxAssets)}
	}
}

// pending names the asset being fetched.
func (f *fetcher) pending() string {
	if len(f.waiting) == 0 {
		return "manifest.json"
	}
	return f.waiting[0]
}

func (f *fetcher) run(fetch Fetcher) {
	b, err := fetch("manifest.json")
	if err != nil {
		f.res <- fetched{err: fmt.Errorf("pipeline: fetching manifest.json: %w", err)}
		return
	}
	m, err := assets.ParseManifest(b)
	if err != nil {
		f.res <- fetched{err: fmt.Errorf("pipeline: manifest.json: %w", err)}
		return
	}
	f.res <- fetched{value: m}
	for name := range f.req {
		v, err := load(fetch, m, name)
		f.res <- fetched{value: v, err: err}
		if err != nil {
			return
		}
	}
}

// load fetches, verifies and decodes one asset.
func load(fetch Fetcher, m *assets.Manifest, name string) (any, error) {
	a, ok := m.Find(name)
	if !ok {
		return nil, fmt.Errorf("pipeline: %s is not in manifest.json", name)
	}
	b, err := fetch(name)
	if err != nil {
		return nil, fmt.Errorf("pipeline: fetching %s: %w", name, err)
	}
	if err := m.Verify(name, b); err != nil {
		return nil, fmt.Errorf("pipeline: %s is corrupted: %w", name, err)
	}
	var v any
	switch a.Kind {
	case "testset":
		v, err = mnist.DecodeAsset(b)
	case "checkpoint":
		v, err = model.DecodeCheckpoint(b)
	case "layouts":
		v, err = DecodeLayouts(b)
	default:
		err = fmt.Errorf("unknown kind %q", a.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("pipeline: %s: %w", name, err)
	}
	return v, nil
}

// FSFetcher returns a Fetcher reading assets from fsys, e.g. the embedded
// models.FS or os.DirFS("models").
func FSFetcher(fsys fs.FS) Fetcher {
	return func(name string) ([]byte, error) { return fs.ReadFile(fsys, name) }
}

// Remember returns a Fetcher that asks fetch for each name once and then
// answers from memory, errors included; it is safe for concurrent use, so
// that views switched to, or shown side by side, share their downloads.
func Remember(fetch Fetcher) Fetcher {
	var mu sync.Mutex
	calls := map[string]func() ([]byte, error){}
	return func(name string) ([]byte, error) {
		mu.Lock()
		call, ok := calls[name]
		if !ok {
			call = sync.OnceValues(func() ([]byte, error) { return fetch(name) })
			calls[name] = call
		}
		mu.Unlock()
		return call()
	}
}
