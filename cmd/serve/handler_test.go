package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"golang.org/x/image/font/gofont/goregular"
)

// site writes a small real site into a temp dir and returns it with its files.
func site(t *testing.T) (string, map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	js, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := zstd.NewWriter(nil)
	files := map[string][]byte{
		"index.html":           []byte("<!doctype html><title>annvis</title><canvas></canvas>\n"),
		"main.wasm":            {0, 'a', 's', 'm', 1, 0, 0, 0}, // the empty wasm module
		"wasm_exec.js":         js,
		"style.css":            []byte("body { margin: 0 }\n"),
		"go-regular.ttf":       goregular.TTF,
		"models/manifest.json": []byte(`{"Version":1,"Assets":[]}`),
		"models/mlp-e20.zst":   enc.EncodeAll(bytes.Repeat([]byte("annvis "), 1000), nil),
	}
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, files
}

func get(h http.Handler, path string, header ...string) *http.Response {
	r := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func body(t *testing.T, res *http.Response) []byte {
	t.Helper()
	var r io.Reader = res.Body
	switch res.Header.Get("Content-Encoding") {
	case "gzip":
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "zstd":
		zr, err := zstd.NewReader(res.Body, zstd.WithDecoderMaxWindow(zstdWindow))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHandler(t *testing.T) {
	dir, files := site(t)
	h := NewHandler(dir)
	if err := h.Prewarm(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, file, mime string
		gzip             bool
	}{
		{"/", "index.html", "text/html; charset=utf-8", true},
		{"/main.wasm", "main.wasm", "application/wasm", true},
		{"/wasm_exec.js", "wasm_exec.js", "text/javascript; charset=utf-8", true},
		{"/style.css", "style.css", "text/css; charset=utf-8", true},
		{"/go-regular.ttf", "go-regular.ttf", "font/ttf", true},
		{"/models/manifest.json", "models/manifest.json", "application/json", true},
		{"/models/mlp-e20.zst", "models/mlp-e20.zst", "application/octet-stream", false},
		{"/models/../main.wasm", "main.wasm", "application/wasm", true},
	} {
		for _, accept := range []string{"gzip, deflate, br", ""} {
			res := get(h, tc.path, "Accept-Encoding", accept)
			wantGzip := tc.gzip && accept != ""
			if res.StatusCode != 200 {
				t.Errorf("GET %s (%q): status %d", tc.path, accept, res.StatusCode)
				continue
			}
			if got := res.Header.Get("Content-Type"); got != tc.mime {
				t.Errorf("GET %s: Content-Type %q, want %q", tc.path, got, tc.mime)
			}
			if got := res.Header.Get("Content-Encoding") == "gzip"; got != wantGzip {
				t.Errorf("GET %s (Accept-Encoding %q): gzip %v, want %v", tc.path, accept, got, wantGzip)
			}
			if got := res.Header.Get("Cache-Control"); got != "no-cache" {
				t.Errorf("GET %s: Cache-Control %q, want no-cache", tc.path, got)
			}
			if dl := res.Header.Get("X-Decoded-Length"); wantGzip && dl != strconv.Itoa(len(files[tc.file])) {
				t.Errorf("GET %s: X-Decoded-Length %q, want %d", tc.path, dl, len(files[tc.file]))
			}
			if got := body(t, res); !bytes.Equal(got, files[tc.file]) {
				t.Errorf("GET %s: body of %d bytes differs from %s (%d bytes)", tc.path, len(got), tc.file, len(files[tc.file]))
			}
		}
	}
}

func TestHandlerErrors(t *testing.T) {
	dir, _ := site(t)
	h := NewHandler(dir)
	for _, tc := range []struct {
		path string
		code int
	}{
		{"/models/mlp-e99.zst", 404},
		{"/missing.wasm", 404},
		{"/../../etc/passwd", 404},
		{"/models", 301},
		{"/index.html", 301},
	} {
		if res := get(h, tc.path, "Accept-Encoding", "gzip"); res.StatusCode != tc.code {
			t.Errorf("GET %s: status %d, want %d", tc.path, res.StatusCode, tc.code)
		}
	}
}

func TestHandlerRevalidates(t *testing.T) {
	dir, _ := site(t)
	h := NewHandler(dir)
	res := get(h, "/main.wasm", "Accept-Encoding", "gzip")
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on a gzipped response")
	}
	if res := get(h, "/main.wasm", "Accept-Encoding", "gzip", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("GET with If-None-Match of the current version: status %d, want 304", res.StatusCode)
	}

	rebuilt := []byte{0, 'a', 's', 'm', 1, 0, 0, 0, 0, 1, 0} // a new build, with a custom section
	p := filepath.Join(dir, "main.wasm")
	if err := os.WriteFile(p, rebuilt, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(p, time.Now(), time.Now().Add(time.Minute))
	res = get(h, "/main.wasm", "Accept-Encoding", "gzip", "If-None-Match", etag)
	if res.StatusCode != 200 || !bytes.Equal(body(t, res), rebuilt) {
		t.Errorf("after a rebuild: status %d; want 200 with the new content", res.StatusCode)
	}
}

func TestListenFallsBack(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	ln, err := listen(taken.Addr().String())
	if err != nil {
		t.Fatalf("listen(%s) while taken: %v", taken.Addr(), err)
	}
	defer ln.Close()
	if ln.Addr().String() == taken.Addr().String() || !strings.HasPrefix(ln.Addr().String(), "127.0.0.1:") {
		t.Errorf("fell back to %s, want another port of 127.0.0.1", ln.Addr())
	}
	if _, err := listen("127.0.0.1:notaport"); err == nil {
		t.Error("listen(127.0.0.1:notaport): no error")
	}
}

func TestCheckSite(t *testing.T) {
	dir, _ := site(t)
	if err := checkSite(dir); err != nil {
		t.Errorf("checkSite(built site): %v", err)
	}
	os.Remove(filepath.Join(dir, "main.wasm"))
	err := checkSite(dir)
	if err == nil || !strings.Contains(err.Error(), "is not a built site (run make web)") || !strings.Contains(err.Error(), "main.wasm") {
		t.Errorf("checkSite without main.wasm: %v", err)
	}
}

// TestHandlerNegotiates serves the precompressed variants of a site's
// programs by the request's Accept-Encoding: zstd first, then gzip, else
// the file as it is; a variant older than its file is not sent.
func TestHandlerNegotiates(t *testing.T) {
	dir, files := site(t)
	if err := precompress(dir, io.Discard); err != nil {
		t.Fatal(err)
	}
	h := NewHandler(dir)
	for _, tc := range []struct {
		accept, want string // want: the Content-Encoding; "gzip*" gzipped as served
	}{
		{"gzip, deflate, br, zstd", "zstd"}, // Chromium
		{"gzip, deflate, br", "gzip"},
		{"zstd;q=0.5, gzip;q=1.0", "zstd"}, // the server's order among those accepted
		{"zstd;q=0, gzip", "gzip"},
		{"ZSTD", "zstd"},
		{"*", "zstd"},
		{"*, zstd;q=0", "gzip"},
		{"zstd;q=0, gzip;q=0", ""},
		{"br", ""},
		{"identity", ""},
		{"", ""},
	} {
		res := get(h, "/main.wasm", "Accept-Encoding", tc.accept)
		hd := res.Header
		if res.StatusCode != 200 || hd.Get("Content-Encoding") != tc.want {
			t.Errorf("Accept-Encoding %q: status %d, Content-Encoding %q, want 200 and %q", tc.accept, res.StatusCode, hd.Get("Content-Encoding"), tc.want)
			continue
		}
		if hd.Get("Content-Type") != "application/wasm" || hd.Get("Vary") != "Accept-Encoding" || hd.Get("Cache-Control") != "no-cache" {
			t.Errorf("Accept-Encoding %q: Content-Type %q, Vary %q, Cache-Control %q", tc.accept, hd.Get("Content-Type"), hd.Get("Vary"), hd.Get("Cache-Control"))
		}
		raw, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		if tc.want != "" {
			sent, err := os.ReadFile(filepath.Join(dir, "main.wasm"+map[string]string{"zstd": ".zst", "gzip": ".gz"}[tc.want]))
			if err != nil || !bytes.Equal(raw, sent) || hd.Get("X-Decoded-Length") != strconv.Itoa(len(files["main.wasm"])) {
				t.Errorf("Accept-Encoding %q: sent %d bytes, not the precompressed variant (%v), X-Decoded-Length %q", tc.accept, len(raw), err, hd.Get("X-Decoded-Length"))
			}
		}
		res.Body = io.NopCloser(bytes.NewReader(raw))
		if got := body(t, res); !bytes.Equal(got, files["main.wasm"]) {
			t.Errorf("Accept-Encoding %q: decoded %d bytes, not main.wasm", tc.accept, len(got))
		}
	}

	res := get(h, "/main.wasm", "Accept-Encoding", "zstd")
	if res := get(h, "/main.wasm", "Accept-Encoding", "zstd", "If-None-Match", res.Header.Get("ETag")); res.StatusCode != http.StatusNotModified {
		t.Errorf("GET with If-None-Match of the zstd variant: status %d, want 304", res.StatusCode)
	}
	if res2 := get(h, "/main.wasm", "Accept-Encoding", "gzip", "If-None-Match", res.Header.Get("ETag")); res2.StatusCode != 200 {
		t.Errorf("GET gzip with If-None-Match of the zstd variant: status %d, want 200", res2.StatusCode)
	}

	// A rebuilt main.wasm whose variants were not rewritten: gzipped as served.
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(dir, "main.wasm"), later, later); err != nil {
		t.Fatal(err)
	}
	for accept, want := range map[string]string{"gzip, zstd": "gzip", "zstd": "", "": ""} {
		res := get(h, "/main.wasm", "Accept-Encoding", accept)
		etag := res.Header.Get("ETag")
		if res.Header.Get("Content-Encoding") != want || want != "" && !strings.HasPrefix(etag, `"gz-`) {
			t.Errorf("stale variants, Accept-Encoding %q: Content-Encoding %q, ETag %s, want %q gzipped as served", accept, res.Header.Get("Content-Encoding"), etag, want)
		}
	}
}

// TestPrecompress checks the variants of a real program: each decodes to
// it, zstd within the window browsers decode, both smaller than it; files
// other than programs get none.
func TestPrecompress(t *testing.T) {
	dir, _ := site(t)
	prog := filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js") // stands in for a program: real, compressible text
	b, err := os.ReadFile(prog)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Repeat(b, 30)
	if err := os.WriteFile(filepath.Join(dir, "worker.wasm"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	if err := precompress(dir, &log); err != nil {
		t.Fatal(err)
	}
	zst, err := os.ReadFile(filepath.Join(dir, "worker.wasm.zst"))
	if err != nil {
		t.Fatal(err)
	}
	zr, _ := zstd.NewReader(nil, zstd.WithDecoderMaxWindow(zstdWindow))
	defer zr.Close()
	if got, err := zr.DecodeAll(zst, nil); err != nil || !bytes.Equal(got, b) {
		t.Errorf("worker.wasm.zst: decoded %d bytes (%v), want worker.wasm's %d", len(got), err, len(b))
	}
	gz, err := os.ReadFile(filepath.Join(dir, "worker.wasm.gz"))
	if err != nil {
		t.Fatal(err)
	}
	gr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(gr); err != nil || !bytes.Equal(got, b) {
		t.Errorf("worker.wasm.gz: decoded %d bytes (%v), want worker.wasm's %d", len(got), err, len(b))
	}
	if len(zst) >= len(b)/10 || len(gz) >= len(b)/4 {
		t.Errorf("variants of %d bytes of repeated text: zstd %d, gzip %d bytes", len(b), len(zst), len(gz))
	}
	if !strings.Contains(log.String(), fmt.Sprintf("worker.wasm %d bytes, zstd %d, gzip %d", len(b), len(zst), len(gz))) {
		t.Errorf("log %q does not give worker.wasm's sizes", log.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "go-regular.ttf.zst")); err != nil {
		t.Errorf("no variant of the typeface: %v", err)
	}
	for _, name := range []string{"wasm_exec.js.zst", "index.html.gz", "models/mlp-e20.zst.zst"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("precompress wrote %s: only programs and the typeface have variants", name)
		}
	}
	if err := precompress(filepath.Join(dir, "missing["), io.Discard); err == nil {
		t.Error("precompress of a bad pattern: no error")
	}
}
