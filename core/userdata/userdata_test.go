package userdata

import (
	"strings"
	"testing"

	"annvis/core/userdata/limits"
)

// small are limits small enough to test at and beyond each of them quickly.
var small = Limits{MaxN: 50, MaxDim: 16, MaxStages: 4, MaxClasses: 20, MaxValues: 2000}

func TestReadValid(t *testing.T) {
	s, err := ReadNPZ(npz(t, basic(30, 3, 4, "a", "b")...), small)
	if err != nil {
		t.Fatal(err)
	}
	if s.N() != 30 || s.Classes() != 3 || len(s.Stages) != 2 || s.Kind != "layers" || s.Stages[1].Name != "b" || s.Stages[1].Dim != 4 {
		t.Fatalf("got N=%d C=%d stages=%d kind=%s", s.N(), s.Classes(), len(s.Stages), s.Kind)
	}
	if got, want := s.Stages[1].Values[5], ramp(120, 1)[5]; got != want {
		t.Errorf("stage b [5] = %g, want %g", got, want)
	}
	if s.ClassNames[2] != "2" || s.Labels[4] != 1 {
		t.Errorf("class names %q, labels[4] = %d", s.ClassNames, s.Labels[4])
	}
}

// rule is one data set and the error it must give ("" for none).
type rule struct {
	name  string
	lim   Limits
	files []file
	want  string
}

func with(fs []file, extra ...file) []file {
	out := append([]file(nil), fs...)
	for _, e := range extra {
		replaced := false
		for i := range out {
			if out[i].name == e.name {
				out[i], replaced = e, true
			}
		}
		if !replaced {
			out = append(out, e)
		}
	}
	return out
}

func stageFile(name, dtype string, shape []int, data []byte) file {
	return file{name + ".npy", npyFile(dtype, shape, data)}
}

func metaFileOf(json string) file { return file{"meta.json", []byte(json)} }

func limitRules() []rule {
	nan := ramp(40, 0)
	nan[17], nan[30], nan[33] = float32(nanV()), float32(nanV()), float32(nanV())
	inf := ramp(40, 0)
	inf[9] = float32(infV())
	many := func(k int) []file {
		var names []string
		for i := range k {
			names = append(names, string(rune('a'+i)))
		}
		return basic(10, 2, 2, names...)
	}
	return []rule{
		{"N at the limit", small, basic(50, 2, 1, "a"), ""},
		{"N beyond the limit", small, basic(51, 2, 1, "a"), `array "labels": 51 points, at most 50`},
		{"D at the limit", small, basic(10, 2, 16, "a"), ""},
		{"D beyond the limit", small, basic(10, 2, 17, "a"), `stage "a": 17 columns, want 1…16`},
		{"stages at the limit", small, many(4), ""},
		{"stages beyond the limit", small, many(5), "5 stages, at most 4"},
		{"classes at the limit", small, basic(40, 20, 1, "a"), ""},
		{"classes beyond the limit", small, basic(40, 21, 1, "a"), `array "labels": value 20 at row 20: more than 20 classes`},
		{"values at the limit", small, basic(40, 2, 16, "a", "b", "c")[:3], ""},
		{"values beyond the limit", small, basic(40, 2, 16, "a", "b", "c", "d"), `array "d": the arrays hold more than 2000 values together`},
		{"NaN", small, with(basic(10, 2, 4, "a"), stageFile("a", "<f4", []int{10, 4}, f32(nan...))), `stage "a": 3 NaN values (first at row 4, column 1)`},
		{"Inf", small, with(basic(10, 2, 4, "a"), stageFile("a", "<f4", []int{10, 4}, f32(inf...))), `stage "a": 1 infinite value (first at row 2, column 1)`},
		{"negative label", small, with(basic(4, 2, 1, "a"), stageFile("labels", "<i8", []int{4}, i64(0, 1, -1, 0))), `array "labels": value -1 at row 2 is negative`},
		{"label beyond class_names", small, with(basic(4, 2, 1, "a"), metaFileOf(`{"class_names": ["cat", "dog"]}`), stageFile("labels", "<i8", []int{4}, i64(0, 1, 2, 0))),
			`array "labels": value 2 at row 2 is not a class 0…1 (class_names has 2)`},
		{"stage N mismatch", small, with(basic(10, 2, 3, "a", "b"), stageFile("b", "<f4", []int{9, 3}, f32(ramp(27, 0)...))), `stage "b": 9 rows, labels has 10`},
		{"stage wrong dtype", small, with(basic(10, 2, 3, "a"), stageFile("a", "<i8", []int{10, 3}, i64(labelsOf(30, 4)...))), `stage "a": dtype <i8, want float32 or float64`},
		{"stage wrong rank", small, with(basic(10, 2, 3, "a"), stageFile("a", "<f4", []int{30}, f32(ramp(30, 0)...))), `stage "a": rank 1, want 2 (N×D)`},
		{"labels wrong dtype", small, with(basic(4, 2, 1, "a"), stageFile("labels", "<f4", []int{4}, f32(0, 1, 0, 1))), `array "labels": dtype <f4, want integers`},
		{"labels wrong rank", small, with(basic(4, 2, 1, "a"), stageFile("labels", "<i8", []int{2, 2}, i64(0, 1, 0, 1))), `array "labels": rank 2, want 1 (N integers)`},
		{"no labels", small, basic(4, 2, 1, "a")[1:], "no labels array"},
		{"no stage", small, basic(4, 2, 1), "no stage"},
		{"predictions N mismatch", small, with(basic(4, 2, 1, "a"), stageFile("predictions", "<i8", []int{3}, i64(0, 1, 0))), `array "predictions": 3 points, labels has 4`},
		{"images N mismatch", small, with(basic(4, 2, 1, "a"), stageFile("images", "|u1", []int{3, 2, 2}, make([]byte, 12))), `array "images": 3 images, labels has 4`},
		{"images beyond 0…1", small, with(basic(1, 1, 1, "a"), stageFile("images", "<f4", []int{1, 1, 2}, f32(0.5, 1.5))), `array "images": value 1.5 at element 1 is not in 0…1`},
		{"meta kind", small, with(basic(4, 2, 1, "a"), metaFileOf(`{"kind": "steps"}`)), `meta: kind "steps", want layers or epochs`},
		{"meta unknown field", small, with(basic(4, 2, 1, "a"), metaFileOf(`{"stagse": ["a"]}`)), `meta: json: unknown field "stagse"`},
		{"meta missing stage", small, with(basic(4, 2, 1, "a"), metaFileOf(`{"stages": ["a", "b"]}`)), `meta: stage "b" has no array b.npy`},
		{"array not a stage", small, with(basic(4, 2, 1, "a", "b"), metaFileOf(`{"stages": ["a"]}`)), `array "b" is not a stage listed in meta`},
		{"shared neurons of different widths", small, with(basic(4, 2, 2, "a"), stageFile("b", "<f4", []int{4, 3}, f32(ramp(12, 0)...)), metaFileOf(`{"shared_neurons": true}`)),
			`stage "b" has 3 columns, stage "a" 2: stages that share neurons have the same D`},
		{"not an array", small, with(basic(4, 2, 1, "a"), file{"notes.txt", []byte("hi")}), `array "notes.txt" is not a .npy array`},
		{"entry without .npy", small, with(basic(4, 2, 1, "a"), file{"b", npyFile("<f4", []int{4, 1}, f32(1, 2, 3, 4))}), ""},
		{"path in a name", small, with(basic(4, 2, 1, "a"), file{"x/b.npy", nil}), `file "x/b.npy": an array name must not be empty nor hold a path`},
		{"no magic", small, with(basic(4, 2, 1, "a"), file{"a.npy", []byte("PK\x03\x04 not an array")}), `array "a" is not a .npy array`},
		{"malformed header", small, with(basic(4, 2, 1, "a"), file{"a.npy", npyRaw("{'shape': (4, 1), 'descr': '<f4', 'fortran_order': False, }", f32(1, 2, 3, 4))}), `array "a": malformed .npy header`},
		{"header at the limit", small, with(basic(4, 2, 1, "a"), file{"a.npy", headerOf(MaxHeader)}), ""},
		{"header beyond the limit", small, with(basic(4, 2, 1, "a"), file{"a.npy", headerOf(MaxHeader + 1)}), `array "a": .npy header longer than 4096 bytes`},
		{"trailing bytes", small, with(basic(4, 2, 1, "a"), file{"a.npy", append(npyFile("<f4", []int{4, 1}, f32(1, 2, 3, 4)), 0, 0, 0, 0)}), `array "a": its file has 148 bytes, its header (<f4 [4 1]) says 144`},
		{"huge dimension", Native, with(basic(4, 2, 1, "a"), stageFile("a", "<f4", []int{4, 999999999}, nil)), `array "a": shape (4, 999999999) holds more than 536870912 values`},
	}
}

func nanV() float64 { var z float64; return z / z }
func infV() float64 { var z float64; return 1 / z }

// headerOf returns a .npy file of version 2.0 of 4 float32 whose header
// has exactly size bytes.
func headerOf(size int) []byte {
	h := "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 1), }"
	h += strings.Repeat(" ", size-len(h)-1) + "\n"
	b := []byte("\x93NUMPY\x02\x00")
	b = append(b, byte(size), byte(size>>8), byte(size>>16), byte(size>>24))
	return append(append(b, h...), f32(1, 2, 3, 4)...)
}

func TestRules(t *testing.T) {
	for _, r := range limitRules() {
		t.Run(r.name, func(t *testing.T) {
			_, err := ReadNPZ(npz(t, r.files...), r.lim)
			check(t, err, r.want)
		})
	}
}

func check(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Fatalf("no error, want %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("error %q, want it to say %q", err, want)
	case err != nil && !strings.HasPrefix(err.Error(), "userdata: "):
		t.Fatalf("error %q lacks the package prefix", err)
	}
}

func TestNotZip(t *testing.T) {
	_, err := ReadNPZ([]byte("\x93NUMPY this is a .npy, not a .npz"), Page)
	check(t, err, "not a .npz file (a zip archive)")
}

func TestPageLimits(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{10000, ""}, {10001, `array "labels": 10001 points, at most 10000`}} {
		_, err := ReadNPZ(npz(t, basic(c.n, 10, 1, "a")...), Page)
		check(t, err, c.want)
	}
	for _, c := range []struct {
		d    int
		want string
	}{{4096, ""}, {4097, `stage "a": 4097 columns, want 1…4096`}} {
		_, err := ReadNPZ(npz(t, basic(2, 2, c.d, "a")...), Page)
		check(t, err, c.want)
	}
}

// TestReservedArrays checks that package limits counts the arrays that are
// not stages as the reader knows them: MaxFile allows a header for each.
func TestReservedArrays(t *testing.T) {
	if len(reserved) != limits.Arrays {
		t.Errorf("the reader reserves %d arrays (%v), limits.Arrays is %d", len(reserved), reserved, limits.Arrays)
	}
}
