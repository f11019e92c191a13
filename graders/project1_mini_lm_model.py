"""Hidden checks for project1_mini_lm, part two: the one-layer causal self-attention model's
forward pass (training: graders/project1_mini_lm_training.py).

Oracles: an independent forward pass written with np.einsum and scipy.special.softmax /
logsumexp (masked scores set to -inf); the gradients are checked step by step in
project1_mini_lm_backward and project1_mini_lm_loss.

Tolerances: logits and losses rtol 1e-8 / atol 1e-10 (the same float operations in another
order agree to ~1e-13).

One function, one blame (graders/checks.py): the loss is also accepted as the cross-entropy of
the student's own forward pass (oracle_loss's ``forward``).
"""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp, softmax

from .checks import CheckFailed, assert_close, assert_inputs_unchanged, call, describe

KEYS = ("token_embedding", "position_embedding", "W_q", "W_k", "W_v", "W_out", "b_out")
LOGIT_TOL = dict(rtol=1e-8, atol=1e-10)


def random_params(rng, vocab_size, context, d_model, scale=1.0):
    """Fresh random parameters in the contract's format."""
    shapes = {"token_embedding": (vocab_size, d_model), "position_embedding": (context, d_model),
              "W_q": (d_model, d_model), "W_k": (d_model, d_model), "W_v": (d_model, d_model),
              "W_out": (d_model, vocab_size), "b_out": (vocab_size,)}
    return {k: rng.normal(0.0, scale, size=s) for k, s in shapes.items()}


def oracle_logits(params, ids):
    """The model's logits (B, T, V), written independently of any student code."""
    ids = np.asarray(ids)
    T = ids.shape[1]
    d = params["W_q"].shape[0]
    x = params["token_embedding"][ids] + params["position_embedding"][None, :T]
    q = np.einsum("btd,de->bte", x, params["W_q"])
    k = np.einsum("btd,de->bte", x, params["W_k"])
    v = np.einsum("btd,de->bte", x, params["W_v"])
    scores = np.einsum("bid,bjd->bij", q, k) / np.sqrt(d)
    allowed = np.arange(T)[None, :] <= np.arange(T)[:, None]
    weights = softmax(np.where(allowed, scores, -np.inf), axis=-1)
    h = x + np.einsum("bij,bjd->bid", weights, v)
    return np.einsum("btd,dv->btv", h, params["W_out"]) + params["b_out"]


def oracle_loss(params, ids, targets, forward=None):
    logits = oracle_logits(params, ids) if forward is None else np.asarray(forward(params, ids)[0], dtype=float)
    log_probs = logits - logsumexp(logits, axis=-1, keepdims=True)
    return float(-np.take_along_axis(log_probs, np.asarray(targets)[..., None], axis=-1).mean())


def _logits_of(forward, params, ids, label):
    out = call(forward, params, ids, label=label)
    if not (isinstance(out, tuple) and len(out) == 2):
        raise CheckFailed(f"{label} returned {describe(out)}\n  expected: a tuple (logits, cache)\n"
                          "  hint: return logits, cache")
    return out[0]


def check_forward_values(attention_lm_forward):
    """Logits of random small models against the einsum/scipy oracle."""
    rng = np.random.default_rng(2101)
    for V, context, d, B, T in [(7, 6, 4, 3, 5), (5, 4, 6, 2, 4), (9, 8, 3, 1, 1), (4, 10, 5, 4, 10)]:
        params = random_params(rng, V, context, d, scale=0.7)
        ids = rng.integers(0, V, size=(B, T))
        label = f"attention_lm_forward(params, ids) with V={V}, context={context}, d={d} and ids ({B}, {T})"
        assert_close(_logits_of(attention_lm_forward, params, ids, label), oracle_logits(params, ids),
                     label=label, **LOGIT_TOL,
                     hint="x = E[ids] + P[:T]; softmax of q k^T / sqrt(d) over the LAST axis, future "
                          "positions masked before the softmax; h = x + A v; logits = h W_out + b_out")


def check_forward_contract(attention_lm_forward):
    """Causality at every position, large scores, inputs unchanged."""
    rng = np.random.default_rng(2102)
    V, context, d, B, T = 6, 7, 4, 2, 7
    params = random_params(rng, V, context, d, scale=0.8)
    ids = rng.integers(0, V, size=(B, T))
    label = f"attention_lm_forward(params, ids) with ids ({B}, {T})"
    base = np.asarray(_logits_of(attention_lm_forward, params, ids, label), dtype=float)
    for t in range(1, T):
        changed = ids.copy()
        changed[:, t] = (changed[:, t] + 1) % V
        got = np.asarray(_logits_of(attention_lm_forward, params, changed, label), dtype=float)
        if not np.allclose(got[:, :t], base[:, :t], rtol=1e-10, atol=1e-12):
            raise CheckFailed(f"{label}: changing ids[:, {t}] changed the logits at earlier positions\n"
                              f"  expected: logits[:, :{t}] unchanged (position i only sees ids[:, :i + 1])\n"
                              "  hint: mask the scores with j > i to -inf BEFORE the softmax, per row")
    big = dict(params, W_q=params["W_q"] * 60.0, W_k=params["W_k"] * 60.0)
    label = "attention_lm_forward(params, ids) with W_q and W_k scaled by 60 (attention scores ~1e4)"
    assert_close(_logits_of(attention_lm_forward, big, ids, label), oracle_logits(big, ids), label=label,
                 **LOGIT_TOL, hint="subtract each row's maximum score before np.exp, so exp never overflows")
    assert_inputs_unchanged(attention_lm_forward, params, ids, label="attention_lm_forward(params, ids)")
