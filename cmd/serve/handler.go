package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
)

// contentTypes are the MIME types of the files a site holds, independent of
// the system's mime tables. Types with compress set are sent gzipped.
var contentTypes = map[string]struct {
	mime     string
	compress bool
}{
	".html": {"text/html; charset=utf-8", true},
	".css":  {"text/css; charset=utf-8", true},
	".js":   {"text/javascript; charset=utf-8", true},
	".json": {"application/json", true},
	".wasm": {"application/wasm", true},
	".md":   {"text/plain; charset=utf-8", true},
	".svg":  {"image/svg+xml", true},
	".ttf":  {"font/ttf", true},
	".zst":  {"application/octet-stream", false},
	".png":  {"image/png", false},
	".gif":  {"image/gif", false},
	".ico":  {"image/x-icon", false},
}

var errIsDir = errors.New("serve: is a directory")

// Handler serves a directory: files with their MIME type; compressible ones
// compressed: their precompressed variant (precompress: NAME.zst, NAME.gz)
// in the first of encodings the request accepts, if it is at least as new
// as the file, else gzipped (compressed once per file version and kept in
// memory); and Cache-Control: no-cache so browsers always revalidate a
// rebuilt site.
type Handler struct {
	root  http.Dir
	files http.Handler

	mu    sync.Mutex
	gzips map[string]gzipped
}

// gzipped is one compressed file version.
type gzipped struct {
	modTime time.Time
	size    int64
	body    []byte
	etag    string
}

// NewHandler returns a Handler serving dir.
func NewHandler(dir string) *Handler {
	return &Handler{root: http.Dir(dir), files: http.FileServer(http.Dir(dir)), gzips: map[string]gzipped{}}
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	name := path.Clean("/" + r.URL.Path)
	if strings.HasSuffix(r.URL.Path, "/") {
		name = path.Join(name, "index.html")
	}
	ct, known := contentTypes[path.Ext(name)]
	if known {
		w.Header().Set("Content-Type", ct.mime)
	}
	if !known || !ct.compress || strings.HasSuffix(r.URL.Path, "/index.html") {
		h.files.ServeHTTP(w, r)
		return
	}
	w.Header().Add("Vary", "Accept-Encoding")
	if h.serveVariant(w, r, name) {
		return
	}
	if !accepts(r, "gzip") {
		h.files.ServeHTTP(w, r)
		return
	}
	gz, err := h.gzip(name)
	if err != nil {
		h.files.ServeHTTP(w, r) // the file server says what is wrong (404, directory redirect, ...)
		return
	}
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("X-Decoded-Length", strconv.FormatInt(gz.size, 10)) // for the page's download progress
	w.Header().Set("ETag", gz.etag)
	http.ServeContent(w, r, name, gz.modTime, bytes.NewReader(gz.body))
}

// Prewarm compresses every compressible file under dir ahead of the first
// request, so that the first page load does not wait for it.
func (h *Handler) Prewarm() error {
	return fs.WalkDir(os.DirFS(string(h.root)), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !contentTypes[path.Ext(p)].compress {
			return err
		}
		_, err = h.gzip("/" + p)
		return err
	})
}

// gzip returns the compressed current version of the file name.
func (h *Handler) gzip(name string) (gzipped, error) {
	f, err := h.root.Open(name)
	if err != nil {
		return gzipped{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return gzipped{}, err
	}
	if st.IsDir() {
		return gzipped{}, errIsDir
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if gz, ok := h.gzips[name]; ok && gz.modTime.Equal(st.ModTime()) && gz.size == st.Size() {
		return gz, nil
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf) // the default level: within 2 % of the best size, 5x faster
	sum := sha256.New()
	if _, err := io.Copy(io.MultiWriter(zw, sum), f); err != nil {
		return gzipped{}, err
	}
	if err := zw.Close(); err != nil {
		return gzipped{}, err
	}
	gz := gzipped{
		modTime: st.ModTime(),
		size:    st.Size(),
		body:    buf.Bytes(),
		etag:    `"gz-` + hex.EncodeToString(sum.Sum(nil)[:12]) + `"`,
	}
	h.gzips[name] = gz
	return gz, nil
}

// serveVariant sends the precompressed variant of the file name in the
// first of encodings the request accepts, and reports whether there was
// one: a regular file at least as new as the file itself (an older one was
// left by an earlier build).
func (h *Handler) serveVariant(w http.ResponseWriter, r *http.Request, name string) bool {
	plain, err := h.stat(name)
	if err != nil {
		return false
	}
	for _, enc := range encodings {
		if !accepts(r, enc.name) {
			continue
		}
		f, st, ok := h.variant(name+enc.suffix, plain)
		if !ok {
			continue
		}
		defer f.Close()
		w.Header().Set("Content-Encoding", enc.name)
		w.Header().Set("X-Decoded-Length", strconv.FormatInt(plain.Size(), 10)) // for the page's download progress
		w.Header().Set("ETag", fmt.Sprintf(`"%s-%x-%x"`, enc.name, st.ModTime().UnixNano(), st.Size()))
		http.ServeContent(w, r, name, st.ModTime(), f)
		return true
	}
	return false
}

// stat returns the file name's info if it is a regular file.
func (h *Handler) stat(name string) (fs.FileInfo, error) {
	f, err := h.root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = errIsDir
	}
	return st, err
}

// variant opens the precompressed file name of the file plain, if it is a
// regular file at least as new as plain.
func (h *Handler) variant(name string, plain fs.FileInfo) (http.File, fs.FileInfo, bool) {
	f, err := h.root.Open(name)
	if err != nil {
		return nil, nil, false
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.ModTime().Before(plain.ModTime()) {
		f.Close()
		return nil, nil, false
	}
	return f, st, true
}

// accepts reports whether the request's Accept-Encoding allows coding:
// named, or else matched by *, with a q-value above 0 (RFC 9110, 12.5.3).
func accepts(r *http.Request, coding string) bool {
	named, star := -1.0, -1.0
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		c, params, _ := strings.Cut(part, ";")
		switch c = strings.ToLower(strings.TrimSpace(c)); c {
		case coding:
			named = qValue(params)
		case "*":
			star = qValue(params)
		}
	}
	if named >= 0 {
		return named > 0
	}
	return star > 0
}

// qValue returns the q-value of a coding's parameters ("q=0.5"), 1 if none.
func qValue(params string) float64 {
	k, v, ok := strings.Cut(strings.ReplaceAll(params, " ", ""), "=")
	if !ok || !strings.EqualFold(k, "q") {
		return 1
	}
	q, err := strconv.ParseFloat(v, 64)
	if err != nil || q < 0 {
		return 0
	}
	return q
}
