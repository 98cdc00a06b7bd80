"""annvis export from PyTorch (docs/data-format.md): forward hooks over a data
loader, one .npz per epoch; join_epochs makes one layer's epochs one data set."""
import json
import numpy as np
import torch

@torch.no_grad()
def export_epoch(model, layers, loader, path):
    """Writes path (.npz): every layer of `layers` (name -> module) on every batch of `loader`."""
    acts = {name: [] for name in layers}
    hooks = [m.register_forward_hook(lambda m, i, o, name=name: acts[name].append(o.flatten(1).float().cpu()))
             for name, m in layers.items()]
    model.eval()
    labels, preds, images = [], [], []
    try:
        for x, y in loader:
            preds.append(model(x).argmax(1).cpu())
            labels.append(y.cpu())
            images.append(x.cpu())
    finally:
        for h in hooks:
            h.remove()
    arrays = {name: torch.cat(a).numpy() for name, a in acts.items()}
    x = torch.cat(images)
    if x.dim() == 4 and x.shape[1] in (1, 3):  # N×C×H×W -> N×H×W×C, scaled to 0…1
        x = x.permute(0, 2, 3, 1)
        x = ((x - x.min()) / (x.max() - x.min() + 1e-12)).numpy().astype(np.float32)
        arrays["images"] = x[..., 0] if x.shape[-1] == 1 else x
    np.savez_compressed(path, labels=torch.cat(labels).numpy(), predictions=torch.cat(preds).numpy(),
                        meta=json.dumps({"kind": "layers", "stages": list(layers)}), **arrays)


def join_epochs(paths, layer, out):
    """Writes out (.npz): `layer` of each epoch file in paths, as one epochs data set."""
    files = [np.load(p) for p in paths]
    stages = {"epoch %d" % k: f[layer] for k, f in enumerate(files)}
    rest = {k: files[-1][k] for k in ("labels", "predictions", "images") if k in files[-1]}
    np.savez_compressed(out, **rest, **stages, meta=json.dumps(
        {"kind": "epochs", "stages": list(stages), "shared_neurons": True}))
