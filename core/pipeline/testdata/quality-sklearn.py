#!/usr/bin/python3
"""Records scikit-learn's quality figures for the shipped layouts, the
reference of TestShippedQualityFollowsSklearn (core/pipeline/quality_test.go).

    core/pipeline/testdata/quality-sklearn.py > core/pipeline/testdata/quality-sklearn.json

Needs Debian's python3-sklearn and Go. For each layers-view layouts file in
models/ (layouts-mlp.zst, layouts-cnn.zst), stageacts (go run) writes the
activations of each stage (the final checkpoint's hidden layer over the
layouts' digits); this script projects each stage on its own with scikit-learn's TSNE (Barnes-Hut, perplexity 30, PCA init,
learning rate auto, features standardised as the pipeline does, seed 0)
and records, per stage, the neighbourhood hit and trustworthiness (k = 10)
of that layout. (One seed: 22 stages of 2000 digits take long enough on a
shared machine.)
The checkpoints' and test set's SHA-256 say which shipped files the figures
belong to; re-run the script whenever models/ changes.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import sklearn
from sklearn.manifold import TSNE, trustworthiness
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

K = 10
SEEDS = [0]


def neighbourhood_hit(y, labels):
    """Mean fraction of each point's K nearest layout neighbours sharing its label."""
    idx = NearestNeighbors(n_neighbors=K + 1).fit(y).kneighbors(y, return_distance=False)[:, 1:]
    return float((labels[idx] == labels[:, None]).mean())


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["go", "run", "./core/pipeline/testdata/stageacts", tmp], cwd=root, check=True)
        with open(os.path.join(tmp, "index.json")) as f:
            views = json.load(f)
        for v in views:
            if v["layouts"].endswith("-epochs.zst"):
                # A joint t-SNE of every epoch stacked is not comparable stage by
                # stage with one t-SNE per epoch (an epoch's slice of the joint
                # layout keeps less of its own neighbourhoods: cnn epoch 0 TW
                # 0.861 shipped, 0.948 alone), and 16 stages take too long here.
                continue
            labels = np.fromfile(os.path.join(tmp, v["labels"]), dtype=np.uint8)
            stages = []
            for s in v["stages"]:
                x = np.fromfile(os.path.join(tmp, s["file"]), dtype="<f4").reshape(v["n"], s["dims"]).astype(np.float64)
                z = StandardScaler().fit_transform(x)
                nh, tw = [], []
                for seed in SEEDS:
                    y = TSNE(perplexity=30, init="pca", learning_rate="auto", random_state=seed).fit_transform(z)
                    nh.append(neighbourhood_hit(y, labels))
                    tw.append(float(trustworthiness(x, y, n_neighbors=K)))
                print(v["layouts"], s["name"], "NH", np.round(nh, 4), "TW", np.round(tw, 4), file=sys.stderr)
                stages.append({"name": s["name"], "checkpoint": s["checkpoint"],
                               "nh": float(np.mean(nh)), "tw": float(np.mean(tw))})
            out.append({"layouts": v["layouts"], "test_set": v["test_set"], "n": v["n"], "stages": stages})
    json.dump({"sklearn": sklearn.__version__, "k": K, "seeds": SEEDS, "views": out}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
