//go:build !js

package mnist

import (
	"bytes"
	"strings"
	"testing"
)

func TestLoadModule(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
	}{{"t10k", 10000}, {"train", 60000}} {
		s, err := LoadModule(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		if s.Len() != tc.n {
			t.Fatalf("%s: %d digits, want %d", tc.name, s.Len(), tc.n)
		}
		// Every class is present, roughly a tenth each, and digits have ink.
		var count [Classes]int
		for i, l := range s.Labels {
			count[l]++
			ink := 0
			for _, p := range s.Image(i) {
				if p > 128 {
					ink++
				}
			}
			if ink < 10 {
				t.Fatalf("%s digit %d has only %d inked pixels", tc.name, i, ink)
			}
		}
		for c, k := range count {
			if k < tc.n/20 || k > tc.n/5 {
				t.Errorf("%s: class %d has %d digits", tc.name, c, k)
			}
		}
	}
	if _, err := LoadModule("test"); err == nil || !strings.Contains(err.Error(), `set "test"`) {
		t.Errorf("LoadModule(\"test\"): error %v", err)
	}
}

func TestAssetRoundTrip(t *testing.T) {
	s, err := LoadModule("t10k")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := EncodeAsset(s.Slice(0, 0)); err == nil {
		t.Error("EncodeAsset accepted 0 digits")
	}
	for _, n := range []int{1, 10000} {
		sub := s.Slice(0, n)
		b, err := EncodeAsset(sub)
		if err != nil {
			t.Fatal(err)
		}
		d, err := DecodeAsset(b)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(d.Images, sub.Images) || !bytes.Equal(d.Labels, sub.Labels) {
			t.Errorf("%d digits: round trip changed the set", n)
		}
		if n == 10000 {
			t.Logf("test set asset: %d bytes", len(b))
		}
	}
	if _, err := EncodeAsset(&Set{Images: make([]uint8, 10), Labels: []uint8{1}}); err == nil {
		t.Error("EncodeAsset accepted 10 pixels for one label")
	}
}
