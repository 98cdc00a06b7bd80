package pipeline

import (
	"fmt"
	"slices"
	"time"

	"annvis/core/assets"
	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/core/params"
)

// WithCheckpoint returns a Fetcher that serves the assets of fetch, except
// that the checkpoint file b (models/README.md format, e.g. downloaded from
// the train view) is the final checkpoint of its network, under name, and no
// precomputed layouts are listed: every view of that network shows the
// network in b. A trained network (epoch ≥ 1) comes with its epoch 0: the
// untrained network of its architecture that p.Seed draws, the one the
// train view's run of that seed started from (the views across epochs and
// the neuron views compare the two; the checkpoint does not record its
// seed). It also returns the view p for that network: its model,
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
	if p.Layer > hidden {
		return nil, p, fmt.Errorf("pipeline: %s: layer %d: its network (%s) has hidden layers 1..%d", name, p.Layer, c.Arch, hidden)
	}
	if p.Layer == 0 && p.View != "layers" && p.View != "trace" && p.View != "compare" {
		p.Layer = hidden
	}
	p.Model = network
	files := map[string][]byte{name: b}
	own := []assets.Asset{checkpointAsset(name, c, b)}
	if c.Epoch > 0 {
		u, ub, err := untrained(fetch, c.Arch, p.Seed)
		if err != nil {
			return nil, p, fmt.Errorf("pipeline: %s: its untrained network: %w", name, err)
		}
		file := "untrained-" + name
		files[file] = ub
		own = append(own, checkpointAsset(file, u, ub))
	}
	return func(file string, limit int64) ([]byte, error) {
		if b, ok := files[file]; ok {
			return b, nil
		}
		if file == assets.ManifestFile {
			return withOnly(fetch, own, limit)
		}
		return fetch(file, limit)
	}, p, nil
}

// TrainedFile names the network a train view trained in the other views
// that show it (StartWithCheckpoint).
const TrainedFile = "trained.zst"

// StartWithCheckpoint is Start (loopEvery 0) or StartInWorker (WorkerLoop)
// of the view p of the network in the checkpoint file b, named name (see
// WithCheckpoint): the other views of a network the train view trained. A
// file that does not decode, or a layer its network lacks, is the view's
// error.
func StartWithCheckpoint(p params.Params, fetch Fetcher, name string, b []byte, loopEvery time.Duration) *Background {
	f, q, err := WithCheckpoint(fetch, name, b, p)
	if err != nil {
		pl := &Pipeline{p: p}
		pl.fail(err)
		return startLooping(pl, loopEvery)
	}
	return startLooping(New(q, f, false), loopEvery)
}

// checkpointAsset returns the manifest entry of the checkpoint c, encoded as b.
func checkpointAsset(file string, c *model.Checkpoint, b []byte) assets.Asset {
	return assets.Asset{File: file, Kind: assets.KindCheckpoint, Network: networkOf(c.Arch), Epoch: c.Epoch,
		Accuracy: c.Accuracy, Bytes: int64(len(b)), Raw: int64(model.RawSize(c.Arch)), SHA256: assets.Hash(b)}
}

// untrained returns the network of architecture arch that seed draws, as
// an epoch-0 checkpoint with its accuracy on fetch's test set, and encoded.
func untrained(fetch Fetcher, arch string, seed int64) (*model.Checkpoint, []byte, error) {
	net, err := model.New(arch, seed)
	if err != nil {
		return nil, nil, err
	}
	raw, err := fetch(TestSetFile, assets.MaxAssetBytes)
	if err != nil {
		return nil, nil, err
	}
	test, err := mnist.DecodeAsset(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", TestSetFile, err)
	}
	c := &model.Checkpoint{Arch: arch, Net: model.Quantize(net)}
	if c.Accuracy, err = model.Accuracy(c.Net, test, 500); err != nil {
		return nil, nil, err
	}
	b, err := model.EncodeCheckpoint(c)
	return c, b, err
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
// checkpoints and without precomputed layouts.
func withOnly(fetch Fetcher, own []assets.Asset, limit int64) ([]byte, error) {
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
		if net != own[0].Network {
			out.Final[net] = final
		}
	}
	for _, a := range m.Assets {
		if a.Kind == assets.KindLayouts || a.Kind == assets.KindCheckpoint && a.Network == own[0].Network ||
			slices.ContainsFunc(own, func(o assets.Asset) bool { return o.File == a.File }) {
			continue
		}
		out.Assets = append(out.Assets, a)
	}
	for _, a := range own {
		if err := out.Upsert(a); err != nil {
			return nil, err
		}
	}
	return out.Marshal(), nil
}
