"""Hidden checks of ps09_backprop's train. Oracle: gradient descent written here, on the helpers.

- train_step: three epochs compared with oracle gradient steps (rtol 1e-6) from the student's own
  init_params, once with given arguments and once with the defaults (d_hidden=64, learning_rate=1.0,
  seed=0; n_epochs=3 to stay fast).
- train_spiral: the defaults on a spiral drawn with another seed, >= 95% training accuracy in 10 s.

One function, one blame (graders/checks.py): the steps are built on the student's forward,
softmax_cross_entropy and backward too (forward and backward swapped together: backward reads
forward's cache), and the accuracy target applies only when those helpers are right.
"""
from __future__ import annotations

import numpy as np

from .checks import CheckFailed, NotImplementedYet, assert_close, assert_equal, assert_fast, call, fail
from .composites import SKIP, call_composite, composed
from .ps09_backprop import (PARAM_KEYS, _as_dict, _oracle_backward, _oracle_forward, _oracle_logits,
                            _oracle_softmax_cross_entropy, _random_params)


def _train_oracle(start, X, y, lr, n_epochs, forward, softmax_cross_entropy, backward):
    """n_epochs of gradient descent built on the given helpers: (losses, params)."""
    params, losses = dict(start), []
    for _ in range(n_epochs):
        logits, cache = forward(params, X)
        loss, dlogits = softmax_cross_entropy(logits, y)
        grads = backward(params, cache, dlogits)
        losses.append(float(loss))
        params = {k: params[k] - lr * np.asarray(grads[k], dtype=float) for k in PARAM_KEYS}
    return losses, params


_TRAIN_HELPERS = {"forward": _oracle_forward, "softmax_cross_entropy": _oracle_softmax_cross_entropy,
                  "backward": _oracle_backward}
# forward and backward are swapped together: backward reads forward's cache
_TRAIN_SWAPS = [["softmax_cross_entropy"], ["forward", "backward"]]


def _trained(start, X, y, lr, n_epochs, helpers):
    return composed(lambda **h: _train_oracle(start, X, y, lr, n_epochs, **h), _TRAIN_HELPERS, helpers,
                    swaps=_TRAIN_SWAPS)


def check_train_step(train, init_params, forward=None, softmax_cross_entropy=None, backward=None):
    rng = np.random.default_rng(951)
    X, y = rng.normal(size=(10, 3)), np.array([0, 1, 2, 3, 0, 1, 2, 3, 3, 1])
    helpers = {"forward": forward, "softmax_cross_entropy": softmax_cross_entropy, "backward": backward}
    d_hidden, lr, seed = 5, 0.3, 4
    _check_train_run(train, init_params, X, y, helpers, d_hidden, lr, seed,
                     dict(d_hidden=d_hidden, learning_rate=lr, n_epochs=3, seed=seed),
                     "start from init_params(d_in, d_hidden, max(y) + 1, seed) and record one loss per epoch, "
                     "computed BEFORE that epoch's update")
    _check_train_run(train, init_params, X, y, helpers, 64, 1.0, 0, dict(n_epochs=3),
                     "the defaults are d_hidden=64, learning_rate=1.0 and seed=0 (the first epoch's loss shows the "
                     "start, init_params(d_in, 64, max(y) + 1, seed=0))")


def _check_train_run(train, init_params, X, y, helpers, d_hidden, lr, seed, kwargs, hint):
    """train(X, y, **kwargs) against gradient descent from the student's own init_params, built on
    the student's forward, loss and backward (or the right ones)."""
    d_in, c = X.shape[1], int(y.max()) + 1
    start = {k: np.asarray(v, dtype=float) for k, v in call(
        init_params, d_in, d_hidden, c, seed=seed, label=f"init_params({d_in}, {d_hidden}, {c}, seed={seed})").items()}
    expected = _trained(start, X, y, lr, kwargs["n_epochs"], helpers)
    arguments = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    label = f"train(X, y, {arguments}) on X {X.shape}, {c} classes"
    result = call_composite(train, X, y, label=label, expected=expected, **kwargs)
    if result is SKIP:
        return
    if not isinstance(result, tuple) or len(result) != 2:
        fail(label, "a tuple (params, losses)", result, "return params, losses")
    params, losses = result
    params = _as_dict(params, label)
    # the losses and the parameters must come from one and the same composition
    for (expected_losses, expected_params) in expected.values:
        try:
            assert_close(np.asarray(losses, dtype=float).ravel(), expected_losses, label=label, hint="",
                         rtol=1e-6, atol=1e-9)
            for name in PARAM_KEYS:
                assert_close(params[name], expected_params[name], label=label, hint="", rtol=1e-6, atol=1e-9)
            return
        except CheckFailed:
            continue
    if expected.helper_broken:
        return
    expected_losses, expected_params = expected.values[0]
    assert_close(np.asarray(losses, dtype=float).ravel(), expected_losses, label=label + ", the losses",
                 rtol=1e-6, atol=1e-9, hint=hint)
    for name in PARAM_KEYS:
        assert_close(params[name], expected_params[name],
                     label=f"{label}, parameter {name!r} after {kwargs['n_epochs']} epochs", rtol=1e-6, atol=1e-9,
                     hint="each epoch: p <- p - learning_rate * grad for EVERY parameter, biases included"
                          + ("" if "learning_rate" in kwargs else "; learning_rate defaults to 1.0"))


def _spiral(seed, n_per_class=100, n_classes=3, noise=0.2):
    rng = np.random.default_rng(seed)
    X = np.zeros((n_per_class * n_classes, 2))
    y = np.repeat(np.arange(n_classes), n_per_class)
    for c in range(n_classes):
        r = np.linspace(0.0, 1.0, n_per_class)
        t = np.linspace(4.0 * c, 4.0 * (c + 1), n_per_class) + rng.normal(scale=noise, size=n_per_class)
        X[y == c] = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return X, y


def _helpers_right(X, y, helpers):
    """Whether the student's forward, loss and backward give the reference's first step
    on this problem (train's accuracy target is only fair on them)."""
    rng = np.random.default_rng(961)
    start = _random_params(rng, X.shape[1], 8, int(y.max()) + 1)
    expected = _trained(start, X, y, 1.0, 1, helpers)
    if expected.helper_broken:
        return False
    (ref_losses, ref_params), (own_losses, own_params) = expected.values[:2]
    return np.allclose(ref_losses, own_losses, rtol=1e-6) and all(
        np.allclose(ref_params[k], own_params[k], rtol=1e-6, atol=1e-9) for k in PARAM_KEYS)


def check_train_spiral(train, forward=None, softmax_cross_entropy=None, backward=None):
    X, y = _spiral(seed=2024)
    label = "train(X, y) with the defaults on a 300-point three-class spiral drawn with another seed"
    helpers_right = _helpers_right(X, y, {"forward": forward, "softmax_cross_entropy": softmax_cross_entropy,
                                          "backward": backward})
    try:
        params, losses = assert_fast(train, X, y, label=label, limit=10.0, check_inputs=True,
                                     expected="under 10 s (the reference takes about 0.5 s)",
                                     hint="use whole-batch matrix products, no Python loops over samples")
    except NotImplementedYet:
        raise
    except CheckFailed:
        if helpers_right:
            raise
        return  # train fails on the student's own broken helpers: their checks carry that blame
    params = _as_dict(params, label)
    assert_equal(len(losses), 2000, label=label + ", number of losses", hint="n_epochs defaults to 2000")
    assert_equal(np.shape(params["W1"]), (2, 64), label=label + ", shape of W1", hint="d_hidden defaults to 64")
    if not helpers_right:
        return  # a wrong helper cannot reach the target; the helper's own checks carry that blame
    accuracy = float(np.mean(np.argmax(_oracle_logits(params, X), axis=1) == y))
    if not accuracy >= 0.95:
        fail(label, "training accuracy >= 0.95", accuracy,
             "check learning_rate defaults to 1.0, every parameter (biases too) is updated, "
             "and the update subtracts the gradient", problem="accuracy too low")
