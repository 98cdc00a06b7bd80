package userdata

import (
	"encoding/json"
	"fmt"
	"io"

	npzio "codeberg.org/sbinet/npyio/npz"
	"gonum.org/v1/gonum/mat"
)

// WritePublished writes s with its layouts l and without its activations
// as a .npz (with npyio's writer) that ReadNPZ reads back as a published
// set: labels, predictions, images, the meta (class names, kind, stages,
// layouts) and one N×2 array of positions per stage.
func WritePublished(w io.Writer, s *Set, l *Layouts) error {
	if len(l.Positions) != len(s.Stages) || len(l.Quality) != len(s.Stages) {
		return errorf("%d stages, %d layouts and %d qualities", len(s.Stages), len(l.Positions), len(l.Quality))
	}
	m := Meta{Title: s.Title, Kind: s.Kind, SharedNeurons: s.Shared, ClassNames: s.ClassNames, Layouts: l}
	for _, st := range s.Stages {
		m.Stages = append(m.Stages, st.Name)
	}
	meta, err := json.Marshal(m)
	if err != nil {
		return errorf("%v", err)
	}
	z := npzio.NewWriter(w)
	write := func(name string, v any) {
		if err == nil {
			err = z.Write(name+".npy", v)
		}
	}
	write(metaName, string(meta))
	write(labelsName, s.Labels)
	if s.Predicted != nil {
		write(predictedName, s.Predicted)
	}
	if im := s.Images; im != nil {
		images := make([][][]uint8, s.N())
		for i := range images {
			for y := range im.H {
				images[i] = append(images[i], im.Image(i)[y*im.W:(y+1)*im.W])
			}
		}
		write(imagesName, images)
	}
	for k, pos := range l.Positions {
		write(fmt.Sprintf("%s%d", layoutPrefix, k), mat.NewDense(s.N(), 2, pos))
	}
	if err != nil {
		return errorf("writing: %v", err)
	}
	if err := z.Close(); err != nil {
		return errorf("writing: %v", err)
	}
	return nil
}
