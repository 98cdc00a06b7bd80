// Package e2e holds the browser tests of the annvis page: they build the site
// with scripts/build-web, serve it with the real cmd/serve on 127.0.0.1 and
// drive Debian's Chromium with chromedp, reading the state the page publishes
// in window.annvis and the pixels of its screenshots. It does not import
// Ebiten, so it runs without a display.
package e2e
