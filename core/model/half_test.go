package model

import (
	"math"
	"testing"
)

func TestHalf(t *testing.T) {
	for _, tc := range []struct {
		x    float32
		want uint16
	}{
		{0, 0x0000},
		{float32(math.Copysign(0, -1)), 0x8000},
		{1, 0x3c00},
		{-2, 0xc000},
		{0.333333, 0x3555},
		{65504, 0x7bff},
		{65520, 0x7c00}, // rounds up to +Inf
		{1e6, 0x7c00},
		{float32(math.Inf(-1)), 0xfc00},
		{1.0 / (1 << 24), 0x0001}, // smallest subnormal
		{1.0 / (1 << 26), 0x0000}, // underflows
		{1.0 / (1 << 14), 0x0400}, // smallest normal
		{1 + 1.0/2048, 0x3c00},    // tie, to even
		{1 + 3.0/2048, 0x3c02},    // tie, to even
	} {
		if got := toHalf(tc.x); got != tc.want {
			t.Errorf("toHalf(%g) = %#04x, want %#04x", tc.x, got, tc.want)
		}
	}
	if h := toHalf(float32(math.NaN())); h&0x7c00 != 0x7c00 || h&0x3ff == 0 {
		t.Errorf("toHalf(NaN) = %#04x, not a NaN", h)
	}
	// Every half value that is not a NaN survives the round trip.
	for h := 0; h < 1<<16; h++ {
		if h&0x7c00 == 0x7c00 && h&0x3ff != 0 {
			continue
		}
		if got := toHalf(fromHalf(uint16(h))); got != uint16(h) {
			t.Fatalf("toHalf(fromHalf(%#04x)) = %#04x", h, got)
		}
	}
}
