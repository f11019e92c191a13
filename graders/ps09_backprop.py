"""Hidden checks for ps09_backprop. Oracles: scipy.special, einsum and finite differences.

Tolerances:
- relu, forward, predict: exact formulas, compared with rtol 1e-10 / atol 1e-12.
- softmax_cross_entropy: loss against scipy.special.log_softmax (rtol 1e-9); dlogits
  against the closed form (softmax - onehot) / n (atol 1e-12) and against central
  finite differences of the loss (eps 1e-6, atol 1e-7: the truncation error is ~1e-12,
  a gradient missing the 1/n is off by ~1e-2).
- backward: see graders/ps09_backprop_backward.py.
- init_params: statistics on ~100,000 draws: sample std within 4% of sqrt(2/fan_in)
  (sampling error ~0.3%), |mean| < 0.05 std, excess kurtosis in [-0.3, 0.3] (normal: 0,
  uniform: -1.2).
- train: see graders/ps09_backprop_train.py.

One function, one blame (graders/checks.py): forward is checked against the oracle
composed with the student's relu too, backward with the student's relu and relu_grad
(and on inputs where the student's forward agrees with the oracle, since backward
reads forward's cache), predict with the student's forward.
"""
from __future__ import annotations


import numpy as np
from scipy.special import log_softmax, softmax

from .checks import (CheckFailed, assert_close, assert_equal, assert_inputs_unchanged, call,
                     describe, fail)
from .composites import (SKIP, assert_close_any, assert_equal_any, call_composite, composed,
                         composite_inputs_unchanged)

EXACT = dict(rtol=1e-10, atol=1e-12)
PARAM_KEYS = ("W1", "b1", "W2", "b2")


def _relu(x):
    return np.maximum(x, 0.0)


def _relu_grad(x):
    return (np.asarray(x) > 0).astype(float)


def _oracle_logits(params, X, relu=_relu):
    z1 = np.einsum("ni,ij->nj", X, params["W1"]) + params["b1"]
    h = np.asarray(relu(z1), dtype=float)
    if h.shape != z1.shape:
        raise ValueError("relu changed the shape")
    return np.einsum("nj,jc->nc", h, params["W2"]) + params["b2"]


def _oracle_forward(params, X, relu=_relu):
    z1 = X @ params["W1"] + params["b1"]
    return _oracle_logits(params, X, relu), (X, z1)


def _oracle_backward(params, cache, dlogits, relu=_relu, relu_grad=_relu_grad):
    X, z1 = cache
    h = np.asarray(relu(z1), dtype=float)
    dz1 = (dlogits @ params["W2"].T) * np.asarray(relu_grad(z1), dtype=float)
    return {"W1": X.T @ dz1, "b1": dz1.sum(0), "W2": h.T @ dlogits, "b2": dlogits.sum(0)}


def _oracle_softmax_cross_entropy(logits, y):
    n, c = logits.shape
    return _oracle_loss(logits, y), (softmax(logits, axis=1) - np.eye(c)[y]) / n


def _oracle_loss(logits, y):
    return float(-np.mean(log_softmax(logits, axis=1)[np.arange(len(y)), y]))


def _random_params(rng, d_in, d_hidden, d_out):
    return {"W1": rng.normal(size=(d_in, d_hidden)), "b1": rng.normal(size=d_hidden),
            "W2": rng.normal(size=(d_hidden, d_out)), "b2": rng.normal(size=d_out)}


def _as_dict(value, label):
    if not isinstance(value, dict) or set(value) != set(PARAM_KEYS):
        keys = sorted(value) if isinstance(value, dict) else type(value).__name__
        raise CheckFailed(f"{label} returned {describe(keys)}\n  expected: a dict with keys "
                          f"{list(PARAM_KEYS)}\n  hint: return {{'W1': ..., 'b1': ..., 'W2': ..., 'b2': ...}}")
    return value


# --- relu --------------------------------------------------------------------


def check_relu_values(relu, relu_grad):
    rng = np.random.default_rng(901)
    for shape in [(7,), (4, 5), (2, 3, 6)]:
        x = rng.normal(size=shape) * 3
        label = f"relu(x) on a random array of shape {shape}"
        assert_close(call(relu, x, label=label), np.where(x > 0, x, 0.0), label=label, **EXACT,
                     hint="relu(x) = max(x, 0) elementwise (np.maximum, not np.max)")
        label = f"relu_grad(x) on a random array of shape {shape}"
        assert_close(call(relu_grad, x, label=label), (x > 0).astype(float), label=label, **EXACT,
                     hint="the derivative of relu is 1 where x > 0 and 0 where x < 0, not relu(x) itself")
    x = [[-3, 2], [0, 5]]
    label = "relu(x) on the nested integer list [[-3, 2], [0, 5]]"
    got = call(relu, x, label=label)
    assert_close(got, [[0.0, 2.0], [0.0, 5.0]], label=label, **EXACT, hint="convert with np.asarray(x, dtype=float)")
    if np.asarray(got).dtype.kind != "f":
        fail(label, "a float array", got, "return floats: np.asarray(x, dtype=float) before np.maximum")
    label = "relu_grad(x) on the nested integer list [[-3, 2], [0, 5]]"
    got = call(relu_grad, x, label=label)
    assert_close(got, [[0.0, 1.0], [0.0, 1.0]], label=label, **EXACT, hint="1.0 where x > 0, else 0.0")
    if np.asarray(got).dtype.kind != "f":
        fail(label, "a float array", got, "return floats, e.g. (x > 0).astype(float), not booleans")


def check_relu_contract(relu, relu_grad):
    x = np.array([-1.0, -0.0, 0.0, 1e-300, 2.0])
    label = "relu_grad(x) for x = [-1, -0.0, 0, 1e-300, 2]"
    assert_close(call(relu_grad, x, label=label), [0.0, 0.0, 0.0, 1.0, 1.0], label=label, **EXACT,
                 hint="the contract sets relu_grad(0) = 0: use x > 0, not x >= 0")
    label = "relu(x) for x = [-1, -0.0, 0, 1e-300, 2]"
    assert_close(call(relu, x, label=label), [0.0, 0.0, 0.0, 1e-300, 2.0], label=label, rtol=1e-12, atol=0,
                 hint="relu keeps positive values exactly")
    rng = np.random.default_rng(902)
    a = rng.normal(size=(3, 4))
    assert_inputs_unchanged(relu, a, label="relu(x) on a (3, 4) array")
    assert_inputs_unchanged(relu_grad, a, label="relu_grad(x) on a (3, 4) array")


# --- softmax_cross_entropy -----------------------------------------------------


def check_softmax_cross_entropy_values(softmax_cross_entropy):
    rng = np.random.default_rng(911)
    for n, c in [(1, 2), (5, 3), (40, 7)]:
        logits = rng.normal(size=(n, c)) * 2
        y = rng.integers(0, c, size=n)
        label = f"softmax_cross_entropy(logits, y) on random ({n}, {c}) logits"
        result = call(softmax_cross_entropy, logits, y, label=label)
        if not isinstance(result, tuple) or len(result) != 2:
            fail(label, "a tuple (loss, dlogits)", result, "return loss, dlogits")
        loss, dlogits = result
        if np.ndim(loss) != 0:
            fail(label, "a scalar loss", loss, "the loss is the MEAN over rows: a single number")
        assert_close(loss, _oracle_loss(logits, y), label=label + ", the loss", rtol=1e-9, atol=1e-12,
                     hint="loss = mean over rows of -log softmax(logits)[i, y_i] in nats (natural log); "
                          "did you sum instead of averaging?")
        onehot = np.eye(c)[y]
        assert_close(dlogits, (softmax(logits, axis=1) - onehot) / n, label=label + ", dlogits",
                     rtol=1e-9, atol=1e-12,
                     hint="dlogits = (softmax(logits) - onehot(y)) / n: did you forget to divide by n?")
    # finite-difference cross-check on one batch
    logits, y = rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
    label = "softmax_cross_entropy(logits, y) on random (6, 4) logits, dlogits vs finite differences"
    _, dlogits = call(softmax_cross_entropy, logits, y, label=label)
    eps, numeric = 1e-6, np.zeros_like(logits)
    for index in np.ndindex(logits.shape):
        plus, minus = logits.copy(), logits.copy()
        plus[index] += eps
        minus[index] -= eps
        numeric[index] = (_oracle_loss(plus, y) - _oracle_loss(minus, y)) / (2 * eps)
    assert_close(dlogits, numeric, label=label, rtol=1e-5, atol=1e-7,
                 hint="dlogits must be the gradient of the MEAN loss: (softmax - onehot) / n")


def check_softmax_cross_entropy_stability(softmax_cross_entropy):
    cases = [
        ("[[1e4, 0, -1e4], [0, 1e4, 5]] with y = [1, 1]", np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 5.0]]), [1, 1]),
        ("[[-1e4, -1e4 + 2]] with y = [0]", np.array([[-1e4, -1e4 + 2.0]]), [0]),
        ("[[5000, 5000, 5000]] with y = [2]", np.array([[5000.0, 5000.0, 5000.0]]), [2]),
    ]
    for text, logits, y in cases:
        label = f"softmax_cross_entropy(logits, y) for logits {text}"
        loss, dlogits = call(softmax_cross_entropy, logits, np.array(y), label=label)
        y = np.array(y)
        assert_close(loss, _oracle_loss(logits, y), label=label + ", the loss", rtol=1e-9, atol=1e-9,
                     hint="subtract each row's max and use log p = z - logsumexp(z); log(softmax + 1e-10) "
                          "or a plain np.exp overflow/underflow for logits this large")
        assert_close(dlogits, (softmax(logits, axis=1) - np.eye(logits.shape[1])[y]) / len(y),
                     label=label + ", dlogits", rtol=1e-9, atol=1e-12,
                     hint="compute softmax stably (subtract the row max before np.exp)")
    label = "softmax_cross_entropy(logits, y) with nested lists"
    loss, _ = call(softmax_cross_entropy, [[0.0, 1.0], [2.0, 0.0]], [1, 0], label=label)
    assert_close(loss, np.log1p(np.exp(-1.0)) * 1.0 / 2 + np.log1p(np.exp(-2.0)) / 2, label=label,
                 rtol=1e-9, atol=1e-12, hint="convert with np.asarray(logits, dtype=float), np.asarray(y)")
    rng = np.random.default_rng(912)
    logits, y = rng.normal(size=(4, 3)), rng.integers(0, 3, size=4)
    assert_inputs_unchanged(softmax_cross_entropy, logits, y,
                            label="softmax_cross_entropy(logits, y) on (4, 3) logits")


# --- init_params ---------------------------------------------------------------


def check_init_params_statistics(init_params):
    for d_in, d_hidden, d_out, seed in [(400, 250, 200, 0), (30, 3000, 40, 11)]:
        label = f"init_params({d_in}, {d_hidden}, {d_out}, seed={seed})"
        params = _as_dict(call(init_params, d_in, d_hidden, d_out, seed=seed, label=label), label)
        for name, fan_in in [("W1", d_in), ("W2", d_hidden)]:
            W = np.asarray(params[name], dtype=float)
            std = np.sqrt(2.0 / fan_in)
            what = f"{label}[{name!r}] ({W.size} weights, fan_in {fan_in})"
            if abs(W.std() - std) > 0.04 * std:
                fail(what, f"standard deviation sqrt(2 / {fan_in}) = {std:.5f}", f"{W.std():.5f}",
                     "He-normal: std = sqrt(2 / fan_in), fan_in = number of ROWS of the matrix "
                     "(not 1, not 1/fan_in, not the number of columns)", problem="wrong spread")
            if abs(W.mean()) > 0.05 * std:
                fail(what, "mean 0", f"{W.mean():.5f}", "draw from a normal centred at 0",
                     problem="not centred")
            z = W.ravel() - W.mean()
            k = float(np.mean(z ** 4) / np.mean(z ** 2) ** 2 - 3.0)
            if abs(k) > 0.3:
                fail(what, "excess kurtosis near 0 (normal distribution)", f"{k:.3f}",
                     "the weights should be NORMAL (rng.normal), not uniform (uniform has kurtosis -1.2)",
                     problem="the distribution does not look normal")


def check_init_params_contract(init_params):
    label = "init_params(7, 5, 4, seed=3)"
    params = _as_dict(call(init_params, 7, 5, 4, seed=3, label=label), label)
    shapes = {k: np.shape(params[k]) for k in PARAM_KEYS}
    assert_equal(shapes, {"W1": (7, 5), "b1": (5,), "W2": (5, 4), "b2": (4,)}, label=label,
                 hint="W1 (d_in, d_hidden), b1 (d_hidden,), W2 (d_hidden, d_out), b2 (d_out,)")
    for name in ("b1", "b2"):
        assert_close(params[name], np.zeros(np.shape(params[name])), label=f"{label}[{name!r}]", **EXACT,
                     hint="biases start at exactly zero")
    again = _as_dict(call(init_params, 7, 5, 4, seed=3, label=label + " called twice"), label)
    for name in ("W1", "W2"):
        assert_close(again[name], params[name], label=f"{label}[{name!r}], second call", rtol=0, atol=0,
                     hint="use a local np.random.default_rng(seed): the same seed must give the same weights")
    other = _as_dict(call(init_params, 7, 5, 4, seed=4, label="init_params(7, 5, 4, seed=4)"), label)
    if np.array_equal(np.asarray(other["W1"]), np.asarray(params["W1"])):
        fail("init_params(7, 5, 4, seed=4) vs seed=3", "different W1", "identical W1",
             "pass `seed` to np.random.default_rng(seed) instead of ignoring it")
    default = _as_dict(call(init_params, 7, 5, 4, label="init_params(7, 5, 4)"), label)
    zero = _as_dict(call(init_params, 7, 5, 4, seed=0, label="init_params(7, 5, 4, seed=0)"), label)
    assert_close(default["W1"], zero["W1"], label="init_params(7, 5, 4) vs seed=0", rtol=0, atol=0,
                 hint="seed defaults to 0")


# --- forward / backward / predict ---------------------------------------------------


def _forward_logits(forward, params, X, label, expected=None):
    result = call(forward, params, X, label=label) if expected is None else \
        call_composite(forward, params, X, label=label, expected=expected)
    if result is SKIP:
        return SKIP, None
    if not isinstance(result, tuple) or len(result) != 2:
        fail(label, "a tuple (logits, cache)", result, "return logits, cache")
    return result


def check_forward(forward, relu=None):
    rng = np.random.default_rng(921)
    for n, d_in, d_hidden, d_out in [(1, 3, 4, 2), (9, 5, 7, 3), (50, 2, 16, 6)]:
        params, X = _random_params(rng, d_in, d_hidden, d_out), rng.normal(size=(n, d_in))
        label = f"forward(params, X) with X ({n}, {d_in}), hidden size {d_hidden}, {d_out} outputs"
        expected = composed(lambda relu: _oracle_logits(params, X, relu), {"relu": _relu}, {"relu": relu})
        logits, _ = _forward_logits(forward, params, X, label, expected)
        assert_close_any(logits, expected, label=label, **EXACT,
                         hint="h = relu(X @ W1 + b1) (both biases, relu on the hidden layer only), logits = h @ W2 + b2")
    params, X = _random_params(rng, 3, 4, 2), rng.normal(size=(5, 3))
    assert_inputs_unchanged(forward, params, X, label="forward(params, X) with X (5, 3)")


def check_predict(predict, forward=None):
    rng = np.random.default_rng(941)
    for n, d_in, d_hidden, d_out in [(12, 3, 5, 4), (1, 2, 3, 6), (30, 4, 8, 2)]:
        params, X = _random_params(rng, d_in, d_hidden, d_out), rng.normal(size=(n, d_in))
        label = f"predict(params, X) with X ({n}, {d_in}) and {d_out} classes"
        expected = composed(lambda forward: np.argmax(np.asarray(forward(params, X)[0], dtype=float), axis=1),
                            {"forward": _oracle_forward}, {"forward": forward})
        got = call_composite(predict, params, X, label=label, expected=expected)
        if got is SKIP:
            continue
        assert_equal(np.shape(got), (n,), label=label + ", the shape",
                     hint="one label per row: np.argmax(logits, axis=1)")
        if np.asarray(got).dtype.kind not in "iu":
            fail(label, "an integer array", got, "return class indices (np.argmax gives integers), not scores")
        assert_equal_any(np.asarray(got), expected, label=label,
                         hint="the predicted class is the column of the largest logit in each row (axis=1)")
    params, X = _random_params(rng, 3, 4, 3), rng.normal(size=(6, 3))
    expected = composed(lambda forward: np.argmax(np.asarray(forward(params, X)[0], dtype=float), axis=1),
                        {"forward": _oracle_forward}, {"forward": forward})
    composite_inputs_unchanged(predict, params, X, label="predict(params, X) with X (6, 3)", expected=expected)
