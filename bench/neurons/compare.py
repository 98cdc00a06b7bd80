"""Compare annvis's ExtraTrees importances with scikit-learn's.

Reads what `go run ./bench/neurons -dir DIR` wrote, fits scikit-learn's
ExtraTreesClassifier (defaults: 100 trees, gini, sqrt features, no bootstrap)
on the same data and prints Spearman rank correlations and fit times. Times
are CPU seconds on one thread on both sides (n_jobs=1, annvis Workers 1),
which a busy shared machine distorts far less than wall clock.
Exits 1 when the pixel importances correlate below 0.9 (the acceptance bar).
"""
import sys
import time

import numpy as np
from scipy.stats import spearmanr
from sklearn.ensemble import ExtraTreesClassifier


def fit(x, y, seed):
    t = time.process_time()
    f = ExtraTreesClassifier(random_state=seed, n_jobs=1).fit(x, y)
    return f.feature_importances_, time.process_time() - t


def main(d):
    labels = np.fromfile(f"{d}/labels.u8", dtype=np.uint8)
    n = len(labels)
    pixels = np.fromfile(f"{d}/pixels.u8", dtype=np.uint8).reshape(n, 784).astype(np.float32)
    go_pix = np.fromfile(f"{d}/imp-pixels.f64", dtype="<f8")
    act = np.fromfile(f"{d}/act.f32", dtype="<f4").reshape(2000, 256)
    go_map = np.fromfile(f"{d}/imp-map.f64", dtype="<f8").reshape(256, 10)
    go_t = dict(line.split() for line in open(f"{d}/times.txt"))

    sk0, t_pix = fit(pixels, labels == 0, 0)
    sk1, _ = fit(pixels, labels == 0, 1)
    rho = spearmanr(go_pix, sk0).correlation
    rho_sk = spearmanr(sk1, sk0).correlation
    used = (go_pix > 0) | (sk0 > 0)
    rho_used = spearmanr(go_pix[used], sk0[used]).correlation
    rho_used_sk = spearmanr(sk1[used], sk0[used]).correlation
    print(f"pixels, class 0 vs rest, {n} digits: Spearman(annvis, sklearn) = {rho:.4f} "
          f"over 784 pixels (sklearn seed 0 vs 1: {rho_sk:.4f}; bar 0.9)")
    print(f"  over the {used.sum()} pixels either uses: {rho_used:.4f} (sklearn vs sklearn {rho_used_sk:.4f})")
    print(f"  fit CPU time (one thread): annvis {float(go_t['pixels']):.2f} s, sklearn {t_pix:.2f} s, "
          f"sklearn/annvis = {t_pix / float(go_t['pixels']):.2f}")

    t_map, rhos, agree = 0.0, [], 0
    sk_map = np.zeros((256, 10))
    for c in range(10):
        sk_map[:, c], t = fit(act, labels[:2000] == c, c)
        t_map += t
        rhos.append(spearmanr(go_map[:, c], sk_map[:, c]).correlation)
    agree = (go_map.argmax(axis=1) == sk_map.argmax(axis=1)).mean()
    print(f"discriminative map, 2000×256 ReLU activations, 10 one-vs-rest forests: "
          f"Spearman per class min {min(rhos):.3f} mean {np.mean(rhos):.3f}; "
          f"same argmax class for {100 * agree:.0f} % of neurons")
    print(f"  fit CPU time (one thread): annvis {float(go_t['map']):.2f} s, sklearn {t_map:.2f} s, "
          f"sklearn/annvis = {t_map / float(go_t['map']):.2f}")
    return 0 if rho >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
