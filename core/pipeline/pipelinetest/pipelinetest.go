//go:build !js

// Package pipelinetest builds small but real annvis asset sets for tests:
// the first MNIST test digits and networks trained briefly on the first
// training digits (read from the GoMNIST module), with their manifest.
package pipelinetest

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sync"

	"annvis/core/assets"
	"annvis/core/mnist"
	"annvis/core/model"
)

// Assets is an assets directory held in memory that logs what is fetched.
type Assets struct {
	Files map[string][]byte // file name → contents, manifest.json included
	Test  *mnist.Set        // the test digits of mnist-t10k.zst

	mu      sync.Mutex
	fetched []string
}

// Build returns the first digits test digits and, per architecture in
// archs, checkpoints at epoch 0 (untrained, seed 1) and epoch 1 (one epoch
// over the first train training digits), all listed in manifest.json.
func Build(digits, train int, archs ...string) (*Assets, error) {
	t10k, err := mnist.LoadModule("t10k")
	if err != nil {
		return nil, err
	}
	trainSet, err := mnist.LoadModule("train")
	if err != nil {
		return nil, err
	}
	a := &Assets{Files: map[string][]byte{}, Test: t10k.Slice(0, min(digits, t10k.Len()))}
	m := &assets.Manifest{Version: assets.Version}
	b, err := mnist.EncodeAsset(a.Test)
	if err != nil {
		return nil, err
	}
	if err := a.add(m, assets.Asset{File: "mnist-t10k.zst", Kind: assets.KindTestSet}, b); err != nil {
		return nil, err
	}
	for _, arch := range archs {
		if err := a.network(m, arch, trainSet.Slice(0, min(train, trainSet.Len()))); err != nil {
			return nil, err
		}
	}
	a.Files[assets.ManifestFile] = m.Marshal()
	return a, nil
}

// network adds the epoch 0 and epoch 1 checkpoints of arch.
func (a *Assets) network(m *assets.Manifest, arch string, train *mnist.Set) error {
	net, err := model.New(arch, 1)
	if err != nil {
		return err
	}
	tr, err := model.NewTrainer(net, model.TrainConfig{Seed: 1})
	if err != nil {
		return err
	}
	for epoch := range 2 {
		if epoch > 0 {
			if _, err := tr.Epoch(train, nil); err != nil {
				return err
			}
		}
		acc, err := model.Accuracy(net, a.Test, 100)
		if err != nil {
			return err
		}
		b, err := model.EncodeCheckpoint(&model.Checkpoint{Arch: arch, Epoch: epoch, Accuracy: acc, Net: net})
		if err != nil {
			return err
		}
		ck := assets.Asset{File: fmt.Sprintf("%s-e%02d.zst", arch, epoch), Kind: assets.KindCheckpoint, Network: arch, Epoch: epoch, Accuracy: acc}
		if err := a.add(m, ck, b); err != nil {
			return err
		}
	}
	return nil
}

// Put adds or replaces the file as.File with b, listed in manifest.json
// with b's size, raw size and SHA-256.
func (a *Assets) Put(as assets.Asset, b []byte) error {
	m, err := assets.ParseManifest(a.Files[assets.ManifestFile])
	if err != nil {
		return err
	}
	if err := a.add(m, as, b); err != nil {
		return err
	}
	a.Files[assets.ManifestFile] = m.Marshal()
	return nil
}

func (a *Assets) add(m *assets.Manifest, as assets.Asset, b []byte) error {
	if err := assets.Measure(&as, b); err != nil {
		return err
	}
	a.Files[as.File] = b
	return m.Upsert(as)
}

// Clone returns a copy of a with its own file map and an empty fetch log.
func (a *Assets) Clone() *Assets {
	return &Assets{Files: maps.Clone(a.Files), Test: a.Test}
}

// Fetch is a pipeline.Fetcher over the files; it logs each name asked for
// and refuses a file of more than limit bytes.
func (a *Assets) Fetch(name string, limit int64) ([]byte, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.fetched = append(a.fetched, name)
	b, ok := a.Files[name]
	if !ok {
		return nil, fmt.Errorf("404 not found")
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", assets.ErrTooLarge, limit)
	}
	return b, nil
}

// Fetched returns the names fetched so far, in order.
func (a *Assets) Fetched() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.fetched...)
}

// WriteDir writes the files into dir.
func (a *Assets) WriteDir(dir string) error {
	for name, b := range a.Files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
