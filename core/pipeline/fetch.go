package pipeline

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"

	"annvis/core/assets"
	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/core/viewstate"
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
	m, err := loadManifest(fetch)
	if err != nil {
		f.res <- fetched{err: err}
		return
	}
	f.res <- fetched{value: m}
	for name := range f.req {
		v, err := safeLoad(fetch, m, name)
		f.res <- fetched{value: v, err: err}
		if err != nil {
			return
		}
	}
}

// assetErr returns an AssetError of file at layer, wrapping format and args.
func assetErr(file, layer, format string, args ...any) error {
	return &viewstate.AssetError{File: file, Layer: layer, Err: fmt.Errorf(format, args...)}
}

// fetchErr classifies an error of fetch: too large, or a failed download.
func fetchErr(file string, err error) error {
	if errors.Is(err, assets.ErrTooLarge) {
		return &viewstate.AssetError{File: file, Layer: "size", Err: err}
	}
	return &viewstate.AssetError{File: file, Layer: "download", Err: err}
}

// loadManifest fetches at most assets.MaxManifestBytes of the manifest and parses it.
func loadManifest(fetch Fetcher) (*assets.Manifest, error) {
	b, err := fetch(assets.ManifestFile, assets.MaxManifestBytes)
	if err != nil {
		return nil, fetchErr(assets.ManifestFile, err)
	}
	m, err := assets.ParseManifest(b)
	if err != nil {
		return nil, &viewstate.AssetError{File: assets.ManifestFile, Layer: "format", Err: err}
	}
	return m, nil
}

// maxRaw is the largest decompressed size of each kind of asset; the
// manifest's declared size must not exceed it.
var maxRaw = map[string]int64{
	assets.KindTestSet:    mnist.TestSetRaw,
	assets.KindTrainSet:   mnist.MaxAssetRaw,
	assets.KindCheckpoint: int64(model.MaxCheckpointRaw),
	assets.KindLayouts:    int64(MaxLayoutsRaw),
	assets.KindNeurons:    int64(MaxNeuronLayoutsRaw),
	assets.KindBundles:    MaxBundlesRaw,
}

// safeLoad is load, with a panic (a bug: every decoder is fuzzed) turned
// into the asset's error rather than a crash of the page.
func safeLoad(fetch Fetcher, m *assets.Manifest, name string) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, assetErr(name, "format", "decoding it panicked (a bug): %v", r)
		}
	}()
	return load(fetch, m, name)
}

// load fetches at most the manifest's size of one asset, verifies its size
// and SHA-256, inflates it to exactly its declared size and decodes it.
func load(fetch Fetcher, m *assets.Manifest, name string) (any, error) {
	a, ok := m.Find(name)
	if !ok {
		return nil, assetErr(name, "manifest", "the view needs it, but manifest.json does not list it")
	}
	if a.Raw > maxRaw[a.Kind] {
		return nil, assetErr(name, "size", "manifest.json declares %d decompressed bytes, a %s has at most %d", a.Raw, a.Kind, maxRaw[a.Kind])
	}
	b, err := fetch(name, a.Bytes)
	if err != nil {
		return nil, fetchErr(name, err)
	}
	if int64(len(b)) != a.Bytes {
		return nil, assetErr(name, "size", "%d bytes, manifest.json says %d", len(b), a.Bytes)
	}
	if h := assets.Hash(b); h != a.SHA256 {
		return nil, assetErr(name, "integrity", "SHA-256 %s…, manifest.json says %s…", h[:12], a.SHA256[:12])
	}
	raw, err := assets.Inflate(b, a.Raw)
	if err != nil {
		return nil, &viewstate.AssetError{File: name, Layer: "decompression", Err: err}
	}
	var v any
	switch a.Kind {
	case assets.KindTestSet:
		v, err = mnist.ParseAsset(raw)
	case assets.KindTrainSet:
		var s *mnist.Set
		s, err = mnist.ParseAsset(raw)
		v = trainSet{s}
	case assets.KindCheckpoint:
		v, err = parseCheckpoint(raw, a)
	case assets.KindNeurons:
		v, err = ParseNeuronLayouts(raw)
	case assets.KindBundles:
		v, err = ParseBundles(raw)
	default:
		v, err = ParseLayouts(raw)
	}
	if err != nil {
		return nil, &viewstate.AssetError{File: name, Layer: "format", Err: err}
	}
	return v, nil
}

// parseCheckpoint decodes a checkpoint that must be the network and epoch
// the manifest lists.
func parseCheckpoint(raw []byte, a assets.Asset) (*model.Checkpoint, error) {
	c, err := model.ParseCheckpoint(raw)
	if err != nil {
		return nil, err
	}
	if networkOf(c.Arch) != a.Network || c.Epoch != a.Epoch {
		return nil, fmt.Errorf("holds %s epoch %d, manifest.json says %s epoch %d", c.Arch, c.Epoch, a.Network, a.Epoch)
	}
	return c, nil
}

// FSFetcher returns a Fetcher reading assets from fsys, e.g. the embedded
// models.FS or os.DirFS("models"); it reads at most limit+1 bytes of a file.
func FSFetcher(fsys fs.FS) Fetcher {
	return func(name string, limit int64) ([]byte, error) {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, limit+1))
		if err == nil && int64(len(b)) > limit {
			return nil, fmt.Errorf("%w: more than %d bytes", assets.ErrTooLarge, limit)
		}
		return b, err
	}
}

// Remember returns a Fetcher that asks fetch for each name once and then
// answers from memory, errors included; it is safe for concurrent use, so
// that views switched to, or shown side by side, share their downloads.
// A name is always asked for with the same limit.
func Remember(fetch Fetcher) Fetcher {
	var mu sync.Mutex
	calls := map[string]func() ([]byte, error){}
	return func(name string, limit int64) ([]byte, error) {
		mu.Lock()
		call, ok := calls[name]
		if !ok {
			call = sync.OnceValues(func() ([]byte, error) { return fetch(name, limit) })
			calls[name] = call
		}
		mu.Unlock()
		return call()
	}
}
