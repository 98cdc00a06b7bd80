// Command serve serves the built annvis page (static/ by default) on
// 127.0.0.1 with the right MIME types, compressed, and prints its address.
//
//	go run ./cmd/serve [-addr 127.0.0.1:8080] [-dir static]
//	go run ./cmd/serve -precompress [-dir static]
//
// When the address is taken it falls back to a free port on the same host.
// The built programs and the typeface (*.wasm, *.ttf) are sent as their
// precompressed variants NAME.zst (zstd) or NAME.gz (gzip), whichever the
// browser accepts, when they are not older than NAME; -precompress writes
// them and exits (scripts/build-web runs it). Other compressible files are
// gzipped as they are served.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "`host:port` to listen on; a free port on the same host if taken")
	dir := flag.String("dir", "static", "`directory` to serve (built by scripts/build-web)")
	pre := flag.Bool("precompress", false, "write the zstd and gzip variants of the directory's .wasm and .ttf files, and exit")
	flag.Parse()
	var err error
	if *pre {
		err = precompress(*dir, os.Stdout)
	} else {
		err = run(*addr, *dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "annvis:", err)
		os.Exit(1)
	}
}

func run(addr, dir string) error {
	if err := checkSite(dir); err != nil {
		return err
	}
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	h := NewHandler(dir)
	if err := h.Prewarm(); err != nil {
		return fmt.Errorf("serve: %v", err)
	}
	srv := &http.Server{Handler: h}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		srv.Shutdown(context.Background())
	}()
	fmt.Printf("annvis: serving %s/ at http://%s/\n", strings.TrimSuffix(dir, "/"), ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %v", err)
	}
	return nil
}

// checkSite says what is missing when dir is not a built site.
func checkSite(dir string) error {
	for _, name := range []string{"index.html", "main.wasm", "wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("serve: %s is not a built site (run make web): %v", dir, err)
		}
	}
	return nil
}

// listen listens on addr, or on a free port of the same host when addr's port
// is already in use.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil || !errors.Is(err, syscall.EADDRINUSE) {
		return ln, err
	}
	host, _, splitErr := net.SplitHostPort(addr)
	if splitErr != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "annvis: %s is in use, taking a free port\n", addr)
	return net.Listen("tcp", net.JoinHostPort(host, "0"))
}
