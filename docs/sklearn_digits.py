"""Writes scikit-learn's 8x8 digits as seen by an MLPClassifier, in annvis's
NumPy format (docs/data-format.md): digits-epochs.npz holds the last hidden
layer after each epoch of partial_fit (kind "epochs", shared neurons), and
digits-layers.npz the three hidden layers of the trained network.

    python3 docs/sklearn_digits.py OUTDIR
    annvis -data OUTDIR/digits-epochs.npz -view epochs
"""
import json, os, sys
import numpy as np
from sklearn.datasets import load_digits
from sklearn.neural_network import MLPClassifier

out = sys.argv[1] if len(sys.argv) > 1 else "."
x, y = load_digits(return_X_y=True)
x = x / 16.0
net = MLPClassifier(hidden_layer_sizes=(64, 32, 16), random_state=0)


def hidden(net, x):
    """The activations of every hidden layer (ReLU), as MLPClassifier computes them."""
    acts, a = [], x
    for w, b in zip(net.coefs_[:-1], net.intercepts_[:-1]):
        a = np.maximum(a @ w + b, 0)
        acts.append(a.astype(np.float32))
    return acts


rng = np.random.default_rng(0)
epochs = {}
for epoch in range(1, 31):
    for batch in np.array_split(rng.permutation(len(x)), 10):
        net.partial_fit(x[batch], y[batch], classes=np.arange(10))
    if epoch in (1, 2, 3, 5, 8, 12, 20, 30):
        epochs["epoch %d" % epoch] = hidden(net, x)[-1]
common = dict(labels=y, images=(x.reshape(-1, 8, 8)).astype(np.float32), predictions=net.predict(x))
np.savez_compressed(os.path.join(out, "digits-epochs.npz"), **common, **epochs,
                    meta=json.dumps({"title": "scikit-learn digits, MLP 64-32-16, last hidden layer",
                                     "kind": "epochs", "stages": list(epochs), "shared_neurons": True}))
layers = {"layer %d" % (k + 1): a for k, a in enumerate(hidden(net, x))}
np.savez_compressed(os.path.join(out, "digits-layers.npz"), **common, **layers,
                    meta=json.dumps({"title": "scikit-learn digits, MLP 64-32-16", "kind": "layers"}))
print("accuracy on its training digits: %.3f" % net.score(x, y))
