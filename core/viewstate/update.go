package viewstate

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"annvis/core/bundle"
	"annvis/core/params"
	"annvis/core/wire"
)

// Updates carry a Snapshot from a producer to a reader in another program
// (a Web Worker to the page): an Encoder sends what changed since its last
// update, ApplyUpdate merges an update into the reader's Snapshot. The
// format is little-endian: the magic "ANNVUPD1", then sections, each a tag
// byte and its payload. Coordinates and importances travel as float32.

const updateMagic = "ANNVUPD1"

// Section tags of an update.
const (
	tagStatus    = 1 + iota // phase, error, asset error?, progress, flags, N
	tagNames                // stage count, then each name
	tagLabels               // N classes
	tagPredicted            // stage, N classes
	tagPositions            // stage, 2N float32
	tagQuality              // stage count, NH and TW float64 per stage
	tagPanel                // stage, neurons d, 2d pos, stress, 10d importances, d classes, d opacities
	tagBundles              // which (0 each class, 1 all), N lines of points, coordinates, stages
	tagImages               // N×784 pixels
	tagTraining             // train view: the run's state (trainupdate.go)
	tagTrained              // train view: the latest stage's network, a checkpoint file
)

// Limits of an update; they bound what ApplyUpdate allocates.
const (
	maxPanelNeurons = 1 << 14
	maxLinePoints   = 1 << 16
	maxPhase        = 1 << 10
)

// Encoder turns a producer's successive Snapshots into updates. Its zero
// value sends everything once, then what changed.
type Encoder struct {
	// Hold keeps back the positions of a view still computing, and what
	// only counts its way along (its progress within a phase, the train
	// view's mini-batch counters and loss curve): a producer sets it
	// between the moments it wants the reader to see the layouts converge,
	// so that the reader redraws them at that pace and not at every update
	// (each frame a page draws costs it the same, however little changed).
	// Final positions, a stage's first positions (the reader can draw the
	// stage), a new phase or stage, a pause, an error and the end are never
	// held.
	Hold bool

	names     int
	labels    bool
	predicted []bool
	final     []bool   // positions sent after the stage was final
	sent      []uint64 // digest of the positions last sent, per stage
	quality   []Quality
	panels    []bool
	bundles   [2]bool
	images    bool
	progress  float64 // the progress last sent
	phase     string  // the phase last sent
	training  []byte  // the training section last sent
	milestone trainMilestone
	trained   Network // the network last sent
	status    []byte  // the status section of the last update
	news      bool    // the last update brings something (News)
}

// Encode appends to dst the update that brings a reader from the previous
// snapshot this Encoder encoded to s, and returns it.
func (e *Encoder) Encode(dst []byte, s *Snapshot) []byte {
	w := upWriter{wire.Writer{B: append(dst, updateMagic...)}}
	from := len(w.B)
	w.status(s, e.progressSent(s.Status))
	status := len(w.B)
	if e.names != len(s.Names) {
		e.names = len(s.Names)
		w.Byte(tagNames)
		w.U32(uint32(len(s.Names)))
		for _, n := range s.Names {
			w.Str(n)
		}
	}
	if !e.labels && s.Labels != nil {
		e.labels = true
		w.Byte(tagLabels)
		w.Bytes(s.Labels)
	}
	e.predicted = resize(e.predicted, len(s.Names))
	e.final = resize(e.final, len(s.Names))
	e.sent = resize(e.sent, len(s.Names))
	e.panels = resize(e.panels, len(s.Names))
	for k := range s.Names {
		if p := s.Predicted[k]; p != nil && !e.predicted[k] {
			e.predicted[k] = true
			w.Byte(tagPredicted)
			w.U32(uint32(k))
			w.Bytes(p)
		}
		if pos := s.Positions[k]; pos != nil && !e.final[k] && (!e.Hold || s.Status.Done || e.sent[k] == 0) {
			e.final[k] = s.Status.Done
			if d := digest32(pos); d != e.sent[k] {
				e.sent[k] = d
				w.Byte(tagPositions)
				w.U32(uint32(k))
				w.f32s(pos)
			}
		}
		if pn := s.Panels[k]; pn != nil && !e.panels[k] {
			e.panels[k] = true
			w.panel(k, pn)
		}
	}
	if !sameQuality(e.quality, s.Quality) {
		e.quality = append(e.quality[:0], s.Quality...)
		w.Byte(tagQuality)
		w.U32(uint32(len(s.Quality)))
		for _, q := range s.Quality {
			w.F64(q.NH)
			w.F64(q.TW)
		}
	}
	for i, r := range s.Bundles {
		if r != nil && !e.bundles[i] {
			e.bundles[i] = true
			w.bundles(i, r)
		}
	}
	if !e.images && s.Images != nil {
		e.images = true
		w.Byte(tagImages)
		w.Bytes(s.Images)
	}
	e.encodeTraining(&w, s)
	e.news = len(w.B) > status || !bytes.Equal(w.B[from:status], e.status)
	e.status = append(e.status[:0], w.B[from:status]...)
	return w.B
}

// News reports whether the update Encode returned last brings the reader
// anything the one before it did not: a status that differs, or any other
// section. A producer need not send one that brings nothing (each update a
// page applies costs it a frame).
func (e *Encoder) News() bool { return e.news }

// digest32 returns an FNV-1a digest of v as sent (float32), never 0 (the
// digest of nothing sent yet).
func digest32(v []float64) uint64 {
	h := uint64(14695981039346656037)
	for _, x := range v {
		h = (h ^ uint64(math.Float32bits(float32(x)))) * 1099511628211
	}
	return h | 1
}

func sameQuality(a, b []Quality) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i].NH) != math.Float64bits(b[i].NH) || math.Float64bits(a[i].TW) != math.Float64bits(b[i].TW) {
			return false
		}
	}
	return true
}

// upWriter writes an update's sections.
type upWriter struct{ wire.Writer }

// f32s writes v's length, then its values as float32s.
func (w *upWriter) f32s(v []float64) {
	w.U32(uint32(len(v)))
	for _, x := range v {
		w.B = binary.LittleEndian.AppendUint32(w.B, math.Float32bits(float32(x)))
	}
}

// progressSent returns the progress to send with st: the last one sent
// while Hold holds it (the phase unchanged, the view still computing).
func (e *Encoder) progressSent(st Status) float64 {
	if !e.Hold || st.Done || st.Err != nil || st.Phase != e.phase {
		e.progress, e.phase = st.Progress, st.Phase
	}
	return e.progress
}

// status writes s's status, with progress as its progress.
func (w *upWriter) status(s *Snapshot, progress float64) {
	st := s.Status
	w.Byte(tagStatus)
	w.Str(st.Phase)
	msg := ""
	if st.Err != nil {
		msg = st.Err.Error()
	}
	w.Str(msg)
	var ae *AssetError // travels as such: the page tells asset errors apart
	if errors.As(st.Err, &ae) {
		w.Byte(1)
		w.Str(ae.File)
		w.Str(ae.Layer)
		w.Str(ae.Err.Error())
	} else {
		w.Byte(0)
	}
	w.F64(progress)
	var flags byte
	for i, f := range []bool{st.Err != nil, st.Done, st.Precomputed, s.Bundled} {
		if f {
			flags |= 1 << i
		}
	}
	w.Byte(flags)
	w.U32(uint32(s.N))
}

func (w *upWriter) panel(k int, p *Panel) {
	w.Byte(tagPanel)
	w.U32(uint32(k))
	w.U32(uint32(len(p.Class)))
	w.Byte(byte(p.Classes()))
	w.f32s(p.Pos)
	w.F64(p.Stress)
	w.f32s(p.Importance)
	for _, c := range p.Class {
		w.Byte(byte(c))
	}
	w.f32s(p.Opacity)
}

func (w *upWriter) bundles(i int, r *bundle.Result) {
	w.Byte(tagBundles)
	w.Byte(byte(i))
	w.U32(uint32(len(r.Lines)))
	for j, l := range r.Lines {
		w.f32s(l)
		w.U32(uint32(len(r.Stage[j])))
		for _, s := range r.Stage[j] {
			w.B = binary.LittleEndian.AppendUint32(w.B, math.Float32bits(s))
		}
	}
}

// errUpdate prefixes every error of ApplyUpdate.
var errUpdate = errors.New("viewstate: bad update")

// ApplyUpdate merges the update b, made by an Encoder, into s. A malformed
// update gives an error saying what is wrong, and may leave s partly
// updated; it never allocates more than b's length allows.
func ApplyUpdate(s *Snapshot, b []byte) error {
	if len(b) < len(updateMagic) || string(b[:len(updateMagic)]) != updateMagic {
		return fmt.Errorf("%w: it does not start with %q", errUpdate, updateMagic)
	}
	r := upReader{wire.Reader{B: b[len(updateMagic):], Kind: errUpdate}}
	for len(r.B) > 0 && r.Err == nil {
		tag := r.Byte()
		if tag != tagStatus && s.N == 0 {
			return fmt.Errorf("%w: section %d before the status", errUpdate, tag)
		}
		r.section(s, tag)
	}
	return r.Err
}

// upReader reads an update's sections; its errors wrap errUpdate.
type upReader struct{ wire.Reader }

// f32s reads a length-prefixed float32 array of want values (-1: any, at most max).
func (r *upReader) f32s(what string, want, max int) []float64 {
	n := r.U32()
	switch {
	case r.Err != nil:
		return nil
	case want >= 0 && n != want, want < 0 && n > max:
		r.Fail("%s has %d values, want %d", what, n, want)
		return nil
	}
	raw := r.Take(4 * n)
	if raw == nil {
		return nil
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:])))
	}
	return v
}

// stage reads a stage index, which must name a known stage.
func (r *upReader) stage(s *Snapshot) int {
	k := r.U32()
	if k >= len(s.Names) && r.Err == nil {
		r.Fail("stage %d of %d", k, len(s.Names))
	}
	return k
}

func (r *upReader) section(s *Snapshot, tag byte) {
	switch tag {
	case tagStatus:
		r.status(s)
	case tagNames:
		r.names(s)
	case tagLabels:
		if l := r.Bytes("labels", s.N); r.Err == nil {
			s.Labels = l
		}
	case tagPredicted:
		k := r.stage(s)
		if p := r.Bytes("predictions", s.N); r.Err == nil {
			s.Predicted[k] = p
		}
	case tagPositions:
		k := r.stage(s)
		if pos := r.f32s("positions", 2*s.N, 0); r.Err == nil {
			s.Positions[k] = pos
		}
	case tagQuality:
		r.quality(s)
	case tagPanel:
		r.panel(s)
	case tagBundles:
		r.bundles(s)
	case tagImages:
		if img := r.Bytes("images", s.N*imagePixels); r.Err == nil {
			s.Images = img
		}
	case tagTraining:
		r.training(s)
	case tagTrained:
		r.trained(s)
	default:
		r.Fail("unknown section %d", tag)
	}
}

func (r *upReader) status(s *Snapshot) {
	phase := r.Take(min(r.U32(), maxPhase+1))
	msg := r.Bytes("error", -1)
	var asset *AssetError
	if r.Byte() == 1 {
		asset = &AssetError{File: string(r.Bytes("asset file", -1)), Layer: string(r.Bytes("asset layer", -1))}
		asset.Err = errors.New(string(r.Bytes("asset error", -1)))
	}
	progress := r.F64()
	flags := r.Byte()
	n := r.U32()
	switch {
	case r.Err != nil:
		return
	case len(phase) > maxPhase:
		r.Fail("phase of more than %d bytes", maxPhase)
	case n < 1 || n > MaxDigits || s.N != 0 && n != s.N:
		r.Fail("%d digits (before: %d)", n, s.N)
	case !(progress >= 0 && progress <= 1):
		r.Fail("progress %v", progress)
	}
	if r.Err != nil {
		return
	}
	st := Status{Phase: string(phase), Progress: progress, Done: flags&2 != 0, Precomputed: flags&4 != 0}
	switch {
	case flags&1 != 0 && asset != nil:
		st.Err = asset
	case flags&1 != 0:
		st.Err = errors.New(string(msg))
	}
	s.Status, s.Bundled, s.N = st, flags&8 != 0, n
}

// laidOut reports whether a stage of s has a layout or a neuron panel.
func laidOut(s *Snapshot) bool {
	return slices.ContainsFunc(s.Positions, func(p []float64) bool { return p != nil }) ||
		slices.ContainsFunc(s.Panels, func(p *Panel) bool { return p != nil })
}

func (r *upReader) names(s *Snapshot) {
	n := r.U32()
	// The train view's stages join as it learns; a network opened from a
	// checkpoint file has its own layers, known once it is decoded, before
	// any layout.
	if n < 1 || n > MaxStages || n < len(s.Names) && laidOut(s) {
		r.Fail("%d stages (before: %d)", n, len(s.Names))
		return
	}
	names := make([]string, n)
	for k := range names {
		names[k] = string(r.Bytes("stage name", -1))
	}
	if r.Err != nil {
		return
	}
	s.Names = names
	s.Predicted = resize(s.Predicted, n)
	s.Positions = resize(s.Positions, n)
	s.Panels = resize(s.Panels, n)
}

func (r *upReader) quality(s *Snapshot) {
	n := r.U32()
	if n != len(s.Names) {
		r.Fail("quality of %d stages, want %d", n, len(s.Names))
		return
	}
	q := make([]Quality, n)
	for k := range q {
		q[k] = Quality{r.F64(), r.F64()}
	}
	if r.Err == nil {
		s.Quality = q
	}
}

func (r *upReader) panel(s *Snapshot) {
	k := r.stage(s)
	d, c := r.U32(), int(r.Byte())
	if r.Err == nil && (d < 1 || d > maxPanelNeurons || c < params.Digits || c > params.MaxClasses) {
		r.Fail("panel of %d neurons and %d classes", d, c)
		return
	}
	p := &Panel{Pos: r.f32s("neuron positions", 2*d, 0), Stress: r.F64()}
	p.Importance = r.f32s("importances", c*d, 0)
	classes := r.Take(d)
	p.Opacity = r.f32s("opacities", d, 0)
	if r.Err != nil {
		return
	}
	p.Class = make([]int, d)
	for i, k := range classes {
		if int(k) >= c {
			r.Fail("neuron %d discriminates class %d of %d", i, k, c)
			return
		}
		p.Class[i] = int(k)
	}
	s.Panels[k] = p
}

func (r *upReader) bundles(s *Snapshot) {
	i, n := int(r.Byte()), r.U32()
	if r.Err != nil { // a truncated header: i may be anything
		return
	}
	if i > 1 || n != s.N {
		r.Fail("bundling %d of %d lines, want 0 or 1 of %d", i, n, s.N)
		return
	}
	res := &bundle.Result{Lines: make([][]float64, 0, min(n, len(r.B)/8)), Stage: make([][]float32, 0, min(n, len(r.B)/8))}
	for range n {
		line := r.f32s("bundled line", -1, 2*maxLinePoints)
		stages := r.f32s("bundled line stages", len(line)/2, 0)
		if r.Err != nil {
			return
		}
		st := make([]float32, len(stages))
		for j, v := range stages {
			st[j] = float32(v)
		}
		res.Lines, res.Stage = append(res.Lines, line), append(res.Stage, st)
	}
	s.Bundles[i] = res
}
