// Package models embeds the assets annvis ships: the MNIST test set, the
// first 20,000 training digits (for the train view), the
// checkpoints of the MLP and the CNN, the precomputed layouts and the
// manifest listing them. Their formats are documented in README.md.
package models

import "embed"

// FS holds manifest.json and every .zst asset of this directory.
//
//go:embed manifest.json *.zst
var FS embed.FS
