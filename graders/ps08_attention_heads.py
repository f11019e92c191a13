"""Hidden checks of ps08_attention's heads: split_heads, merge_heads and multi_head_attention
(oracles and tolerances in graders/ps08_attention.py; heads, masks and split/merge are exact).

One function, one blame (graders/checks.py): multi_head_attention is checked against the oracle
built on the student's own scaled_dot_product_attention, split_heads and merge_heads too.
"""
from __future__ import annotations

import numpy as np

from .checks import assert_close, assert_inputs_unchanged, assert_raises, call, fail
from .composites import SKIP, Composed, assert_close_any, call_composite, composed, composite_inputs_unchanged
from .ps08_attention import TOL, _matches, _oracle


def check_split_heads(split_heads):
    rng = np.random.default_rng(811)
    for n, d_model, n_heads in [(5, 12, 3), (4, 6, 1), (3, 4, 4), (7, 10, 2)]:
        X = rng.normal(size=(n, d_model))
        d_head = d_model // n_heads
        label = f"split_heads(X, {n_heads}) with X ({n}, {d_model})"
        got = call(split_heads, X, n_heads, label=label)
        expected = np.stack([X[:, h * d_head:(h + 1) * d_head] for h in range(n_heads)])
        assert_close(got, expected, label=label, rtol=0, atol=0,
                     hint="head h holds the columns h*d_head:(h+1)*d_head: reshape to (n, n_heads, d_head) and "
                          "transpose to (n_heads, n, d_head); reshape(n_heads, n, d_head) alone mixes rows")
    X = rng.normal(size=(3, 10))
    for n_heads in (3, 4):
        assert_raises(ValueError, split_heads, X, n_heads,
                      label=f"split_heads(X, {n_heads}) with X (3, 10)",
                      hint="raise ValueError when d_model % n_heads != 0 (do not silently drop columns)")
    assert_inputs_unchanged(split_heads, rng.normal(size=(4, 6)), 2, label="split_heads(X, 2) with X (4, 6)")


def check_merge_heads(merge_heads):
    rng = np.random.default_rng(812)
    for n_heads, n, d_head in [(3, 5, 4), (1, 4, 6), (4, 2, 1), (2, 6, 3)]:
        H = rng.normal(size=(n_heads, n, d_head))
        label = f"merge_heads(H) with H ({n_heads}, {n}, {d_head})"
        assert_close(call(merge_heads, H, label=label), np.concatenate(list(H), axis=1), label=label, rtol=0, atol=0,
                     hint="head h goes back to columns h*d_head:(h+1)*d_head: transpose to (n, n_heads, d_head), "
                          "then reshape to (n, n_heads * d_head)")
    X = rng.normal(size=(5, 8))
    H = np.stack([X[:, 2 * h:2 * h + 2] for h in range(4)])
    label = "merge_heads(H) where H holds the four 2-column blocks of a (5, 8) matrix X"
    assert_close(call(merge_heads, H, label=label), X, label=label, rtol=0, atol=0,
                 hint="merge_heads must undo split_heads exactly")
    assert_inputs_unchanged(merge_heads, rng.normal(size=(2, 3, 4)), label="merge_heads(H) with H (2, 3, 4)")


def _oracle_split(X, n_heads):
    n, d_model = X.shape
    return X.reshape(n, n_heads, d_model // n_heads).transpose(1, 0, 2)


def _oracle_merge(H):
    return np.concatenate(list(H), axis=1)


def _oracle_attention(Q, K, V, mask=None):
    return _oracle(Q, K, V, mask)


def _oracle_mha(X, Ws, n_heads, mask=None, scaled_dot_product_attention=_oracle_attention,
                split_heads=_oracle_split, merge_heads=_oracle_merge):
    W_q, W_k, W_v, W_o = Ws
    heads = [np.asarray(split_heads(np.einsum("nd,de->ne", X, W), n_heads), dtype=float) for W in (W_q, W_k, W_v)]
    kwargs = {} if mask is None else {"mask": mask}
    out, weights = scaled_dot_product_attention(*heads, **kwargs)
    merged = np.asarray(merge_heads(np.asarray(out, dtype=float)), dtype=float)
    return np.einsum("ne,ed->nd", merged, W_o), np.asarray(weights, dtype=float)


def _mha_hint(w, X, Ws, n_heads, mask):
    """Name the sqrt(d_model) mistake only when recomputing with it reproduces the weights."""
    W_q, W_k, _, _ = Ws
    Qh, Kh = (_oracle_split(X @ W, n_heads) for W in (W_q, W_k))
    if n_heads > 1 and _matches(w, _oracle(Qh, Kh, Kh, mask, scale=np.sqrt(X.shape[1]))[1]):
        return "these are the weights scaled by sqrt(d_model): scale each head's scores by sqrt(d_head) " \
               "= sqrt(d_model // n_heads) (your scaled_dot_product_attention does that on the split heads)"
    return "project with W_q, W_k, W_v, split Q, K and V into heads, run scaled_dot_product_attention on " \
           "all heads at once (with the mask), and return its weights, shape (n_heads, n, n)"


def _check_mha(fn, X, Ws, n_heads, label, helpers, mask=None):
    kwargs = {} if mask is None else {"mask": mask}
    expected = composed(lambda **h: _oracle_mha(X, Ws, n_heads, mask, **h),
                        {"scaled_dot_product_attention": _oracle_attention, "split_heads": _oracle_split,
                         "merge_heads": _oracle_merge}, helpers)
    result = call_composite(fn, X, *Ws, n_heads, label=label, expected=expected, **kwargs)
    if result is SKIP:
        return
    if not isinstance(result, tuple) or len(result) != 2:
        fail(label, "a tuple (output, weights)", result, "return output, weights")
    out, w = result
    weights = Composed([value[1] for value in expected.values], expected.helper_broken)
    outputs = Composed([value[0] for value in expected.values], expected.helper_broken)
    assert_close_any(w, weights, label=label + ", the weights (n_heads, n, n)", **TOL,
                     hint=_mha_hint(w, X, Ws, n_heads, mask))
    assert_close_any(out, outputs, label=label + ", the output", **TOL,
                     hint="merge the heads back to (n, d_model) and finish with @ W_o")


def check_multi_head_attention(multi_head_attention, scaled_dot_product_attention=None, split_heads=None,
                               merge_heads=None):
    helpers = {"scaled_dot_product_attention": scaled_dot_product_attention, "split_heads": split_heads,
               "merge_heads": merge_heads}
    rng = np.random.default_rng(821)
    for n, d_model, n_heads in [(5, 12, 3), (4, 6, 1), (7, 8, 4)]:
        X = rng.normal(size=(n, d_model))
        Ws = [rng.normal(size=(d_model, d_model)) / np.sqrt(d_model) for _ in range(4)]
        _check_mha(multi_head_attention, X, Ws, n_heads,
                   f"multi_head_attention(X, W_q, W_k, W_v, W_o, {n_heads}) with X ({n}, {d_model})", helpers)


def check_multi_head_attention_mask(multi_head_attention, scaled_dot_product_attention=None, split_heads=None,
                                    merge_heads=None):
    helpers = {"scaled_dot_product_attention": scaled_dot_product_attention, "split_heads": split_heads,
               "merge_heads": merge_heads}
    rng = np.random.default_rng(822)
    n, d_model = 6, 8
    X = rng.normal(size=(n, d_model))
    Ws = [rng.normal(size=(d_model, d_model)) / np.sqrt(d_model) for _ in range(4)]
    _check_mha(multi_head_attention, X, Ws, 2,
               "multi_head_attention(X, W_q, W_k, W_v, W_o, 2, mask=causal) with X (6, 8)", helpers,
               mask=np.tril(np.ones((n, n), dtype=bool)))
    mask = rng.random(size=(n, n)) < 0.4
    mask[np.arange(n), np.arange(n)] = True
    _check_mha(multi_head_attention, X, Ws, 4,
               "multi_head_attention(X, W_q, W_k, W_v, W_o, 4, mask) with X (6, 8) and a random (6, 6) mask",
               helpers, mask=mask)
    expected = composed(lambda **h: _oracle_mha(X, Ws, 2, mask, **h),
                        {"scaled_dot_product_attention": _oracle_attention, "split_heads": _oracle_split,
                         "merge_heads": _oracle_merge}, helpers)
    composite_inputs_unchanged(multi_head_attention, X, *Ws, 2, mask=mask, expected=expected,
                               label="multi_head_attention(X, W_q, W_k, W_v, W_o, 2, mask)")
