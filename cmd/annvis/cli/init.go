package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"testing"
)

// NoDisplay is the error of a run on a Linux or BSD machine without an X
// display.
var NoDisplay = errors.New("annvis: no display: DISPLAY is not set; on a machine without a screen run it under xvfb-run, e.g. xvfb-run -a annvis -record out.gif")

// parsed holds the options init read from the command line.
var parsed Options

// init reads the command line before Ebiten's init opens the display, which
// panics without one: package annvis/cmd/annvis/cli sorts before
// github.com/hajimehoshi/ebiten/..., so Go initialises it first (its test,
// cmd/annvis's TestNoDisplay, checks that). On -h it prints the usage and
// exits 0; on a bad flag it reports it and exits 2; without a display it
// says so and exits 1. Tests parse for themselves.
func init() {
	if testing.Testing() {
		return
	}
	o, err := Parse(os.Args[1:], os.Stdout)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := checkDisplay(runtime.GOOS, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	parsed = o
}

// Parsed returns the options read from the command line when the program
// started. In tests, which do not read it, it returns the zero Options.
func Parsed() Options { return parsed }

// checkDisplay returns NoDisplay when a window cannot open on goos with the
// environment getenv: on Linux and the BSDs without DISPLAY. WAYLAND_DISPLAY
// does not help: Ebiten's GLFW there is built for X11 only (on Wayland it
// needs XWayland, which sets DISPLAY).
func checkDisplay(goos string, getenv func(string) string) error {
	switch goos {
	case "linux", "freebsd", "netbsd", "openbsd", "dragonfly":
		if getenv("DISPLAY") == "" {
			return NoDisplay
		}
	}
	return nil
}
