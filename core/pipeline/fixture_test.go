package pipeline

import (
	"fmt"
	"sync"
	"testing"

	"annvis/core/assets"
	"annvis/core/mnist"
	"annvis/core/model"
)

// fixture is a real, small assets directory held in memory: the first
// digits of the MNIST test set and MLP checkpoints at epoch 0 (untrained)
// and epoch 1 (trained on the first training digits).
type fixture struct {
	files map[string][]byte
	test  *mnist.Set

	mu      sync.Mutex
	fetched []string
}

var (
	fixtureOnce sync.Once
	fixtureVal  *fixture
	fixtureErr  error
)

// Digits in the fixture's test set and training digits of its epoch-1 net.
const fixtureDigits, fixtureTrain = 400, 3000

// newFixture returns a fresh fetch log over the shared fixture files.
func newFixture(t testing.TB) *fixture {
	fixtureOnce.Do(func() { fixtureVal, fixtureErr = buildFixture() })
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	f := &fixture{files: map[string][]byte{}, test: fixtureVal.test}
	for k, v := range fixtureVal.files {
		f.files[k] = v
	}
	return f
}

func buildFixture() (*fixture, error) {
	f := &fixture{files: map[string][]byte{}}
	t10k, err := mnist.LoadModule("t10k")
	if err != nil {
		return nil, err
	}
	f.test = t10k.Slice(0, fixtureDigits)
	b, err := mnist.EncodeAsset(f.test)
	if err != nil {
		return nil, err
	}
	m := &assets.Manifest{Version: assets.Version}
	add := func(a assets.Asset, b []byte) error {
		a.Bytes, a.SHA256 = int64(len(b)), assets.Hash(b)
		f.files[a.File] = b
		return m.Upsert(a)
	}
	if err := add(assets.Asset{File: TestSetFile, Kind: assets.KindTestSet}, b); err != nil {
		return nil, err
	}
	train, err := mnist.LoadModule("train")
	if err != nil {
		return nil, err
	}
	net, err := model.New("mlp", 1)
	if err != nil {
		return nil, err
	}
	for epoch := range 2 {
		if epoch > 0 {
			tr, err := model.NewTrainer(net, model.TrainConfig{Seed: 1})
			if err != nil {
				return nil, err
			}
			if _, err := tr.Epoch(train.Slice(0, fixtureTrain), nil); err != nil {
				return nil, err
			}
		}
		acc, err := model.Accuracy(net, f.test, 100)
		if err != nil {
			return nil, err
		}
		b, err := model.EncodeCheckpoint(&model.Checkpoint{Arch: "mlp", Epoch: epoch, Accuracy: acc, Net: net})
		if err != nil {
			return nil, err
		}
		a := assets.Asset{File: fmt.Sprintf("mlp-e%02d.zst", epoch), Kind: assets.KindCheckpoint, Network: "mlp", Epoch: epoch, Accuracy: acc}
		if err := add(a, b); err != nil {
			return nil, err
		}
	}
	f.files[assets.ManifestFile] = m.Marshal()
	return f, nil
}

// fetch serves the fixture's files and logs what was asked for.
func (f *fixture) fetch(name string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fetched = append(f.fetched, name)
	b, ok := f.files[name]
	if !ok {
		return nil, fmt.Errorf("404 not found")
	}
	return b, nil
}

// log returns the names fetched so far.
func (f *fixture) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.fetched...)
}
