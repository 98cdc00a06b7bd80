package userdata

import (
	"strings"
	"testing"
)

// FuzzReadNPZ feeds arbitrary bytes to the reader, seeded with valid data
// sets and every rule's file: it must return a Set or an error of this
// package, never panic nor allocate past the limits.
func FuzzReadNPZ(f *testing.F) {
	f.Add(npz(f, basic(30, 3, 4, "a", "b")...))
	for _, r := range limitRules() {
		if b := npz(f, r.files...); r.lim == small && len(b) < 2048 { // small inputs mutate fast
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ReadNPZ(b, small)
		switch {
		case err != nil && !strings.HasPrefix(err.Error(), "userdata: "):
			t.Fatalf("error without the package prefix: %v", err)
		case err == nil && (s.N() == 0 || s.N() > small.MaxN || len(s.Stages) == 0):
			t.Fatalf("accepted %d points in %d stages", s.N(), len(s.Stages))
		}
	})
}

// FuzzParseHeader checks that every header the guard lets through is one
// npyio parses without panicking, and that shapes stay bounded.
func FuzzParseHeader(f *testing.F) {
	f.Add([]byte("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }     \n"))
	f.Add([]byte("{'descr': '<U7', 'fortran_order': True, 'shape': (), }\n"))
	f.Fuzz(func(t *testing.T, hdr []byte) {
		a, err := openNPY(strings.NewReader(string(npyRaw(string(hdr), nil))), "x", -1, 1000)
		if err == nil && a.elems() > 1000 {
			t.Fatalf("shape %v passed a bound of 1000 values", a.shape)
		}
	})
}
