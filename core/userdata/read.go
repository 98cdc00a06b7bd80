package userdata

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Names of the arrays that are not stages.
const (
	labelsName     = "labels"
	classNamesName = "class_names"
	imagesName     = "images"
	predictedName  = "predictions"
	metaName       = "meta"
	metaFile       = "meta.json"
)

var reserved = []string{labelsName, classNamesName, imagesName, predictedName, metaName}

// Meta is the JSON that names the stages (docs/data-format.md): an array
// "meta" of one string inside a .npz, or meta.json beside the .npy files.
type Meta struct {
	Title         string   `json:"title"`
	Kind          string   `json:"kind"`           // one of Kinds; "layers" if empty
	Stages        []string `json:"stages"`         // the stage arrays in order; every other array if empty
	SharedNeurons bool     `json:"shared_neurons"` // the stages are the same neurons
	ClassNames    []string `json:"class_names"`    // or the class_names array
	Layouts       *Layouts `json:"layouts"`        // published by cmd/layouts -data, with arrays layout_0, layout_1, …
}

// layoutPrefix starts the names of the published layouts' arrays.
const layoutPrefix = "layout_"

// isReserved reports whether an array is not a stage.
func isReserved(name string) bool {
	return slices.Contains(reserved, name) || strings.HasPrefix(name, layoutPrefix)
}

// entry is one file of an archive or a folder.
type entry struct {
	name string // as stored, e.g. "labels.npy"
	size int64  // declared bytes
	open func() (io.ReadCloser, error)
}

// ReadNPZ reads the .npz archive b (numpy.savez or savez_compressed).
func ReadNPZ(b []byte, lim Limits) (*Set, error) {
	es, err := npzEntries(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	return read(es, lim)
}

// ClassNames returns the class names of the .npz archive of size bytes
// that b reads, as ReadNPZ would, reading only its meta, class names and
// labels: for a page that names the classes while its workers read the rest.
func ClassNames(b io.ReaderAt, size int64, lim Limits) ([]string, error) {
	es, err := npzEntries(b, size)
	if err != nil {
		return nil, err
	}
	r, _, err := newReader(es, lim)
	if err != nil {
		return nil, err
	}
	m, err := r.meta()
	if err != nil {
		return nil, err
	}
	_, names, err := r.labels(m)
	return names, err
}

// npzEntries lists the files of the zip archive of size bytes b reads.
func npzEntries(b io.ReaderAt, size int64) ([]entry, error) {
	z, err := zip.NewReader(b, size)
	if err != nil {
		return nil, errorf("not a .npz file (a zip archive): %v", err)
	}
	var es []entry
	for _, f := range z.File {
		es = append(es, entry{name: f.Name, size: int64(min(f.UncompressedSize64, math.MaxInt64)), open: f.Open})
	}
	return es, nil
}

// ReadDir reads a folder of .npy files, with meta.json if there is one.
func ReadDir(fsys fs.FS, lim Limits) (*Set, error) {
	ds, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, errorf("%v", err)
	}
	var es []entry
	for _, d := range ds {
		name := d.Name()
		if !d.Type().IsRegular() || !strings.HasSuffix(name, ".npy") && name != metaFile {
			continue
		}
		info, err := d.Info()
		if err != nil {
			return nil, errorf("%v", err)
		}
		es = append(es, entry{name: name, size: info.Size(), open: func() (io.ReadCloser, error) { return fsys.Open(name) }})
	}
	return read(es, lim)
}

// ReadPath reads the .npz file or the folder at path.
func ReadPath(path string, lim Limits) (*Set, error) {
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return nil, errorf("%v", err)
	case info.IsDir():
		return ReadDir(os.DirFS(path), lim)
	case info.Size() > lim.MaxFile():
		return nil, errorf("%s has %d bytes, more than the %d of the largest data set read", path, info.Size(), lim.MaxFile())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, errorf("%v", err)
	}
	return ReadNPZ(b, lim)
}

// reader reads the arrays of one data set, counting their values.
type reader struct {
	lim       Limits
	entries   map[string]entry // by array name, without .npy
	values    int64            // read so far
	published bool             // layouts without activations
}

// maxN returns the most points the set may have.
func (r *reader) maxN() int {
	if r.published {
		return r.lim.MaxShownN
	}
	return r.lim.MaxN
}

func read(es []entry, lim Limits) (*Set, error) {
	r, order, err := newReader(es, lim)
	if err != nil {
		return nil, err
	}
	return r.set(order)
}

// newReader checks the names of the files es and returns their reader and
// the candidate stages in stored order.
func newReader(es []entry, lim Limits) (*reader, []string, error) {
	if len(es) > lim.MaxStages+len(reserved)+1 {
		return nil, nil, errorf("%d files, more than %d stages and the %d other arrays", len(es), lim.MaxStages, len(reserved))
	}
	r := &reader{lim: lim, entries: map[string]entry{}}
	var order []string
	for _, e := range es {
		name, _ := strings.CutSuffix(e.name, ".npy") // npyio's writer leaves out .npy
		switch {
		case e.name == metaFile:
			name = metaFile
		case name == "" || strings.ContainsAny(name, "/\\"):
			return nil, nil, errorf("file %q: an array name must not be empty nor hold a path", e.name)
		}
		if _, dup := r.entries[name]; dup || name == metaName && r.has(metaFile) || name == metaFile && r.has(metaName) {
			return nil, nil, errorf("array %q is there twice", name)
		}
		r.entries[name] = e
		if name != metaFile && !isReserved(name) {
			order = append(order, name)
		}
	}
	return r, order, nil
}

func (r *reader) has(name string) bool { _, ok := r.entries[name]; return ok }

// set reads the whole data set; order lists the candidate stages as stored.
func (r *reader) set(order []string) (*Set, error) {
	m, err := r.meta()
	if err != nil {
		return nil, err
	}
	s := &Set{Title: m.Title, Kind: m.Kind, Shared: m.SharedNeurons}
	if err := r.stageNames(m, order); err != nil {
		return nil, err
	}
	if s.Labels, s.ClassNames, err = r.labels(m); err != nil {
		return nil, err
	}
	if s.Predicted, err = r.predictions(s.N(), s.Classes()); err != nil {
		return nil, err
	}
	if s.Images, err = r.images(s.N()); err != nil {
		return nil, err
	}
	for _, name := range m.Stages {
		st := Stage{Name: name}
		if !r.published {
			if st, err = r.stage(name, s.N()); err != nil {
				return nil, err
			}
		}
		s.Stages = append(s.Stages, st)
	}
	if s.Layouts, err = r.layouts(m.Layouts, s.N(), len(s.Stages)); err != nil {
		return nil, err
	}
	return s, s.checkShared()
}

// meta reads and checks the meta JSON, or returns the default meta.
func (r *reader) meta() (*Meta, error) {
	var raw []byte
	switch {
	case r.has(metaFile):
		e := r.entries[metaFile]
		if e.size > MaxMeta {
			return nil, errorf("%s has %d bytes, at most %d", metaFile, e.size, MaxMeta)
		}
		rc, err := e.open()
		if err != nil {
			return nil, errorf("%s: %v", metaFile, err)
		}
		defer rc.Close()
		if raw, err = io.ReadAll(io.LimitReader(rc, MaxMeta)); err != nil {
			return nil, errorf("%s: %v", metaFile, err)
		}
	case r.has(metaName):
		a, close, err := r.open(metaName)
		if err != nil {
			return nil, err
		}
		defer close()
		if len(a.shape) != 0 {
			return nil, errorf("array %q: shape %v, want one string (shape ())", metaName, a.shape)
		}
		ss, err := a.strings(MaxMeta)
		if err != nil {
			return nil, err
		}
		raw = []byte(ss[0])
	default:
		return &Meta{Kind: Kinds[0]}, nil
	}
	return parseMeta(raw)
}

// ParseMeta decodes and checks the meta JSON.
func parseMeta(raw []byte) (*Meta, error) {
	var m Meta
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, errorf("meta: %v", err)
	}
	switch {
	case m.Kind == "":
		m.Kind = Kinds[0]
	case !slices.Contains(Kinds, m.Kind):
		return nil, errorf("meta: kind %.40q, want layers or epochs", m.Kind)
	}
	return &m, nil
}

// stageNames sets m.Stages to the stored order if the meta names none, and
// checks that every array is a stage or one of the reserved arrays.
func (r *reader) stageNames(m *Meta, order []string) error {
	if len(m.Stages) == 0 {
		m.Stages = order
	}
	switch {
	case len(m.Stages) == 0:
		return errorf("no stage: a data set needs at least one N×D array of activations besides labels")
	case len(m.Stages) > r.lim.MaxStages:
		return errorf("%d stages, at most %d", len(m.Stages), r.lim.MaxStages)
	}
	missing := 0
	for _, name := range m.Stages {
		if !r.has(name) {
			missing++
		}
	}
	r.published = m.Layouts != nil && missing == len(m.Stages)
	for i, name := range m.Stages {
		switch {
		case isReserved(name):
			return errorf("meta: stage %q is the name of a reserved array", name)
		case slices.Contains(m.Stages[:i], name):
			return errorf("meta: stage %q is listed twice", name)
		case !r.has(name) && !r.published:
			return errorf("meta: stage %q has no array %s.npy", name, name)
		}
	}
	for _, name := range order {
		if !slices.Contains(m.Stages, name) {
			return errorf("array %q is not a stage listed in meta nor one of %s", name, strings.Join(reserved, ", "))
		}
	}
	return nil
}

// open opens the named array and checks its header.
func (r *reader) open(name string) (*array, func(), error) {
	e := r.entries[name]
	if e.size > r.lim.MaxFile() {
		return nil, nil, errorf("array %q: its file declares %d bytes, more than %d", name, e.size, r.lim.MaxFile())
	}
	rc, err := e.open()
	if err != nil {
		return nil, nil, errorf("array %q: %v", name, err)
	}
	a, err := openNPY(rc, name, e.size, r.lim.MaxValues)
	if err != nil {
		rc.Close()
		return nil, nil, err
	}
	return a, func() { rc.Close() }, nil
}

// count adds the values of a to the data set's, failing past the limit.
func (r *reader) count(a *array) error {
	r.values += a.elems()
	if r.values > r.lim.MaxValues {
		return errorf("array %q: the arrays hold more than %d values together", a.name, r.lim.MaxValues)
	}
	return nil
}

// labels reads the labels and the class names.
func (r *reader) labels(m *Meta) ([]uint8, []string, error) {
	if !r.has(labelsName) {
		return nil, nil, errorf("no labels array: a data set needs N integer labels")
	}
	names := m.ClassNames
	if r.has(classNamesName) {
		if names != nil {
			return nil, nil, errorf("class names are given twice, in meta and in array %q", classNamesName)
		}
		var err error
		if names, err = r.classNames(); err != nil {
			return nil, nil, err
		}
	}
	if len(names) > r.lim.MaxClasses {
		return nil, nil, errorf("%d class names, at most %d classes", len(names), r.lim.MaxClasses)
	}
	v, err := r.vector(labelsName, -1)
	if err != nil {
		return nil, nil, err
	}
	c := len(names)
	if c == 0 {
		c = r.lim.MaxClasses
	}
	labels, err := classes(labelsName, v, c, names != nil)
	if err != nil {
		return nil, nil, err
	}
	if names == nil {
		for k := range int(slices.Max(labels)) + 1 {
			names = append(names, strconv.Itoa(k))
		}
	}
	return labels, names, nil
}

// classNames reads the class_names array.
func (r *reader) classNames() ([]string, error) {
	a, close, err := r.open(classNamesName)
	if err != nil {
		return nil, err
	}
	defer close()
	switch {
	case len(a.shape) != 1:
		return nil, errorf("array %q: rank %d, want 1 (C strings)", a.name, len(a.shape))
	case a.shape[0] > r.lim.MaxClasses:
		return nil, errorf("array %q: %d class names, at most %d classes", a.name, a.shape[0], r.lim.MaxClasses)
	}
	return a.strings(MaxText)
}

// vector reads the named rank-1 integer array of n elements (any n ≥ 1 if n < 0).
func (r *reader) vector(name string, n int) ([]int64, error) {
	a, close, err := r.open(name)
	if err != nil {
		return nil, err
	}
	defer close()
	switch {
	case len(a.shape) != 1:
		return nil, errorf("array %q: rank %d, want 1 (N integers)", name, len(a.shape))
	case a.shape[0] == 0:
		return nil, errorf("array %q is empty", name)
	case a.shape[0] > r.maxN():
		return nil, errorf("array %q: %d points, at most %d", name, a.shape[0], r.maxN())
	case n >= 0 && a.shape[0] != n:
		return nil, errorf("array %q: %d points, labels has %d", name, a.shape[0], n)
	}
	if err := r.count(a); err != nil {
		return nil, err
	}
	return a.ints()
}

// classes checks that every value of v is a class 0…c−1 and returns them;
// named says the classes are those of class_names.
func classes(name string, v []int64, c int, named bool) ([]uint8, error) {
	out := make([]uint8, len(v))
	for i, x := range v {
		switch {
		case (x < 0 || x >= int64(c)) && named:
			return nil, errorf("array %q: value %d at row %d is not a class 0…%d (class_names has %d)", name, x, i, c-1, c)
		case x < 0:
			return nil, errorf("array %q: value %d at row %d is negative", name, x, i)
		case x >= int64(c):
			return nil, errorf("array %q: value %d at row %d: more than %d classes", name, x, i, c)
		}
		out[i] = uint8(x)
	}
	return out, nil
}

// predictions reads the optional predictions.
func (r *reader) predictions(n, c int) ([]uint8, error) {
	if !r.has(predictedName) {
		return nil, nil
	}
	v, err := r.vector(predictedName, n)
	if err != nil {
		return nil, err
	}
	return classes(predictedName, v, c, true)
}

// stage reads and checks the named stage.
func (r *reader) stage(name string, n int) (Stage, error) {
	a, close, err := r.open(name)
	if err != nil {
		return Stage{}, err
	}
	defer close()
	switch {
	case len(a.shape) != 2:
		return Stage{}, errorf("stage %q: rank %d, want 2 (N×D)", name, len(a.shape))
	case a.shape[0] != n:
		return Stage{}, errorf("stage %q: %d rows, labels has %d", name, a.shape[0], n)
	case a.shape[1] < 1 || a.shape[1] > r.lim.MaxDim:
		return Stage{}, errorf("stage %q: %d columns, want 1…%d", name, a.shape[1], r.lim.MaxDim)
	case a.kind != 'f':
		return Stage{}, errorf("stage %q: dtype %s, want float32 or float64", name, a.dtype())
	}
	if err := r.count(a); err != nil {
		return Stage{}, err
	}
	v, err := a.floats()
	if err != nil {
		return Stage{}, err
	}
	if err := finite("stage", name, v, a.shape[1]); err != nil {
		return Stage{}, err
	}
	return Stage{Name: name, Dim: a.shape[1], Values: v}, nil
}

// finite reports the NaN and infinite values of the rows of d values v.
func finite(what, name string, v []float32, d int) error {
	for _, bad := range []struct {
		word string
		is   func(float64) bool
	}{{"NaN", math.IsNaN}, {"infinite", func(x float64) bool { return math.IsInf(x, 0) }}} {
		count, first := 0, -1
		for i, x := range v {
			if bad.is(float64(x)) {
				if count == 0 {
					first = i
				}
				count++
			}
		}
		if count > 0 {
			return errorf("%s %q: %d %s (first at row %d, column %d)", what, name, count, plural(count, bad.word+" value"), first/d, first%d)
		}
	}
	return nil
}

// checkShared checks that stages sharing neurons have the same width.
func (s *Set) checkShared() error {
	if !s.Shared {
		return nil
	}
	for _, st := range s.Stages[1:] {
		if st.Dim != s.Stages[0].Dim {
			return errorf("stage %q has %d columns, stage %q %d: stages that share neurons have the same D", st.Name, st.Dim, s.Stages[0].Name, s.Stages[0].Dim)
		}
	}
	return nil
}

// plural returns word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// layouts reads the published layouts of n points in the given stages, if
// the meta has them.
func (r *reader) layouts(l *Layouts, n, stages int) (*Layouts, error) {
	if l == nil {
		return nil, nil
	}
	if len(l.Quality) != stages {
		return nil, errorf("meta: layouts: %d qualities for %d stages", len(l.Quality), stages)
	}
	for k, q := range l.Quality {
		for _, v := range q {
			if !(v >= 0 && v <= 1) && v != -1 {
				return nil, errorf("meta: layouts: quality %g of stage %d is not in 0…1 (or −1, unknown)", v, k)
			}
		}
	}
	out := *l
	out.Positions = nil
	for k := range stages {
		name := fmt.Sprintf("%s%d", layoutPrefix, k)
		if !r.has(name) {
			return nil, errorf("meta has layouts but no array %s.npy", name)
		}
		a, close, err := r.open(name)
		if err != nil {
			return nil, err
		}
		pos, err := r.layout(a, n)
		close()
		if err != nil {
			return nil, err
		}
		out.Positions = append(out.Positions, pos)
	}
	return &out, nil
}

// layout reads one stage's positions, N×2.
func (r *reader) layout(a *array, n int) ([]float64, error) {
	switch {
	case len(a.shape) != 2 || a.shape[1] != 2:
		return nil, errorf("array %q: shape %v, want N×2 positions", a.name, a.shape)
	case a.shape[0] != n:
		return nil, errorf("array %q: %d rows, labels has %d", a.name, a.shape[0], n)
	case a.kind != 'f':
		return nil, errorf("array %q: dtype %s, want float32 or float64", a.name, a.dtype())
	}
	if err := r.count(a); err != nil {
		return nil, err
	}
	if a.dtype()[1:] == "f8" {
		v := make([]float64, a.elems())
		if err := a.finish(a.rd.Read(&v)); err != nil {
			return nil, err
		}
		for i, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, errorf("array %q: value %g at row %d is not finite", a.name, x, i/2)
			}
		}
		return rowMajor(a, v), nil
	}
	v32, err := a.floats()
	if err != nil {
		return nil, err
	}
	if err := finite("array", a.name, v32, 2); err != nil {
		return nil, err
	}
	v := make([]float64, len(v32))
	for i, x := range v32 {
		v[i] = float64(x)
	}
	return v, nil
}
