"""Hidden checks for project1_mini_lm, part three: the backward pass, one step at a time.

Oracles: the softmax Jacobian diag(a) - a a^T written out as a matrix per row; central
finite differences (h = 1e-6) of an independent forward pass (np.einsum and
scipy.special.softmax, in project1_mini_lm_model) for the attention block and for the
whole model; a plain loop over positions for the embedding scatter.

Tolerances: softmax_rows_backward and embedding_backward are a few float operations,
compared with rtol 1e-9 / atol 1e-12 (a missing row-sum term, a sum over the wrong
axis or a repeated character counted once miss by > 1e-2). Gradients against finite
differences: rtol 1e-5 / atol 1e-8 (truncation error ~h^2, rounding ~1e-10 / h).

One function, one blame (graders/checks.py): attention_block_backward is also accepted
as the oracle block composed with the student's softmax_rows_backward. The oracles here
are also the building blocks of attention_lm_loss_and_grads's checks
(project1_mini_lm_loss).
"""
from __future__ import annotations

import numpy as np
from scipy.special import softmax

from .checks import CheckFailed, assert_close, assert_inputs_unchanged, call, describe
from .composites import (SKIP, Composed, assert_close_any, call_composite, composed,
                         composite_inputs_unchanged)
from .project1_mini_lm_model import random_params

EXACT = dict(rtol=1e-9, atol=1e-12)
FD = dict(rtol=1e-5, atol=1e-8)
BLOCK_KEYS = ("dx", "W_q", "W_k", "W_v")


# --- oracles -------------------------------------------------------------------


def _softmax_backward(A, dA):
    """dS = J dA per row, with the Jacobian J = diag(a) - a a^T built as a matrix."""
    A, dA = np.asarray(A, dtype=float), np.asarray(dA, dtype=float)
    jacobian = np.einsum("...i,ij->...ij", A, np.eye(A.shape[-1])) - np.einsum("...i,...j->...ij", A, A)
    return np.einsum("...ij,...j->...i", jacobian, dA)


def _causal_weights(params, x):
    d = params["W_q"].shape[0]
    q, k = np.einsum("btd,de->bte", x, params["W_q"]), np.einsum("btd,de->bte", x, params["W_k"])
    T = x.shape[1]
    allowed = np.arange(T)[None, :] <= np.arange(T)[:, None]
    return softmax(np.where(allowed, np.einsum("bid,bjd->bij", q, k) / np.sqrt(d), -np.inf), axis=-1)


def _block_forward(params, x):
    v = np.einsum("btd,de->bte", x, params["W_v"])
    return x + np.einsum("bij,bjd->bid", _causal_weights(params, x), v)


def _block_backward(params, x, A, dh, softmax_rows_backward=_softmax_backward):
    """The block's gradients written with einsum, the row softmax backward given."""
    d = params["W_q"].shape[0]
    q, k, v = (np.einsum("btd,de->bte", x, params[w]) for w in ("W_q", "W_k", "W_v"))
    dA = np.einsum("bid,bjd->bij", dh, v)
    dv = np.einsum("bij,bid->bjd", A, dh)
    ds = np.asarray(softmax_rows_backward(A, dA), dtype=float) / np.sqrt(d)
    if ds.shape != A.shape:
        raise ValueError("softmax_rows_backward changed the shape")
    dq, dk = np.einsum("bij,bjd->bid", ds, k), np.einsum("bij,bid->bjd", ds, q)
    grads = {w: np.einsum("btd,bte->de", x, g) for w, g in (("W_q", dq), ("W_k", dk), ("W_v", dv))}
    dx = dh + sum(np.einsum("bte,de->btd", g, params[w]) for w, g in (("W_q", dq), ("W_k", dk), ("W_v", dv)))
    return {"dx": dx, **grads}


def _embedding_backward(ids, dx, vocab_size, context):
    d_token, d_position = np.zeros((vocab_size, dx.shape[-1])), np.zeros((context, dx.shape[-1]))
    for b, t in np.ndindex(ids.shape):
        d_token[ids[b, t]] += dx[b, t]
        d_position[t] += dx[b, t]
    return d_token, d_position


def _numeric_gradient(loss, array, h=1e-6):
    """Central finite differences of loss() with respect to every entry of array (changed in place, restored)."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        old = array[index]
        array[index] = old + h
        plus = loss()
        array[index] = old - h
        minus = loss()
        array[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad


# --- softmax_rows_backward -------------------------------------------------------


def _softmax_cases(rng):
    scores = rng.normal(0.0, 1.5, size=(4, 6))
    yield "A = softmax of random 4x6 scores (no mask)", softmax(scores, axis=-1), rng.normal(size=(4, 6))
    scores = rng.normal(0.0, 1.5, size=(2, 5, 5))
    causal = np.where(np.tril(np.ones((5, 5), dtype=bool)), scores, -np.inf)
    yield "causal attention weights A of shape (2, 5, 5) (zeros above the diagonal)", \
        softmax(causal, axis=-1), rng.normal(size=(2, 5, 5))
    scores = np.array([[8.0, 0.0, -3.0], [0.1, 0.2, 0.3]])
    yield "A = softmax of [[8, 0, -3], [0.1, 0.2, 0.3]] (one row almost one-hot)", \
        softmax(scores, axis=-1), rng.normal(size=(2, 3))


def _as_array(value):
    """The student's result as a float array, or None when it is not one (for hints only)."""
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def _softmax_hint(got, A, dA):
    """A hint that names a mistake only when recomputing with it gives the student's result."""
    mistakes = [(A * dA, "this is A * dA: the row-sum term is missing, dS = A * (dA - sum_j dA_j A_j)"),
                (A * (dA - (dA * A).sum(axis=-2, keepdims=True)),
                 "the sum runs over the wrong axis: sum over each ROW (axis=-1, keepdims=True)"),
                (A * (dA - dA.sum(axis=-1, keepdims=True)), "the row sum must weight dA by A: sum_j dA_j * A_j"),
                (dA - (dA * A).sum(axis=-1, keepdims=True), "the result must be multiplied by A itself")]
    for value, hint in mistakes:
        if got is not None and got.shape == value.shape and np.allclose(got, value, **EXACT):
            return hint
    return "for each row a with upstream gradient g: dS = a * (g - sum_j g_j a_j) (the softmax Jacobian applied to g)"


def check_softmax_rows_backward(softmax_rows_backward):
    """The row-wise softmax backward against the explicit Jacobian, masked rows, inputs unchanged."""
    rng = np.random.default_rng(2501)
    for description, A, dA in _softmax_cases(rng):
        label = f"softmax_rows_backward(A, dA) with {description} and a random dA"
        got = call(softmax_rows_backward, A, dA, label=label)
        assert_close(got, _softmax_backward(A, dA), label=label, **EXACT, hint=_softmax_hint(_as_array(got), A, dA))
    scores = rng.normal(size=(3, 4))
    A, dA = softmax(scores, axis=-1), rng.normal(size=(3, 4))
    label = ("softmax_rows_backward(A, dA) for A = softmax(S) of random 3x4 scores, against finite "
             "differences of sum(dA * softmax(S)) with respect to S")
    numeric = _numeric_gradient(lambda: float(np.sum(dA * softmax(scores, axis=-1))), scores)
    got = call(softmax_rows_backward, A, dA, label=label)
    assert_close(got, numeric, label=label, **FD, hint=_softmax_hint(_as_array(got), A, dA))
    assert_inputs_unchanged(softmax_rows_backward, A, dA, label="softmax_rows_backward(A, dA)")


# --- attention_block_backward ----------------------------------------------------

_BLOCK_HINTS = {
    "dx": "dx = dh (the residual path) + dq W_q^T + dk W_k^T + dv W_v^T: every path from x to the loss",
    "W_q": "dW_q = x^T dq with dq = dS k, where dS = softmax_rows_backward(A, dh v^T) / sqrt(d)",
    "W_k": "dW_k = x^T dk with dk = dS^T q (transposed per sequence), with the same 1 / sqrt(d)",
    "W_v": "h = x + A v: dv = A^T dh per sequence (transpose the last two axes), then dW_v = x^T dv",
}


def _block_result(out, label):
    if not (isinstance(out, tuple) and len(out) == 2 and isinstance(out[1], dict)):
        raise CheckFailed(f"{label} returned {describe(out)}\n  expected: a tuple (dx, grads) with grads a dict "
                          "of 'W_q', 'W_k' and 'W_v'\n  hint: return dx, {'W_q': ..., 'W_k': ..., 'W_v': ...}")
    dx, grads = out
    for key in ("W_q", "W_k", "W_v"):
        if key not in grads:
            raise CheckFailed(f"{label}: grads has no key {key!r}\n  expected keys: ['W_q', 'W_k', 'W_v']\n"
                              "  hint: one gradient per weight matrix, under the weight's name")
    return {"dx": dx, **{key: grads[key] for key in ("W_q", "W_k", "W_v")}}


def _block_expected(params, x, A, dh, softmax_rows_backward):
    expected = composed(lambda softmax_rows_backward: _block_backward(params, x, A, dh, softmax_rows_backward),
                        {"softmax_rows_backward": _softmax_backward},
                        {"softmax_rows_backward": softmax_rows_backward})
    # the reference itself: central finite differences of sum(dh * h) through the block's forward pass
    probe = {key: params[key].copy() for key in ("W_q", "W_k", "W_v")}
    x = x.copy()
    numeric = {"dx": _numeric_gradient(lambda: float(np.sum(dh * _block_forward(probe, x))), x)}
    for key in ("W_q", "W_k", "W_v"):
        numeric[key] = _numeric_gradient(lambda: float(np.sum(dh * _block_forward(probe, x))), probe[key])
    expected.values[0] = numeric
    return expected


def check_attention_block_backward(attention_block_backward, softmax_rows_backward=None):
    """dx and the gradients of W_q, W_k, W_v against finite differences of the block's forward pass."""
    rng = np.random.default_rng(2601)
    for V, context, B, T, d in [(5, 6, 2, 4, 3), (4, 5, 1, 5, 2), (6, 4, 3, 3, 4)]:
        params = random_params(rng, V, context, d, scale=0.7)
        x = rng.normal(0.0, 0.8, size=(B, T, d))
        A, dh = _causal_weights(params, x), rng.normal(size=(B, T, d))
        label = (f"attention_block_backward(params, x, A, dh) with x ({B}, {T}, {d}), A its causal attention "
                 "weights and a random dh")
        expected = _block_expected(params, x, A, dh, softmax_rows_backward)
        out = call_composite(attention_block_backward, params, x, A, dh, label=label, expected=expected)
        if out is SKIP:
            continue
        got = _block_result(out, label)
        for key in BLOCK_KEYS:
            each = Composed([value[key] for value in expected.values], expected.helper_broken)
            assert_close_any(got[key], each, label=f"{label}: {'dx' if key == 'dx' else f'grads[{key!r}]'}",
                             **FD, hint=_BLOCK_HINTS[key])
    params = random_params(rng, 4, 3, 2, scale=0.6)
    x = rng.normal(size=(2, 3, 2))
    A, dh = _causal_weights(params, x), rng.normal(size=(2, 3, 2))
    expected = composed(lambda softmax_rows_backward: _block_backward(params, x, A, dh, softmax_rows_backward),
                        {"softmax_rows_backward": _softmax_backward},
                        {"softmax_rows_backward": softmax_rows_backward})
    composite_inputs_unchanged(attention_block_backward, params, x, A, dh,
                               label="attention_block_backward(params, x, A, dh)", expected=expected)


# --- embedding_backward ------------------------------------------------------------


def check_embedding_backward(embedding_backward):
    """Repeated characters add up, unused rows and positions t >= T are zero, inputs unchanged."""
    rng = np.random.default_rng(2701)
    for V, context, B, T, d in [(6, 7, 3, 4, 3), (4, 5, 2, 5, 2), (9, 3, 1, 3, 4)]:
        ids = rng.integers(0, V - 1, size=(B, T))  # the last character never occurs
        ids[:, 0] = ids[0, 1]  # one character at several positions
        dx = rng.normal(size=(B, T, d))
        label = (f"embedding_backward(ids, dx, {V}, {context}) with ids ({B}, {T}) holding repeated characters"
                 + (f" (T < context: rows {T}.. of d_position are 0)" if T < context else ""))
        out = call(embedding_backward, ids, dx, V, context, label=label)
        if not (isinstance(out, tuple) and len(out) == 2):
            raise CheckFailed(f"{label} returned {describe(out)}\n  expected: a tuple (d_token, d_position)\n"
                              "  hint: return d_token, d_position")
        d_token, d_position = _embedding_backward(ids, dx, V, context)
        once = np.zeros_like(d_token)
        once[ids] += dx
        hint = ("a character that occurs several times gets the SUM of its gradients: np.add.at(d_token, ids, dx); "
                "d_token[ids] += dx keeps only one of the repeated rows"
                if np.shape(out[0]) == once.shape and np.allclose(np.asarray(out[0], dtype=float), once, **EXACT)
                else "row i of d_token sums dx[b, t] over every (b, t) with ids[b, t] == i; unused rows are 0")
        assert_close(out[0], d_token, label=label + ": d_token", **EXACT, hint=hint)
        mean = np.zeros_like(d_position)
        mean[:T] = dx.mean(axis=0)
        hint = ("the gradient of a row used by every sequence is the SUM over the batch, not the mean"
                if B > 1 and np.shape(out[1]) == mean.shape and np.allclose(np.asarray(out[1], dtype=float), mean,
                                                                             **EXACT)
                else f"d_position has shape (context, d) = ({context}, {d}): row t is dx[:, t] summed over the "
                     "batch, rows t >= T are 0")
        assert_close(out[1], d_position, label=label + ": d_position", **EXACT, hint=hint)
    ids, dx = rng.integers(0, 5, size=(2, 3)), rng.normal(size=(2, 3, 2))
    assert_inputs_unchanged(embedding_backward, ids, dx, 5, 4, label="embedding_backward(ids, dx, 5, 4)")
