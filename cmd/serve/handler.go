package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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
	".zst":  {"application/octet-stream", false},
	".png":  {"image/png", false},
	".gif":  {"image/gif", false},
	".ico":  {"image/x-icon", false},
}

var errIsDir = errors.New("serve: is a directory")

// Handler serves a directory: files with their MIME type, compressible ones
// gzipped (compressed once per file version and kept in memory), and
// Cache-Control: no-cache so browsers always revalidate a rebuilt site.
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
	if !known || !ct.compress || !acceptsGzip(r) || strings.HasSuffix(r.URL.Path, "/index.html") {
		h.files.ServeHTTP(w, r)
		return
	}
	w.Header().Add("Vary", "Accept-Encoding")
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

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(coding) == "gzip" && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
