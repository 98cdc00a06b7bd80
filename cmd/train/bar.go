package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"annvis/core/model"
)

// bar is a one-line progress bar for an epoch: examples/s, loss, accuracy
// and the ETA of the whole run.
type bar struct {
	w             io.Writer
	label         string
	runStart      time.Time // start of the run, for the ETA
	epochStart    time.Time
	last          time.Time
	epoch, epochs int // epochs done before this one, and in all
}

// newBar starts the bar of epoch epoch+1 of epochs.
func newBar(w io.Writer, label string, runStart time.Time, epoch, epochs int) *bar {
	now := time.Now()
	return &bar{w: w, label: label, runStart: runStart, epochStart: now, epoch: epoch, epochs: epochs}
}

// update redraws the bar at most twice a second.
func (b *bar) update(p model.Progress) {
	if time.Since(b.last) < 500*time.Millisecond && p.Done < p.Total {
		return
	}
	b.last = time.Now()
	fmt.Fprintf(b.w, "\r%s", b.line(p))
}

// finish draws the final state of the bar and ends its line.
func (b *bar) finish(p model.Progress) { fmt.Fprintf(b.w, "\r%s\n", b.line(p)) }

// line formats the bar.
func (b *bar) line(p model.Progress) string {
	const width = 24
	frac := float64(p.Done) / float64(p.Total)
	filled := int(frac * width)
	rate := float64(p.Done) / time.Since(b.epochStart).Seconds()
	done := float64(b.epoch) + frac
	eta := time.Duration(float64(time.Since(b.runStart)) / done * (float64(b.epochs) - done)).Round(time.Second)
	return fmt.Sprintf("%s [%s%s] %3.0f%% %6.0f ex/s loss %.4f acc %.2f%% ETA %v ",
		b.label, strings.Repeat("=", filled), strings.Repeat(" ", width-filled), 100*frac, rate, p.Loss, 100*p.Accuracy, eta)
}
