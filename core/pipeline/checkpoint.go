package pipeline

import (
	"fmt"

	"annvis/core/assets"
	"annvis/core/model"
	"annvis/core/params"
)

// WithCheckpoint returns a Fetcher that serves the assets of fetch, except
// that the checkpoint file b (models/README.md format, e.g. downloaded from
// the train view) is the only checkpoint of its network, under name, and no
// precomputed layouts are listed: every view of that network shows the
// network in b. It also returns the view p for that network: its model,
// "mlp" (any MLP architecture) or "cnn", and in a view of one layer
// (epochs, bundled, neurons, map) that leaves the layer to the view, the
// network's last hidden layer, so that the view names the layer it shows.
// b is decoded and checked first; a bad file, or a layer the network does
// not have, is an error that says what is wrong.
func WithCheckpoint(fetch Fetcher, name string, b []byte, p params.Params) (Fetcher, params.Params, error) {
	c, err := model.DecodeCheckpoint(b)
	if err != nil {
		return nil, p, fmt.Errorf("pipeline: %s: %w", name, err)
	}
	network, hidden := networkOf(c.Arch), len(c.Net.Hidden())
	switch {
	case p.Layer > hidden:
		return nil, p, fmt.Errorf("pipeline: %s: layer %d: its network (%s) has hidden layers 1..%d", name, p.Layer, c.Arch, hidden)
	case p.Layer == 0 && p.View != "layers" && p.View != "trace" && p.View != "compare":
		p.Layer = hidden
	}
	p.Model = network
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
	}, p, nil
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
