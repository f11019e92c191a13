"""Hidden checks of ps09_backprop's backward. Oracle: the closed form, itself checked against central
finite differences (eps 1e-6) of sum(logits * G) for a random upstream gradient G; rtol 1e-5 /
atol 1e-7 (FD error ~1e-9 away from ReLU kinks; inputs are drawn so no pre-activation lies
within 1e-3 of 0). The contract check (one row, shapes, no mutation) is exact: rtol 1e-9.

One function, one blame (graders/checks.py): the expected gradients are composed with the
student's relu and relu_grad, and backward is called only on inputs where the student's forward
agrees with the oracle, since backward reads forward's cache.
"""
from __future__ import annotations

import numpy as np

from .checks import CheckFailed, NotImplementedYet, assert_equal, assert_inputs_unchanged, call
from .composites import Composed, assert_close_any, composed
from .ps09_backprop import (PARAM_KEYS, _as_dict, _oracle_backward, _oracle_forward, _oracle_logits, _random_params,
                            _relu, _relu_grad)


def _pre_activations_away_from_zero(rng, params, n, d_in):
    X = rng.normal(size=(4 * n, d_in))
    z1 = X @ params["W1"] + params["b1"]
    keep = np.all(np.abs(z1) > 1e-3, axis=1)
    return X[keep][:n]


def _agreeing_forward(forward, relu, rng, n, d_in, d_hidden, d_out, label):
    """params, X and the student's cache, on inputs where the student's forward agrees
    with the oracle (composed with the student's relu or the right one): backward reads
    forward's cache, so a wrong forward must not cost backward's points. Falls back to
    all-positive inputs (no relu kink, no bias), then gives up (None)."""
    params = _random_params(rng, d_in, d_hidden, d_out)
    X = _pre_activations_away_from_zero(rng, params, n, d_in)
    positive = {k: np.abs(v) for k, v in params.items()}
    positive["b1"], positive["b2"] = np.zeros(d_hidden), np.zeros(d_out)
    for params, X in [(params, X), (positive, np.abs(X) + 0.1)]:
        try:
            logits, cache = call(forward, params, X, label="forward(params, X) before " + label)
        except CheckFailed:
            continue
        expected = composed(lambda relu: _oracle_logits(params, X, relu), {"relu": _relu}, {"relu": relu})
        for value in expected.values:
            if np.shape(logits) == value.shape and np.allclose(np.asarray(logits, dtype=float), value,
                                                                rtol=1e-9, atol=1e-12):
                return params, X, cache
    return None


def _not_a_stub(backward, G, label):
    """Without a cache from the student's forward, backward can only be told apart from the stub."""
    params = _random_params(np.random.default_rng(933), 2, 2, G.shape[1])
    try:
        call(backward, params, None, G, label=label)
    except NotImplementedYet:
        raise
    except CheckFailed:
        pass


def _backward_expected(params, X, G, relu, relu_grad):
    return composed(lambda relu, relu_grad: _oracle_backward(params, _oracle_forward(params, X)[1], G,
                                                             relu, relu_grad),
                    {"relu": _relu, "relu_grad": _relu_grad}, {"relu": relu, "relu_grad": relu_grad})


def _assert_gradients(grads, expected: Composed, label, **tol):
    for name in PARAM_KEYS:
        each = Composed([value[name] for value in expected.values], expected.helper_broken)
        assert_close_any(grads[name], each, label=f"{label}, gradient {name!r}", **tol, hint=_BACKWARD_HINTS[name])


def check_backward(forward, backward, relu=None, relu_grad=None):
    rng = np.random.default_rng(931)
    for n, d_in, d_hidden, d_out in [(8, 3, 6, 4), (2, 5, 3, 2)]:
        label = (f"backward(params, cache, dlogits) with X ({n}, {d_in}), hidden size {d_hidden}, "
                 f"{d_out} outputs and a random upstream gradient dlogits")
        agreed = _agreeing_forward(forward, relu, rng, n, d_in, d_hidden, d_out, label)
        G = rng.normal(size=(n, d_out))
        if agreed is None:
            _not_a_stub(backward, G, label)
            continue  # the student's forward is wrong everywhere: its own checks carry that
        params, X, cache = agreed
        grads = _as_dict(call(backward, params, cache, G, label=label), label)
        expected = _backward_expected(params, X, G, relu, relu_grad)
        # the reference is also checked against central finite differences of sum(logits * G)
        eps, numeric = 1e-6, {}
        for name in PARAM_KEYS:
            numeric[name] = np.zeros_like(params[name])
            for index in np.ndindex(numeric[name].shape):
                shifted = {k: v.copy() for k, v in params.items()}
                shifted[name][index] += eps
                plus = np.sum(_oracle_logits(shifted, X) * G)
                shifted[name][index] -= 2 * eps
                minus = np.sum(_oracle_logits(shifted, X) * G)
                numeric[name][index] = (plus - minus) / (2 * eps)
        expected.values[0] = numeric
        _assert_gradients(grads, expected, label + " vs finite differences", rtol=1e-5, atol=1e-7)


_BACKWARD_HINTS = {
    "W2": "dW2 = h.T @ dlogits (shape (d_hidden, d_out))",
    "b2": "b2 was added to every row, so db2 = dlogits.sum(axis=0): SUM over the batch (dlogits already holds the 1/n)",
    "W1": "dW1 = X.T @ dz1 with dz1 = (dlogits @ W2.T) * relu_grad(z1): did you forget the relu mask or a transpose?",
    "b1": "db1 = dz1.sum(axis=0), with dz1 = (dlogits @ W2.T) * relu_grad(z1) masked by the relu",
}


def check_backward_contract(forward, backward, relu=None, relu_grad=None):
    rng = np.random.default_rng(932)
    label = "backward(params, cache, dlogits) for a batch of one row, X (1, 4), hidden size 3, 5 outputs"
    agreed = _agreeing_forward(forward, relu, rng, 1, 4, 3, 5, label)
    G = rng.normal(size=(1, 5))
    if agreed is None:
        _not_a_stub(backward, G, label)
        return  # the student's forward is wrong everywhere: its own checks carry that
    params, X, cache = agreed
    grads = _as_dict(assert_inputs_unchanged(backward, params, cache, G, label=label), label)
    for name in PARAM_KEYS:
        assert_equal(np.shape(grads[name]), params[name].shape, label=f"{label}, shape of gradient {name!r}",
                     hint="every gradient has the shape of its parameter; a batch of one row must still give "
                          "db of shape (d,), not (1, d)")
    _assert_gradients(grads, _backward_expected(params, X, G, relu, relu_grad), label, rtol=1e-9, atol=1e-12)
