#!/usr/bin/python3
"""Records scikit-learn's t-SNE optimisation path, the reference of
TestOptimizerMatchesSklearn (core/tsne/reference_test.go).

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 core/tsne/testdata/sklearn-path.py > core/tsne/testdata/sklearn-path.json

Needs Debian's python3-sklearn (1.2.1). The script runs sklearn's own
TSNE.fit (method "exact", learning rate "auto", early exaggeration 12 for
250 iterations, momentum 0.5 then 0.8, gains, its stopping rule) on 48
points with a given joint probability matrix P and a given initial layout:
_joint_probabilities is replaced to return that P, and _kl_divergence is
wrapped to record, at each iteration, the layout and the optimiser state
(momentum term and gains, read from _gradient_descent's frame).

The optimisation of so few points is chaotic (a 1e-15 change of the start
grows about 2x per iteration during early exaggeration), so no other
program can follow the whole 1000 iterations. The fixture therefore holds
segments: sklearn's full state at iteration s and its layout, KL(P||Q) (of
the real, unexaggerated P) and spread after each later checkpoint e, with
e - s <= 11 iterations. Checkpoints are 10, 50, 100, 250 (end of
exaggeration), 251, 300, 500 and 1000, and 705 of a second run whose gains
were all set to 0.0105 at iteration 700 (gains reach their floor 0.01
nowhere else on this path).

It also records sklearn's automatic learning rate for several n and
exaggerations; its stopping rule: the norm of the gradient (times the
gains) it compares with min_grad_norm at the checks 300 and 500, and where
_gradient_descent stops on scripted KL sequences (n_iter_without_progress);
and that the real run went all 1000 iterations.
"""
import json
import sys

import numpy as np
import sklearn
import sklearn.manifold._t_sne as tsne_mod
from scipy.spatial.distance import pdist, squareform
from sklearn.manifold import TSNE

N = 48
PERPLEXITY = 8.0
SEGMENTS = [(0, [10]), (40, [50]), (90, [100]), (240, [250, 251]), (290, [300]), (490, [500]), (990, [1000])]
FLOOR = (700, [705])  # a segment whose gains start at 0.0105 (see record_path)


def data(rng):
    """Three overlapping Gaussian clusters in 6 dimensions."""
    centres = np.array([0.0, 2.5, 5.0])
    return np.vstack([rng.randn(N // 3, 6) + c for c in centres])


def joint_p(x):
    """sklearn's exact P, with entries below 1e-12 dropped and renormalised
    (both programs then use exactly this P)."""
    d = squareform(pdist(x, "sqeuclidean")).astype(np.float32)
    p = tsne_mod._joint_probabilities(d, PERPLEXITY, 0)
    p[p < 1e-12] = 0
    return p / (2 * p.sum())


def spread(y):
    """Root mean square distance of the points from their centroid."""
    y = y.reshape(-1, 2)
    return float(np.sqrt(((y - y.mean(0)) ** 2).sum(1).mean()))


def record_path(x, p, init, floor_at=None):
    """Runs sklearn's TSNE.fit and returns its state at every iteration.
    At iteration floor_at, if given, every gain is first set to 0.0105, so
    that the next iterations clip gains at sklearn's minimum 0.01."""
    kl_div = tsne_mod._kl_divergence
    states = []

    def objective(params, *args, **kwargs):
        frame = sys._getframe(1)  # _gradient_descent
        if len(states) == floor_at:
            frame.f_locals["gains"][:] = 0.0105  # in place: sklearn's own array
        grad = frame.f_locals.get("grad")  # the last iteration's, times the gains
        states.append({
            "y": params.copy(),
            "update": frame.f_locals["update"].copy(),
            "gains": frame.f_locals["gains"].copy(),
            "grad_norm": None if grad is None else float(np.linalg.norm(grad)),
        })
        return kl_div(params, *args, **kwargs)

    tsne_mod._kl_divergence = objective
    joint = tsne_mod._joint_probabilities
    tsne_mod._joint_probabilities = lambda distances, perplexity, verbose: p.copy()
    try:
        t = TSNE(perplexity=PERPLEXITY, method="exact", init=init.copy(),
                 learning_rate="auto", n_iter=1000, early_exaggeration=12.0)
        final = t.fit_transform(x)
    finally:
        tsne_mod._kl_divergence = kl_div
        tsne_mod._joint_probabilities = joint
    states.append({"y": final.ravel().copy()})
    return t, states


def kl(y, p):
    """KL(P||Q) of layout y, by sklearn's own objective."""
    return float(tsne_mod._kl_divergence(y, p, 1, N, 2)[0])


def stops():
    """Where sklearn's _gradient_descent stops on scripted KL sequences: the
    objective returns, at the checks of the second phase (every 50
    iterations from 300), the given KL values, and a gradient too large for
    min_grad_norm. Returns the cases and the number of iterations run."""
    cases = [
        ("falls", [1.0 - 0.01 * k for k in range(15)], 300),
        ("best at 350", [1.0, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0, 1.01, 1.02, 1.03, 1.04, 1.05, 1.06, 1.07], 300),
        ("best at 350, patience 100", [1.0, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0, 1.01, 1.02, 1.03, 1.04, 1.05, 1.06, 1.07], 100),
        ("flat from 350, patience 99", [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9], 99),
        ("best at 600, patience 200", [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.89, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95], 200),
        ("never progresses, patience 1", [1.0] * 15, 1),
    ]
    out = []
    for name, kls, patience in cases:
        def objective(params, *args, compute_error=True, **kwargs):
            i = sys._getframe(1).f_locals["i"]
            k = (i + 1 - 300) // 50
            return (kls[k] if (i + 1) % 50 == 0 and k >= 0 else 5.0), np.full_like(params, 0.1)
        _, _, last = tsne_mod._gradient_descent(objective, np.zeros(4), it=250, n_iter=1000, n_iter_check=50,
                                                 n_iter_without_progress=patience, momentum=0.8,
                                                 learning_rate=50.0, min_grad_norm=1e-7)
        out.append({"name": name, "kl": kls, "no_progress": patience, "iterations_run": int(last) + 1})
    return out


def learning_rates():
    """sklearn's learning_rate_ for 'auto', read before any other work."""
    class Stop(Exception):
        pass

    def stop(*args, **kwargs):
        raise Stop

    out = []
    distances = tsne_mod.pairwise_distances
    tsne_mod.pairwise_distances = stop
    try:
        for n, exag in [(48, 12.0), (2399, 12.0), (2400, 12.0), (2401, 12.0), (5000, 12.0), (10000, 12.0), (1000, 4.0)]:
            t = TSNE(method="exact", learning_rate="auto", early_exaggeration=exag, perplexity=2.0, init="random")
            try:
                t.fit(np.zeros((n, 2)))
            except Stop:
                pass
            out.append({"n": n, "exaggeration": exag, "rate": float(t.learning_rate_)})
    finally:
        tsne_mod.pairwise_distances = distances
    return out


def main():
    rng = np.random.RandomState(14)
    x = data(rng)
    p = joint_p(x)
    init = rng.randn(N, 2) * 1e-4
    t, states = record_path(x, p, init)
    pm = squareform(p)
    i, j = np.nonzero(np.triu(pm))
    _, floored = record_path(x, p, init, floor_at=FLOOR[0])
    segments = []
    for start, ends, path in [(s, e, states) for s, e in SEGMENTS] + [FLOOR + (floored,)]:
        s = path[start]
        segments.append({
            "start": start,
            "y": s["y"].tolist(),
            "update": s["update"].tolist(),
            "gains": s["gains"].tolist(),
            "ends": [{"iter": e, "kl": kl(path[e]["y"], p), "spread": spread(path[e]["y"]),
                      "y": path[e]["y"].tolist(), "grad_norm": path[e].get("grad_norm") if e % 50 == 0 and e > 250 else None}
                     for e in ends],
        })
    json.dump({
        "sklearn": sklearn.__version__,
        "n": N,
        "exaggeration": 12.0,
        "exaggeration_iters": 250,
        "learning_rate": float(t.learning_rate_),
        "p": [[int(a), int(b), float(pm[a, b])] for a, b in zip(i, j)],
        "segments": segments,
        "iterations_run": int(t.n_iter_) + 1,
        "kl_final": float(t.kl_divergence_),
        "learning_rates": learning_rates(),
        "stops": stops(),
        "defaults": {k: getattr(TSNE(), k) for k in
                     ["perplexity", "early_exaggeration", "n_iter", "n_iter_without_progress", "min_grad_norm", "angle"]},
    }, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
