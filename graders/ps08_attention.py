"""Hidden checks for ps08_attention. Oracles: scipy.special.softmax and np.einsum.

The oracle never reuses the notebook's approach: scores by einsum, masked scores set
to -inf, scipy.special.softmax over the key axis, output by einsum.

Tolerances: attention outputs and weights are compared with rtol 1e-9 / atol 1e-12
(a correct float64 implementation agrees to ~1e-15; a missing 1/sqrt(d_k), a wrong
axis or a global normalisation is off by more than 1e-2). Masked weights must be
exactly 0.0 (the contract says so), rows must sum to 1 within 1e-9 (a stable softmax
written as exp(s - logsumexp(s)) rounds logsumexp at |s| ~ 2e5 to ~4e-11; a weight
multiplied by the mask without renormalising misses by 1e-2 or more). Heads, masks
and split/merge are exact (compared with rtol 0 / atol 0 or exact equality).

One function, one blame (graders/checks.py): multi_head_attention is checked against
the oracle built on the student's own scaled_dot_product_attention, split_heads and
merge_heads too. Hints name a cause (a missing 1/sqrt(d_k), sqrt(d_model) instead
of sqrt(d_head), a mask applied after the softmax) only when recomputing with that
mistake reproduces the student's result.
"""
from __future__ import annotations

import numpy as np
from scipy.special import softmax

from .checks import CheckFailed, assert_close, assert_equal, assert_inputs_unchanged, assert_raises, call, fail
from .figures import close, summarize

TOL = dict(rtol=1e-9, atol=1e-12)


ROW_SUM_ATOL = 1e-9


def _oracle(Q, K, V, mask=None, scale=None):
    Q, K, V = (np.asarray(a, dtype=float) for a in (Q, K, V))
    scores = np.einsum("...qd,...kd->...qk", Q, K) / (np.sqrt(Q.shape[-1]) if scale is None else scale)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    with np.errstate(all="ignore"):
        weights = softmax(scores, axis=-1)
    return np.einsum("...qk,...kv->...qv", weights, V), weights


def _matches(actual, expected) -> bool:
    """Whether ``actual`` reproduces ``expected`` (evidence for a hint naming a mistake)."""
    try:
        actual = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        return False
    return actual.shape == np.shape(expected) and bool(np.allclose(actual, expected, rtol=1e-6, atol=1e-9))


def _attend(fn, Q, K, V, label, **kwargs):
    result = call(fn, Q, K, V, label=label, **kwargs)
    if not isinstance(result, tuple) or len(result) != 2:
        fail(label, "a tuple (output, weights)", result, "return output, weights")
    return result


_VALUE_HINT = ("weights = softmax(Q @ swapaxes(K, -1, -2) / sqrt(d_k)) with the softmax over the LAST axis "
               "(each query row sums to 1), output = weights @ V")


def check_attention_values(scaled_dot_product_attention):
    rng = np.random.default_rng(801)
    cases = [((), 3, 5, 4, 2), ((), 1, 7, 3, 6), ((4,), 6, 6, 8, 8), ((2, 3), 5, 4, 2, 3)]
    for batch, n_q, n_k, d_k, d_v in cases:
        Q = rng.normal(size=batch + (n_q, d_k))
        K = rng.normal(size=batch + (n_k, d_k))
        V = rng.normal(size=batch + (n_k, d_v))
        label = (f"scaled_dot_product_attention(Q, K, V) with Q {Q.shape}, K {K.shape}, V {V.shape}")
        out, w = _attend(scaled_dot_product_attention, Q, K, V, label)
        exp_out, exp_w = _oracle(Q, K, V)
        sums = np.asarray(w, dtype=float).sum(axis=-1) if np.shape(w) == exp_w.shape else None
        if sums is not None and not np.allclose(sums, 1.0, rtol=0, atol=ROW_SUM_ATOL):
            fail(label + ", the weights", "rows summing to 1", sums,
                 "normalise each ROW over the keys (axis=-1), not the whole matrix or the query axis",
                 problem="weight rows do not sum to 1")
        unscaled = _matches(w, _oracle(Q, K, V, scale=1.0)[1])
        assert_close(w, exp_w, label=label + ", the weights", **TOL,
                     hint=_VALUE_HINT + ("; these are the weights without the division by sqrt(d_k)"
                                         if unscaled else ""))
        assert_close(out, exp_out, label=label + ", the output", **TOL, hint=_VALUE_HINT)
    label = "scaled_dot_product_attention(Q, K, V) with nested lists"
    Q, K, V = [[1.0, 2.0]], [[0.5, -1.0], [2.0, 0.0]], [[1.0], [3.0]]
    out, w = _attend(scaled_dot_product_attention, Q, K, V, label)
    exp_out, exp_w = _oracle(Q, K, V)
    assert_close(w, exp_w, label=label, **TOL, hint="convert inputs with np.asarray(..., dtype=float)")


def _check_masked(fn, Q, K, V, mask, label):
    out, w = _attend(fn, Q, K, V, label, mask=mask)
    exp_out, exp_w = _oracle(Q, K, V, mask)
    w = np.asarray(w, dtype=float)
    if w.shape != exp_w.shape:
        fail(label, exp_w, w, "weights have shape (..., n_q, n_k)", problem=f"shape {w.shape}")
    if not np.all(np.isfinite(w)):
        fail(label, "finite weights", w, "NaN appears when every allowed weight underflows to 0 (softmax first, "
             "renormalise later) or exp overflows: mask the scores with -inf first and subtract each row's max",
             problem="NaN or infinite weights")
    blocked = ~np.broadcast_to(mask, exp_w.shape)
    if not np.all(w[blocked] == 0.0):
        leaked = w[blocked]
        fail(label, "0.0 exactly at every masked position", leaked[leaked != 0][:6],
             "set masked scores to -inf BEFORE the softmax (np.where(mask, scores, -np.inf)); "
             "a finite fill like -1e4 or -100 still leaks weight when scores are large or negative",
             problem="masked weights are not exactly 0")
    deviation = w.sum(axis=-1) - 1.0
    if not np.all(np.abs(deviation) <= ROW_SUM_ATOL):
        unmasked = _oracle(Q, K, V)[1] * np.broadcast_to(mask, exp_w.shape)
        fail(label, f"every row of weights summing to 1 (row sums minus 1 within {ROW_SUM_ATOL:g})",
             f"row sums minus 1: {np.array2string(deviation.ravel()[:8], precision=3)}",
             "these are the unmasked softmax weights multiplied by the mask: renormalise, or better, mask the "
             "scores with -inf before the softmax" if _matches(w, unmasked) else
             "each row must be a softmax over the keys its mask allows: set masked scores to -inf before "
             "the softmax", problem="rows do not sum to 1 after masking")
    assert_close(w, exp_w, label=label + ", the weights", **TOL,
                 hint="the unmasked keys of each row share the softmax; True in the mask means 'may attend'")
    assert_close(out, exp_out, label=label + ", the output", **TOL, hint="output = weights @ V")


def check_attention_masking(scaled_dot_product_attention):
    rng = np.random.default_rng(802)
    n, d = 5, 4
    causal = np.tril(np.ones((n, n), dtype=bool))
    Q, K, V = rng.normal(size=(3, n, d)), rng.normal(size=(3, n, d)), rng.normal(size=(3, n, 2))
    _check_masked(scaled_dot_product_attention, Q, K, V, causal,
                  "scaled_dot_product_attention(Q, K, V, mask) with Q, K (3, 5, 4) and a (5, 5) causal mask")
    random_mask = rng.random(size=(2, 4, 6)) < 0.5
    random_mask[:, :, 0] |= ~random_mask.any(axis=-1)
    Q, K, V = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 6, 3)), rng.normal(size=(2, 6, 5))
    _check_masked(scaled_dot_product_attention, Q, K, V, random_mask,
                  "scaled_dot_product_attention(Q, K, V, mask) with Q (2, 4, 3), K (2, 6, 3) and a random mask (2, 4, 6)")
    padding = np.array([[True, True, True, False, False]])  # (1, n_k): the last two keys are padding
    Q, K, V = rng.normal(size=(4, 3, 2)), rng.normal(size=(4, 5, 2)), rng.normal(size=(4, 5, 3))
    _check_masked(scaled_dot_product_attention, Q, K, V, padding,
                  "scaled_dot_product_attention(Q, K, V, mask) with Q (4, 3, 2), K (4, 5, 2) and a key-padding "
                  "mask of shape (1, 5)")
    # every score about -2e4: a finite fill value such as -1e4 would win over the real keys
    Q, K, V = np.full((3, 4), -100.0) + rng.normal(size=(3, 4)), np.full((4, 4), 100.0), rng.normal(size=(4, 2))
    _check_masked(scaled_dot_product_attention, Q, K, V, np.tril(np.ones((3, 4), dtype=bool)),
                  "scaled_dot_product_attention(Q, K, V, mask) with scores around -2e4 and a causal-style mask")
    # the masked keys have scores 1e4 above the allowed ones
    Q = np.array([[10.0, 0.0], [0.0, 10.0]]) * 30
    K = np.array([[100.0, 0.0], [0.0, 1.0], [0.0, 100.0], [1.0, 0.0]]) * 10
    V = rng.normal(size=(4, 3))
    _check_masked(scaled_dot_product_attention, Q, K, V, np.array([[False, True, True, True], [True, True, False, True]]),
                  "scaled_dot_product_attention(Q, K, V, mask) where each row's masked key has a score ~2e5 "
                  "above the others")


def check_attention_contract(scaled_dot_product_attention):
    rng = np.random.default_rng(803)
    Q, K, V = rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    strict = np.tril(np.ones((4, 4), dtype=bool), k=-1)  # row 0 has nothing to attend to
    assert_raises(ValueError, scaled_dot_product_attention, Q, K, V, mask=strict,
                  label="scaled_dot_product_attention(Q, K, V, mask) where row 0 of the mask is all False",
                  hint="a query with every key masked has no valid softmax: check mask.any(axis=-1) and raise "
                       "ValueError (do not return NaN or uniform weights)")
    batch_mask = np.ones((2, 3, 3), dtype=bool)
    batch_mask[1, 2] = False
    assert_raises(ValueError, scaled_dot_product_attention, rng.normal(size=(2, 3, 2)), rng.normal(size=(2, 3, 2)),
                  rng.normal(size=(2, 3, 2)), mask=batch_mask,
                  label="scaled_dot_product_attention(Q, K, V, mask) with a (2, 3, 3) mask whose batch 1, row 2 "
                        "is all False",
                  hint="check every query row of every batch element, after broadcasting the mask")
    Q, K, V = rng.normal(size=(2, 5, 4)) * 1e3, rng.normal(size=(2, 6, 4)) * 1e3, rng.normal(size=(2, 6, 3))
    label = "scaled_dot_product_attention(Q, K, V) with entries ~1e3 (scores ~1e6)"
    out, w = _attend(scaled_dot_product_attention, Q, K, V, label)
    exp_out, exp_w = _oracle(Q, K, V)
    assert_close(w, exp_w, label=label + ", the weights", **TOL,
                 hint="subtract each row's maximum score before np.exp, or it overflows to inf and gives NaN")
    assert_close(out, exp_out, label=label + ", the output", **TOL, hint="subtract the row max before np.exp")
    mask = np.tril(np.ones((5, 6), dtype=bool))
    assert_inputs_unchanged(scaled_dot_product_attention, Q, K, V, mask=mask,
                            label="scaled_dot_product_attention(Q, K, V, mask) with a (5, 6) mask")


def check_causal_mask(causal_mask):
    for n in [1, 2, 7]:
        label = f"causal_mask({n})"
        got = call(causal_mask, n, label=label)
        expected = np.arange(n)[None, :] <= np.arange(n)[:, None]
        if not isinstance(got, np.ndarray) or got.dtype != bool:
            fail(label, "a boolean ndarray", got, "return dtype bool (e.g. np.tril(np.ones((n, n), dtype=bool)))")
        assert_equal(got, expected, label=label,
                     hint="mask[i, j] is True when j <= i: lower triangle INCLUDING the diagonal")


def _figure_data(summary, label):
    axes = [a for a in summary["axes"] if a["images"] or a["meshes"]]
    if len(axes) != 1 or len(axes[0]["images"]) + len(axes[0]["meshes"]) != 1:
        counts = [len(a["images"]) + len(a["meshes"]) for a in summary["axes"]]
        raise CheckFailed(f"{label}: expected exactly one image (imshow or pcolormesh) in one Axes, "
                          f"found images per Axes {counts}\n  hint: draw the whole matrix once with "
                          "ax.imshow(weights) or ax.pcolormesh(weights)")
    ax = axes[0]
    return ax, (ax["images"] or ax["meshes"])[0]


def check_plot_attention(plot_attention):
    rng = np.random.default_rng(831)
    cases = [(["I", "love", "linear", "algebra"], rng.dirichlet(np.ones(4), size=4)),
             (["a", "b", "c", "d", "e", "f"], np.tril(rng.random(size=(6, 6))) + np.eye(6))]
    for tokens, weights in cases:
        weights = weights / weights.sum(axis=1, keepdims=True)
        label = f"plot_attention(weights, tokens) with a non-symmetric {weights.shape} matrix and tokens {tokens}"
        fig = assert_inputs_unchanged(plot_attention, weights, tokens, label=label)
        try:
            summary = summarize(fig, label)
        finally:
            close(fig)
        ax, data = _figure_data(summary, label)
        if data.ndim == 1 and data.size == weights.size:
            data = data.reshape(weights.shape)
        if data.shape == weights.T.shape and not np.allclose(data, weights) and np.allclose(data, weights.T):
            fail(label + ", the image data", weights, data,
                 "queries (rows) belong on the y axis and keys on x: plot weights itself, not weights.T",
                 problem="the image is transposed")
        assert_close(data, weights, label=label + ", the image data", rtol=1e-9, atol=1e-12,
                     hint="the image should show exactly the weight matrix (rows = queries, columns = keys)")
        assert_equal(ax["xticklabels"], list(tokens), label=label + ", x tick labels",
                     hint="ax.set_xticks(range(n), labels=tokens): one tick per key, labelled by its token")
        assert_equal(ax["yticklabels"], list(tokens), label=label + ", y tick labels",
                     hint="ax.set_yticks(range(n), labels=tokens): one tick per query, labelled by its token")
        if summary["n_colorbars"] < 1:
            fail(label, "a colorbar", "no colorbar", "add fig.colorbar(image, ax=ax)")
        _check_colour_limits(ax, weights, label)


def _check_colour_limits(ax, weights, label):
    """A heatmap of the matrix shows every weight: its colour scale may be wider, never cut them off."""
    if not ax["image_limits"]:
        return  # a pcolormesh: its colour limits do not cross the wire
    low, high = ax["image_limits"][0]
    if not (low <= weights.min() + 1e-12 and high >= weights.max() - 1e-12 and low < high):
        fail(label + ", the colour limits (vmin, vmax)",
             f"a range holding every weight, [{weights.min():.3f}, {weights.max():.3f}] (e.g. [0, 1] or the default)",
             [low, high], "weights outside [vmin, vmax] all get the end colour of the map: leave vmin and vmax to "
             "imshow, or set vmin=0, vmax=1", problem="the colour scale clips the weights")
