package pipeline

import (
	"fmt"

	"annvis/core/assets"
	"annvis/core/model"
)

// WithCheckpoint returns a Fetcher that serves the assets of fetch, except
// that the checkpoint file b (models/README.md format, e.g. downloaded from
// the train view) is the only checkpoint of its network, under name, and no
// precomputed layouts are listed: every view of that network shows the
// network in b. It also returns that network, "mlp" (any MLP architecture)
// or "cnn", which the views must be given as their model. b is decoded and
// checked first; a bad file is an error that says what is wrong.
func WithCheckpoint(fetch Fetcher, name string, b []byte) (Fetcher, string, error) {
	c, err := model.DecodeCheckpoint(b)
	if err != nil {
		return nil, "", fmt.Errorf("pipeline: %s: %w", name, err)
	}
	network := networkOf(c.Arch)
	own := assets.Asset{File: name, Kind: assets.KindCheckpoint, Network: network, Epoch: c.Epoch,
		Accuracy: c.Accuracy, Bytes: int64(len(b)), Raw: int64(model.RawSize(c.Arch)), SHA256: assets.Hash(b)}
	return func(file string, limit int64) ([]byte, error) {
		switch file {
		case name:
			return b, nil
		case assets.ManifestFile:
			return withOnly(fetch, own, limit)
		}
		return fetch(file, limit)
	}, network, nil
}

// networkOf returns the network family of a checkpoint's architecture:
// "cnn", or "mlp" for the shipped MLP and every MLPArch.
func networkOf(arch string) string {
	if arch == "cnn" {
		return "cnn"
	}
	return "mlp"
}

// withOnly returns fetch's manifest with own as its network's only
// checkpoint and without precomputed layouts.
func withOnly(fetch Fetcher, own assets.Asset, limit int64) ([]byte, error) {
	b, err := fetch(assets.ManifestFile, limit)
	if err != nil {
		return nil, err
	}
	m, err := assets.ParseManifest(b)
	if err != nil {
		return nil, err
	}
	out := &assets.Manifest{Version: m.Version, Final: map[string]int{}}
	for net, final := range m.Final {
		if net != own.Network {
			out.Final[net] = final
		}
	}
	for _, a := range m.Assets {
		if a.Kind == assets.KindLayouts || a.Kind == assets.KindCheckpoint && a.Network == own.Network || a.File == own.File {
			continue
		}
		out.Assets = append(out.Assets, a)
	}
	if err := out.Upsert(own); err != nil {
		return nil, err
	}
	return out.Marshal(), nil
}
