// Package tsne projects high-dimensional points to 2-D with t-SNE
// (van der Maaten and Hinton 2008), following scikit-learn's TSNE: optional
// per-feature standardisation, PCA to at most 50 dimensions, sparse
// affinities from the 3·perplexity nearest neighbours calibrated by
// bisection (for 8192 points and more, neighbours found approximately, by
// a random projection forest refined by neighbour-of-neighbour rounds, with
// a measured recall ≥ 0.99), exact, Barnes-Hut or interpolated (FIt-SNE)
// gradients, early exaggeration 12 for 250
// iterations, momentum 0.5 then 0.8, per-parameter gains, learning rate
// "auto" and PCA initialisation. It stops as scikit-learn does: when the KL
// divergence, checked every 50 iterations, has made no progress for 300
// iterations (Config.NoProgress) or the gradient vanishes.
//
// A run advances in small steps (TSNE.Step, a few milliseconds each) so a
// single-threaded browser can show it converging; stepping gives bit for
// bit the result of Run, and the same input and seed give the same output.
// Everything is plain Go with IEEE arithmetic and the package's own exp
// and log (the math package uses assembly on amd64), so linux/amd64 and
// js/wasm give bit-identical layouts; products that are added are written
// float64(x*y) so that no build fuses them into multiply-adds (checked:
// GOAMD64=v3 gives the same layouts as v1 and wasm). Natively, rows and points are spread
// over GOMAXPROCS goroutines without changing any result.
//
// Sequence projects the same points seen at several stages (layers,
// epochs) coherently: chained, joint or dynamic t-SNE (Rauber et al. 2016).
// The package also measures layouts: NeighborhoodHit, Trustworthiness,
// Continuity, KNNAccuracy and Coherence.
//
// Data are row-major []float32 n×d matrices; layouts are []float64 of
// length 2n, x0, y0, x1, y1, ...
package tsne
