"""annvis export from Keras (docs/data-format.md): one Model whose outputs are
the chosen layers gives their activations on x in one predict. Untested here:
Debian ships no Keras (see the README)."""
import json
import numpy as np
from tensorflow import keras


def export(model, layer_names, x, y, path, images=None):
    """Writes path (.npz): the layers `layer_names` of `model` on inputs x with labels y."""
    probe = keras.Model(inputs=model.inputs,
                        outputs=[model.get_layer(n).output for n in layer_names] + [model.output])
    *acts, out = probe.predict(x, verbose=0)
    stages = {n: a.reshape(len(a), -1).astype(np.float32) for n, a in zip(layer_names, acts)}
    extra = {} if images is None else {"images": images}
    np.savez_compressed(path, labels=np.asarray(y).astype(np.int64), predictions=out.argmax(1), **extra,
                        meta=json.dumps({"kind": "layers", "stages": list(layer_names)}), **stages)

# Per epoch: keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: export(
#     model, names, x_test, y_test, "epoch-%02d.npz" % e)), then join the epochs as in
# pytorch_export.join_epochs.
