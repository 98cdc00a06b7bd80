"""scikit-learn side of bench/tsne.sh: t-SNE timing and trustworthiness.

    sk.py tsne N X.f32 OUT.f64 [SEED]   time scikit-learn's Barnes-Hut TSNE
    sk.py trust N X.f32 LAYOUT.f64...   print trustworthiness (k=10) of layouts

X.f32 holds N rows of D = 784 float32 features, or of D given by the
environment variable SK_D.
"""
import os
import sys
import time

import numpy as np


def load_x(path, n):
    d = int(os.environ.get("SK_D", "784"))
    return np.fromfile(path, dtype="<f4", count=n * d).reshape(n, d)


def main():
    cmd, n, xpath = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    x = load_x(xpath, n)
    if cmd == "tsne":
        from sklearn.manifold import TSNE
        start = time.time()
        seed = int(sys.argv[5]) if len(sys.argv) > 5 else 0
        y = TSNE(perplexity=30, init="pca", random_state=seed, method="barnes_hut",
                 learning_rate="auto", n_jobs=2).fit_transform(x)
        print("n=%d seconds=%.3f" % (n, time.time() - start))
        y.astype("<f8").tofile(sys.argv[4])
    elif cmd == "trust":
        from sklearn.manifold import trustworthiness
        for p in sys.argv[4:]:
            y = np.fromfile(p, dtype="<f8").reshape(n, 2)
            print("%s trust=%.4f" % (p, trustworthiness(x, y, n_neighbors=10)))
    else:
        sys.exit("sk.py: unknown command " + cmd)


if __name__ == "__main__":
    main()
