"""Hidden checks for project1_mini_lm: attention_lm_loss_and_grads, the loss and the whole backward pass.

Oracles: the cross-entropy of the independent forward pass (scipy logsumexp) for the
loss, and central finite differences (h = 1e-6) of that loss for every gradient entry.

Tolerances: the loss rtol 1e-8 / atol 1e-10 (the same float operations in another
order agree to ~1e-13); gradients rtol 1e-5 / atol 1e-8 (truncation error ~h^2,
rounding ~1e-10 / h; a missing 1 / (B T), a b_out averaged instead of summed or the
block fed the wrong input are off by > 1e-3).

One function, one blame (graders/checks.py): attention_lm_loss_and_grads chains the
forward pass and the three backward steps, so the loss is also accepted as the
cross-entropy of the student's own forward pass, the gradients as the oracle output
layer composed with the student's own softmax_rows_backward, attention_block_backward
and embedding_backward (each alone, or all of them), and only on inputs where the
student's forward pass agrees with the oracle. On an input where the student's own
steps break, the composite is not graded.
"""
from __future__ import annotations

import numpy as np
from scipy.special import softmax

from .checks import CheckFailed, describe
from .composites import (SKIP, Composed, assert_close_any, call_composite, composed,
                         composite_inputs_unchanged, own)
from .project1_mini_lm_backward import (FD, _block_backward, _block_forward, _causal_weights,
                                        _embedding_backward, _numeric_gradient, _softmax_backward)
from .project1_mini_lm_model import KEYS, LOGIT_TOL, oracle_logits, oracle_loss, random_params


def _model_backward(params, ids, targets, softmax_rows_backward=_softmax_backward,
                    attention_block_backward=None, embedding_backward=_embedding_backward):
    """The oracle output layer and cross-entropy, composed with the given steps of the backward pass."""
    V, context = params["token_embedding"].shape[0], params["position_embedding"].shape[0]
    B, T = ids.shape
    x = params["token_embedding"][ids] + params["position_embedding"][None, :T]
    A = _causal_weights(params, x)
    h = _block_forward(params, x)
    logits = np.einsum("btd,dv->btv", h, params["W_out"]) + params["b_out"]
    dlogits = (softmax(logits, axis=-1) - np.eye(V)[targets]) / (B * T)
    grads = {"W_out": np.einsum("btd,btv->dv", h, dlogits), "b_out": dlogits.sum(axis=(0, 1))}
    dh = np.einsum("btv,dv->btd", dlogits, params["W_out"])
    if attention_block_backward is None:
        block = _block_backward(params, x, A, dh, softmax_rows_backward)
    else:
        dx, block_grads = attention_block_backward(params, x, A, dh)
        block = {"dx": dx, **{key: block_grads[key] for key in ("W_q", "W_k", "W_v")}}
    grads.update({key: np.asarray(block[key], dtype=float) for key in ("W_q", "W_k", "W_v")})
    d_token, d_position = embedding_backward(ids, np.asarray(block["dx"], dtype=float), V, context)
    grads["token_embedding"], grads["position_embedding"] = (np.asarray(g, dtype=float) for g in (d_token, d_position))
    for key in KEYS:
        if grads[key].shape != params[key].shape:
            raise ValueError(f"a step gave {key} the wrong shape")
    return grads


def _with_steps(params, ids, targets, steps) -> Composed:
    """The gradients composed with the reference steps, with all of the student's and with each one alone."""
    return composed(lambda **helpers: _model_backward(params, ids, targets, **helpers),
                    {"softmax_rows_backward": _softmax_backward, "attention_block_backward": None,
                     "embedding_backward": _embedding_backward}, steps)


def _forward_agrees(forward, params, ids):
    """Whether the student's own forward pass gives the oracle's logits here (or is not given)."""
    if forward is None:
        return True
    try:
        logits = np.asarray(own(forward)(params, ids)[0], dtype=float)
    except Exception:  # noqa: BLE001 - a broken forward does not agree
        return False
    expected = oracle_logits(params, ids)
    return logits.shape == expected.shape and bool(np.allclose(logits, expected, **LOGIT_TOL))


def _as_loss_grads(out, label):
    if not (isinstance(out, tuple) and len(out) == 2 and isinstance(out[1], dict)):
        raise CheckFailed(f"{label} returned {describe(out)}\n  expected: a tuple (loss, grads dict)\n"
                          "  hint: return loss, grads")
    return out


def check_loss_values(attention_lm_loss_and_grads, attention_lm_forward=None, softmax_rows_backward=None,
                      attention_block_backward=None, embedding_backward=None):
    """The loss against the oracle cross-entropy, including large logits."""
    rng = np.random.default_rng(2201)
    steps = {"softmax_rows_backward": softmax_rows_backward, "attention_block_backward": attention_block_backward,
             "embedding_backward": embedding_backward}
    for V, context, d, B, T, scale in [(6, 5, 4, 3, 5, 0.5), (8, 6, 3, 2, 4, 1.0), (5, 4, 4, 2, 3, 40.0)]:
        params = random_params(rng, V, context, d, scale=0.5)
        params["W_out"] *= scale
        ids, targets = rng.integers(0, V, size=(B, T)), rng.integers(0, V, size=(B, T))
        label = (f"attention_lm_loss_and_grads(params, ids, targets) with V={V}, ids ({B}, {T})"
                 + (", logits of size ~1e3" if scale > 10 else ""))
        expected = composed(lambda forward: oracle_loss(params, ids, targets, forward), {"forward": None},
                            {"forward": attention_lm_forward})
        expected.helper_broken |= _with_steps(params, ids, targets, steps).helper_broken
        out = call_composite(attention_lm_loss_and_grads, params, ids, targets, label=label, expected=expected)
        if out is SKIP:
            continue
        loss = _as_loss_grads(out, label)[0]
        if np.ndim(loss) != 0:
            raise CheckFailed(f"{label}: the loss is {describe(loss)}\n  expected: a single number\n"
                              "  hint: average over all B * T positions")
        assert_close_any(loss, expected, label=label, **LOGIT_TOL,
                         hint="loss = mean over ALL B*T positions of -log softmax(logits)[target], natural log; "
                              "use logits - max before exp (log-sum-exp) so large logits cannot overflow")


_GRAD_HINTS = {
    "b_out": "d loss / d logits = (softmax - onehot) / (B * T); b_out's gradient sums it over batch and positions",
    "W_out": "dW_out = h^T dlogits over all B*T positions",
    "W_v": "dh = dlogits W_out^T goes into attention_block_backward(params, x, A, dh)",
    "W_q": "dh = dlogits W_out^T goes into attention_block_backward(params, x, A, dh), with the x and A of the "
           "forward pass",
    "W_k": "dh = dlogits W_out^T goes into attention_block_backward(params, x, A, dh), with the x and A of the "
           "forward pass",
    "token_embedding": "the block's dx goes into embedding_backward(ids, dx, V, context); a character that occurs "
                       "several times gets the SUM of its gradients",
    "position_embedding": "the block's dx goes into embedding_backward: position t's gradient is dx[:, t] summed "
                          "over the batch; rows t >= T get 0",
}


def check_gradients(attention_lm_loss_and_grads, attention_lm_forward=None, softmax_rows_backward=None,
                    attention_block_backward=None, embedding_backward=None):
    """Every gradient entry against central finite differences of the oracle loss; params unchanged."""
    rng = np.random.default_rng(2301)
    steps = {"softmax_rows_backward": softmax_rows_backward, "attention_block_backward": attention_block_backward,
             "embedding_backward": embedding_backward}
    for V, context, d, B, T in [(5, 4, 3, 2, 4), (4, 5, 2, 3, 3)]:
        params = random_params(rng, V, context, d, scale=0.6)
        ids = rng.integers(0, V, size=(B, T))
        ids[:, 0] = ids[0, 1]  # the same character at several positions
        targets = rng.integers(0, V, size=(B, T))
        label = (f"attention_lm_loss_and_grads(params, ids, targets) with V={V}, context={context}, "
                 f"d={d}, ids ({B}, {T}) (T < context: unused position rows)" if T < context else
                 f"attention_lm_loss_and_grads(params, ids, targets) with V={V}, d={d}, ids ({B}, {T})")
        if not _forward_agrees(attention_lm_forward, params, ids):
            continue  # the gradients of another model: the forward pass's own checks carry that blame
        expected = _with_steps(params, ids, targets, steps)
        probe = {k: v.copy() for k, v in params.items()}
        expected.values[0] = {key: _numeric_gradient(lambda: oracle_loss(probe, ids, targets), probe[key])
                              for key in KEYS}
        out = call_composite(attention_lm_loss_and_grads, params, ids, targets, label=label, expected=expected)
        if out is SKIP:
            continue
        grads = _as_loss_grads(out, label)[1]
        for key in KEYS:
            if key not in grads:
                raise CheckFailed(f"{label}: grads has no key {key!r}\n  expected keys: {list(KEYS)}\n"
                                  "  hint: return one gradient per parameter, under the parameter's name")
            each = Composed([value[key] for value in expected.values], expected.helper_broken)
            assert_close_any(grads[key], each, label=f"{label}: grads[{key!r}]", **FD, hint=_GRAD_HINTS[key])
    params = random_params(rng, 4, 3, 2, scale=0.5)
    ids, targets = rng.integers(0, 4, size=(2, 3)), rng.integers(0, 4, size=(2, 3))
    expected = _with_steps(params, ids, targets, steps)
    expected.helper_broken |= not _forward_agrees(attention_lm_forward, params, ids)
    composite_inputs_unchanged(attention_lm_loss_and_grads, params, ids, targets,
                               label="attention_lm_loss_and_grads(params, ids, targets)", expected=expected)
