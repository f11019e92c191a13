"""Hidden checks for project2_visualization's attention heatmaps (plot_attention_heads).

The figure is read only as data, through graders.figures.summarize: per Axes its images,
their colour limits and tick labels and its title, and the figure's colorbars.

Oracle: the weight matrices themselves (drawn here from seeded softmax rows, never
symmetric, so a transposed image is told apart). Tolerances: image data rtol 1e-12 /
atol 1e-12 (the same numbers, drawn unchanged); colour limits exactly 0 and 1 within
1e-12.
"""
from __future__ import annotations

import numpy as np
from scipy.special import softmax

from .checks import CheckFailed, assert_close, assert_inputs_unchanged, assert_raises, call, fail
from .figures import close, summarize

TOL = dict(rtol=1e-12, atol=1e-12)
WORDS = ["the", "cat", "sat", "on", "a", "warm", "mat", "today"]


def _weights(rng: np.random.Generator, n_heads: int, n: int, temperature: float = 1.0) -> np.ndarray:
    """Attention-like weights: softmax rows of random scores (rows sum to 1, not symmetric)."""
    return softmax(rng.normal(size=(n_heads, n, n)) * 2.0 / temperature, axis=-1)


def _axes(plot_attention_heads, weights, tokens, label: str) -> tuple[list[dict], int]:
    fig = call(plot_attention_heads, weights, tokens, label=label)
    try:
        summary = summarize(fig, label)
    finally:
        close(fig)
    return summary["axes"], summary["n_colorbars"]


def _image(ax: dict, h: int, label: str) -> np.ndarray:
    drawn = ax["images"] + ax["meshes"]
    if len(drawn) != 1:
        raise CheckFailed(f"{label}: the Axes of head {h} holds {len(drawn)} images\n"
                          "  expected: exactly one\n  hint: one ax.imshow(weights[h], ...) per head")
    return drawn[0]


def _heads(plot_attention_heads, weights, tokens, label: str) -> tuple[list[dict], int]:
    """The Axes of the figure, one per head (colorbars not counted)."""
    axes, n_colorbars = _axes(plot_attention_heads, weights, tokens, label)
    n_heads = 1 if np.ndim(weights) == 2 else len(weights)
    if len(axes) != n_heads:
        raise CheckFailed(f"{label}: the figure has {len(axes)} Axes (colorbars not counted)\n"
                          f"  expected: {n_heads}, one per head\n"
                          "  hint: fig, axes = plt.subplots(1, n_heads, squeeze=False) and draw head h on axes[0][h]")
    return axes, n_colorbars


def check_attention_heads_data(plot_attention_heads):
    """Each head's Axes shows exactly that head's weights (queries as rows), in head order; 1 to 6 heads."""
    rng = np.random.default_rng(5202)
    cases = [(_weights(rng, 3, 4), WORDS[:4]), (_weights(rng, 2, 6), WORDS[2:8]),
             (_weights(rng, 1, 5), WORDS[:5]), (_weights(rng, 1, 3)[0], WORDS[5:8]),
             (_weights(rng, 6, 3), WORDS[:3])]  # six heads side by side
    for weights, tokens in cases:
        label = f"plot_attention_heads(weights of shape {weights.shape}, {tokens})"
        axes, _ = _heads(plot_attention_heads, weights, tokens, label)
        heads = weights.reshape(-1, len(tokens), len(tokens))
        for h, ax in enumerate(axes):
            image = _image(ax, h, label)
            if image.shape == heads[h].shape and np.allclose(image, heads[h], **TOL):
                continue
            if image.shape == heads[h].shape and np.allclose(image, heads[h].T, **TOL):
                hint = ("the image is the transpose: draw imshow(weights[h]) so row i (query i) is on the "
                        "y axis and column j (key j) on the x axis")
            elif any(image.shape == other.shape and np.allclose(image, other, **TOL) for other in heads):
                hint = "the image shows another head's weights: Axes h must show weights[h], in head order"
            else:
                hint = "draw the weights unchanged: ax.imshow(weights[h]) (no sorting, scaling or transposing)"
            assert_close(image, heads[h], label=f"{label}: image of head {h}", hint=hint, **TOL)


def check_attention_heads_contract(plot_attention_heads):
    """Tick labels, titles, colour limits 0 and 1, one colorbar, ValueError, weights unchanged."""
    rng = np.random.default_rng(5203)
    weights, tokens = _weights(rng, 2, 5, temperature=8.0), WORDS[1:6]   # near uniform: max well below 1
    label = f"plot_attention_heads(weights of shape {weights.shape} with largest weight {weights.max():.2f}, {tokens})"
    axes, n_colorbars = _heads(plot_attention_heads, weights, tokens, label)
    for h, ax in enumerate(axes):
        for axis in ("x", "y"):
            if ax[f"{axis}ticklabels"] != tokens:
                fail(label, tokens, ax[f"{axis}ticklabels"],
                     f"ax.set_{axis}ticks(range(n), labels=tokens) on every head's Axes",
                     problem=f"the {axis} tick labels of head {h} are not the tokens")
        if f"head {h}" not in ax["title"]:
            fail(label, f"a title containing 'head {h}'", ax["title"], "ax.set_title(f'head {h}')",
                 problem=f"the title of Axes {h} does not name its head")
        _image(ax, h, label)
        limits = ax["image_limits"][0] if ax["image_limits"] else [np.nan, np.nan]
        if not np.allclose(limits, [0.0, 1.0], **TOL):
            fail(label, [0.0, 1.0], limits,
                 "fix the colour scale: ax.imshow(weights[h], vmin=0, vmax=1); by default each image stretches "
                 "its own smallest and largest weight over the whole colormap, so a near-uniform head looks as "
                 "contrasted as a sharp one",
                 problem=f"the colour limits of head {h}'s image")
    if n_colorbars != 1:
        fail(label, "1 colorbar", f"{n_colorbars} colorbars",
             "one shared colorbar: fig.colorbar(image, ax=list_of_all_axes)", problem="the number of colorbars")
    for bad_weights, bad_tokens in ((weights, tokens[:4]), (weights[:, :, :4], tokens), (weights[0, 0], tokens)):
        assert_raises(ValueError, plot_attention_heads, bad_weights, bad_tokens,
                      label=f"plot_attention_heads(weights of shape {bad_weights.shape}, {len(bad_tokens)} tokens)",
                      hint="raise ValueError unless the last two dimensions of weights are (len(tokens), len(tokens))")
    fig = assert_inputs_unchanged(plot_attention_heads, weights, list(tokens),
                                  label="plot_attention_heads(weights, tokens)")
    close(fig)
