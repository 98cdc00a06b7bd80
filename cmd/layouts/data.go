package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"annvis/core/params"
	"annvis/core/pipeline"
	"annvis/core/userdata"
)

// publication is what layouts -data publishes, and where.
type publication struct {
	data, out, site, name string
	perplexity            float64
	seed                  int64
}

// dataName is the form params accepts for data=NAME.
var dataName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// publish computes the data set's layouts and writes the page that shows them.
func (pub publication) publish() error {
	if pub.out == "" {
		return fmt.Errorf("-data needs -out DIR, the directory to write the page into")
	}
	if pub.name == "" {
		pub.name = strings.TrimSuffix(filepath.Base(pub.data), ".npz")
	}
	if !dataName.MatchString(pub.name) {
		return fmt.Errorf("-name %q: must be 1 to 64 letters, digits, - or _ (it goes in the page's address)", pub.name)
	}
	for _, f := range []string{"index.html", "main.wasm", "worker.wasm", "wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(pub.site, f)); err != nil {
			return fmt.Errorf("-site %s has no %s: build the page first (make web)", pub.site, f)
		}
	}
	set, err := userdata.ReadPath(pub.data, userdata.Native)
	if err != nil {
		return fmt.Errorf("-data %s: %v", pub.data, err)
	}
	p := params.Default()
	p.View, p.Perplexity, p.Seed = set.Kind, pub.perplexity, pub.seed
	start := time.Now()
	pl, err := runData(p, set)
	if err != nil {
		return err
	}
	l, err := pl.Published()
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := userdata.WritePublished(&b, set, l); err != nil {
		return err
	}
	if err := os.CopyFS(pub.out, os.DirFS(pub.site)); err != nil {
		return fmt.Errorf("copying the page: %v", err)
	}
	file := filepath.Join(pub.out, "data", pub.name+".npz")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		return err
	}
	log.Printf("%s: %d stages × %d points, %d bytes, %.1f s; serve %s and open ?data=%s&view=%s",
		file, len(set.Stages), set.N(), b.Len(), time.Since(start).Seconds(), pub.out, pub.name, set.Kind)
	return nil
}

// runData computes the view p of set natively, showing progress.
func runData(p params.Params, set *userdata.Set) (*pipeline.Pipeline, error) {
	pl := pipeline.NewData(p, set)
	last := ""
	for !pl.Status().Done {
		if err := pl.Step(time.Second); err != nil {
			return nil, err
		}
		if st := pl.Status(); st.Phase != last {
			fmt.Fprintf(os.Stderr, "\rdata %s: %-40s %3.0f%%", p.View, st.Phase, 100*st.Progress)
			last = st.Phase
		}
	}
	fmt.Fprintln(os.Stderr)
	return pl, nil
}
