"""Variants of plot_attention_heads (project2_visualization); the edits change one spot of the reference answer."""
import matplotlib.pyplot as plt
import numpy as np

from harness.mutants import correct, wrong, wrong_edit


wrong_edit("plot_attention_heads", "draws each head transposed (keys as rows)", "ax.imshow(w[h],", "ax.imshow(w[h].T,")
wrong_edit("plot_attention_heads", "lets every image scale its own colours", ', vmin=0.0, vmax=1.0)', ')')


@wrong("plot_attention_heads", "draws every head in one Axes, side by side in one image")
def plot_attention_heads(weights, tokens):
    w = np.asarray(weights, dtype=float)
    if w.ndim == 2:
        w = w[None]
    n = len(tokens)
    if w.ndim != 3 or w.shape[1:] != (n, n):
        raise ValueError("weights do not match the tokens")
    fig, ax = plt.subplots()
    image = ax.imshow(np.concatenate(list(w), axis=1), vmin=0, vmax=1)
    ax.set_xticks(range(n * len(w)), labels=list(tokens) * len(w))
    ax.set_yticks(range(n), labels=tokens)
    ax.set_title(" | ".join(f"head {h}" for h in range(len(w))))
    fig.colorbar(image, ax=ax)
    return fig


wrong_edit("plot_attention_heads", "numbers the heads from 1", 'ax.set_title(f"head {h}")',
           'ax.set_title(f"head {h + 1}")')
wrong_edit("plot_attention_heads", "draws whatever it is given without checking the tokens",
           '    if w.ndim != 3 or w.shape[1:] != (n, n):\n'
           '        raise ValueError(f"weights of shape {np.shape(weights)} do not match {n} tokens")\n', "")


@correct("plot_attention_heads", "a Normalize(0, 1) shared by add_subplot Axes")
def plot_attention_heads(weights, tokens):
    from matplotlib.colors import Normalize
    heads = np.array(weights, dtype=float).reshape(-1, *np.shape(weights)[-2:])
    if np.ndim(weights) not in (2, 3) or heads.shape[1:] != (len(tokens),) * 2:
        raise ValueError(f"weights of shape {np.shape(weights)} for {len(tokens)} tokens")
    norm = Normalize(vmin=0.0, vmax=1.0)
    fig = plt.figure(figsize=(3 * len(heads), 3))
    axes = []
    for h in range(len(heads)):
        ax = fig.add_subplot(1, len(heads), h + 1)
        image = ax.imshow(heads[h], norm=norm, cmap="magma")
        ax.set_xticks(np.arange(len(tokens)))
        ax.set_xticklabels(tokens)
        ax.set_yticks(np.arange(len(tokens)))
        ax.set_yticklabels(tokens)
        ax.set_title(f"Attention of head {h}")
        axes.append(ax)
    fig.colorbar(image, ax=axes)
    return fig
