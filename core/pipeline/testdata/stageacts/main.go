// Command stageacts writes, for each shipped layouts file, the activations
// of its stages (the hidden layer of each stage's checkpoint over the
// layouts' digits) as raw little-endian float32 files and a JSON index, for
// quality-sklearn.py. It reads models/ through the embedded models.FS.
//
//	go run ./core/pipeline/testdata/stageacts DIR
package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io/fs"
	"log"
	"math"
	"os"
	"path/filepath"

	"annvis/core/assets"
	"annvis/core/mnist"
	"annvis/core/model"
	"annvis/core/pipeline"
	"annvis/models"
)

// stage is one stage's activations file and what it came from.
type stage struct {
	Name       string `json:"name"`
	Checkpoint string `json:"checkpoint"` // SHA-256
	Hidden     int    `json:"hidden"`     // 1-based layer
	Dims       int    `json:"dims"`
	File       string `json:"file"`
}

// view is one shipped layouts file.
type view struct {
	Layouts string  `json:"layouts"`
	TestSet string  `json:"test_set"` // SHA-256
	N       int     `json:"n"`
	Labels  string  `json:"labels"` // file of N bytes
	Stages  []stage `json:"stages"`
}

func main() {
	log.SetFlags(0)
	if len(os.Args) != 2 {
		log.Fatal("usage: stageacts DIR")
	}
	dir := os.Args[1]
	b, err := fs.ReadFile(models.FS, assets.ManifestFile)
	check(err)
	m, err := assets.ParseManifest(b)
	check(err)
	test := read(m, pipeline.TestSetFile, mnist.DecodeAsset)
	var views []view
	for _, a := range m.Assets {
		if a.Kind != assets.KindLayouts {
			continue
		}
		l := read(m, a.File, pipeline.DecodeLayouts)
		v := view{Layouts: a.File, TestSet: l.TestSet, N: l.N(), Labels: a.File + ".labels"}
		check(os.WriteFile(filepath.Join(dir, v.Labels), l.Labels, 0o644))
		for k, s := range l.Stages {
			file, hidden := fmt.Sprintf("%s-e%02d.zst", l.Network, m.Final[l.Network]), k
			if l.View == "epochs" {
				file, hidden = m.Checkpoints(l.Network)[k].File, -1
			}
			ck := read(m, file, model.DecodeCheckpoint)
			if hidden < 0 {
				hidden = len(ck.Net.Hidden()) - 1 // the epochs view shows the last hidden layer
			}
			out, err := ck.Net.Forward(test.Images[:l.N()*mnist.Pixels], l.N())
			check(err)
			acts := out.Hidden[hidden]
			raw := make([]byte, 0, 4*len(acts))
			for _, x := range acts {
				raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(x))
			}
			name := fmt.Sprintf("%s.%d.f32", a.File, k)
			check(os.WriteFile(filepath.Join(dir, name), raw, 0o644))
			v.Stages = append(v.Stages, stage{s.Name, s.Checkpoint, hidden + 1, len(acts) / l.N(), name})
		}
		views = append(views, v)
	}
	js, err := json.MarshalIndent(views, "", " ")
	check(err)
	check(os.WriteFile(filepath.Join(dir, "index.json"), js, 0o644))
}

// read fetches, verifies and decodes a shipped asset.
func read[T any](m *assets.Manifest, file string, decode func([]byte) (T, error)) T {
	b, err := fs.ReadFile(models.FS, file)
	check(err)
	check(m.Verify(file, b))
	v, err := decode(b)
	check(err)
	return v
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
