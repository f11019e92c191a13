"""Hidden checks for the numerical half of ps04_calculus (tolerances: see graders/ps04_calculus.py).

Oracles: hand-derived gradients, scipy.special.expit and central differences written here.
The quadratic form and the chain rule: graders/ps04_calculus_gradients.py.
"""
from __future__ import annotations


import numpy as np
from scipy.special import expit, softmax

from .checks import CheckFailed, assert_close, assert_inputs_unchanged, call, describe, evidence_hint
from .composites import (SKIP, assert_close_any, call_composite, composed, composite_inputs_unchanged,
                         composite_without_warnings, helper_warns)

NUM_TOL = dict(rtol=1e-6, atol=1e-7)
EXACT_TOL = dict(rtol=1e-9, atol=1e-12)


def _fd(f, x, h=1e-6, forward=False):
    """Central differences, the grader's own oracle; with ``forward``, (f(x + h e_i) - f(x)) / h,
    a mistake a hint may name."""
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x)) / h if forward else (f(x + e) - f(x - e)) / (2 * h)
    return g


def _scalar(value, label):
    __tracebackhide__ = True
    if np.ndim(value) != 0:
        raise CheckFailed(f"{label} returned {describe(value)}\n  expected: a single float\n"
                          "  hint: return float(...) of the result")
    return value


# --- numerical_gradient ----------------------------------------------------------------


def check_numgrad_values(numerical_gradient):
    """Vectors, matrices and 3-D arrays against hand-derived gradients."""
    rng = np.random.default_rng(4401)
    x = rng.normal(size=4) + 1.0
    label = "numerical_gradient(f, x) for f(x) = sum(exp(x) * sin(x)) at a random 4-vector"
    def f(v):
        return np.sum(np.exp(v) * np.sin(v))
    got = call(numerical_gradient, f, x, label=label)
    assert_close(got, np.exp(x) * (np.sin(x) + np.cos(x)), label=label, **NUM_TOL,
                 hint=evidence_hint(got, "entry i is the CENTRAL difference (f(x + h e_i) - f(x - h e_i)) / (2h)",
                                    [(_fd(f, x, 1e-5, forward=True), "these are FORWARD differences (f(x + h e_i) - f(x)) / h, "
                                      "accurate only to about h: use central ones")]))
    W, v, y = rng.normal(size=(3, 5)), rng.normal(size=5), rng.normal(size=3)
    label = "numerical_gradient(f, W) for f(W) = sum((W @ v - y)**2) at a random (3, 5) matrix W"
    got = call(numerical_gradient, lambda M: np.sum((M @ v - y) ** 2), W, label=label)
    assert_close(got, 2.0 * np.outer(W @ v - y, v), label=label, **NUM_TOL,
                 hint="perturb one entry at a time over ALL positions (np.ndindex(x.shape)) and return "
                      "an array of x's shape")
    T = rng.normal(size=(2, 3, 2))
    label = "numerical_gradient(f, T) for f(T) = log(sum(exp(T))) at a random (2, 3, 2) array"
    got = call(numerical_gradient, lambda A: np.log(np.sum(np.exp(A))), T, label=label)
    assert_close(got, softmax(T, axis=None), label=label, **NUM_TOL,
                 hint="the gradient must have x's shape, here (2, 3, 2)")


def check_numgrad_contract(numerical_gradient):
    """The step h is used, x is left unchanged, f always sees x's shape."""
    rng = np.random.default_rng(4402)
    x = rng.normal(size=6)
    label = "numerical_gradient(f, x, h=0.1) for f(x) = sum(x**3)"
    got = call(numerical_gradient, lambda v: np.sum(v ** 3), x, h=0.1, label=label)
    assert_close(got, 3 * x ** 2 + 0.1 ** 2, label=label, **EXACT_TOL,
                 hint=evidence_hint(got, "central differences of x^3 with step h give exactly 3x^2 + h^2 (h = 0.1)",
                                    [(3 * x ** 2 + 1e-10, "these are the differences with h = 1e-5: use the h "
                                      "passed in")], rtol=1e-9, atol=1e-12))
    X = np.round(rng.normal(size=(3, 2)), 3) + 0.1
    assert_inputs_unchanged(numerical_gradient, lambda M: np.sum(np.sin(M)), X,
                            label="numerical_gradient(f, X) on a (3, 2) array X")

    def needs_shape(M):
        if np.shape(M) != (2, 3):
            raise ValueError(f"f expects a (2, 3) array, got shape {np.shape(M)}")
        return float(np.sum(M * np.arange(6.0).reshape(2, 3)))

    label = "numerical_gradient(f, M) where f only accepts (2, 3) arrays, f(M) = sum(M * C)"
    got = call(numerical_gradient, needs_shape, np.ones((2, 3)), label=label)
    assert_close(got, np.arange(6.0).reshape(2, 3), label=label, **NUM_TOL,
                 hint="call f with an array of x's shape (perturb a copy of x in place), not a flattened one")


# --- relative_error ------------------------------------------------------------------------


def _rel_oracle(a, b):
    a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
    worst = 0.0
    for u, v in zip(a.ravel(), b.ravel()):
        worst = max(worst, abs(u - v) / max(1e-8, abs(u) + abs(v)))
    return worst


def check_relative_error_values(relative_error):
    """Arrays and numbers against the elementwise definition."""
    rng = np.random.default_rng(4403)
    A = rng.normal(size=(5, 3))
    B = A + rng.normal(scale=1e-3, size=(5, 3)) * np.array([1.0, 10.0, 100.0])
    B[2, 1] = -A[2, 1]  # one entry with the opposite sign: relative error 1
    cases = [("two random (5, 3) arrays, one entry of opposite sign", A, B),
             ("two close random (5, 3) arrays", A, A * (1 + 1e-6)),
             ("the numbers 1.0 and 1.1", 1.0, 1.1),
             ("vectors [1e6, 1.0] and [1e6 + 1, 2.0]", np.array([1e6, 1.0]), np.array([1e6 + 1, 2.0]))]
    for text, a, b in cases:
        label = f"relative_error(a, b) on {text}"
        got = _scalar(call(relative_error, a, b, label=label), label)
        diff, size = np.abs(np.asarray(a) - b), np.abs(a) + np.abs(b)
        norms = max(1e-8, np.linalg.norm(a) + np.linalg.norm(b))
        mistakes = [(np.linalg.norm(np.asarray(a) - b) / norms, "yours divides NORMS: take the ratio elementwise"),
                    (np.mean(diff / np.maximum(1e-8, size)), "yours AVERAGES the ratios: take their maximum"),
                    (np.max(diff / np.maximum(1e-8, np.maximum(np.abs(a), np.abs(b)))), "yours divides by "
                     "max(|a|, |b|): the denominator is max(1e-8, |a| + |b|)")]
        assert_close(got, _rel_oracle(a, b), label=label, **EXACT_TOL, hint=evidence_hint(
            got, "the MAX over elements of |a - b| / max(1e-8, |a| + |b|)", mistakes, rtol=1e-9, atol=1e-12))


def check_relative_error_edge_cases(relative_error):
    """Zeros: the 1e-8 floor avoids 0/0; inputs unchanged."""
    cases = [("two zero (3,) arrays", np.zeros(3), np.zeros(3), "0/0 must not give NaN: the denominator "
              "is max(1e-8, |a| + |b|)"),
             ("[0, 0] and [0, 1e-12]", np.zeros(2), np.array([0.0, 1e-12]),
              "the denominator has a floor of 1e-8, so this is 1e-12 / 1e-8 = 1e-4"),
             ("[0, 2] and [0, 0]", np.array([0.0, 2.0]), np.zeros(2), "an entry against zero has error 1")]
    for text, a, b, hint in cases:
        label = f"relative_error(a, b) on {text}"
        got = _scalar(call(relative_error, a, b, label=label), label)
        assert_close(got, _rel_oracle(a, b), label=label, **EXACT_TOL, hint=hint)
    rng = np.random.default_rng(4404)
    assert_inputs_unchanged(relative_error, rng.normal(size=4), rng.normal(size=4),
                            label="relative_error(a, b) on two random 4-vectors")


# --- sigmoid and sigmoid_grad ------------------------------------------------------------


def _sigmoid_grad_oracle(x):
    s = expit(x)
    return s * (1 - s)


def _check_elementwise(fn, name, oracle, hint, helpers=None):
    """Random arrays and single numbers; ``helpers`` (name -> (reference, student's)) make
    ``oracle(x, **helpers)`` a composite's accepted values."""
    __tracebackhide__ = True
    helpers = helpers or {}
    reference = {key: ref for key, (ref, _) in helpers.items()}
    student = {key: own for key, (_, own) in helpers.items()}
    rng = np.random.default_rng(4405)
    X = rng.normal(scale=5.0, size=(3, 4))
    label = f"{name}(X) on a random (3, 4) array"
    expected = composed(lambda **h: oracle(X, **h), reference, student)
    assert_close_any(call_composite(fn, X, label=label, expected=expected), expected, label=label,
                     rtol=1e-9, atol=1e-12, hint=hint)
    label = f"{name}(x) on the numbers 0.0, 2.5 and -30.0"
    for value in (0.0, 2.5, -30.0):
        expected = composed(lambda **h: np.asarray(oracle(value, **h), dtype=float).reshape(()), reference, student)
        got = call_composite(fn, value, label=label, expected=expected)
        assert_close_any(got if got is SKIP else np.asarray(got).reshape(()), expected, label=label,
                         rtol=1e-9, atol=1e-14, hint=hint)


def _check_stable(fn, name, oracle, helpers=None):
    __tracebackhide__ = True
    helpers = helpers or {}
    x = np.linspace(-1000.0, 1000.0, 2001)
    label = f"{name}(x) on 2001 points from -1000 to 1000"
    hint = ("np.exp(-x) overflows for x < -709 (and exp(x) for x > 709): use exp(-|x|), which lies in (0, 1], "
            "with 1/(1 + z) for x >= 0 and z/(1 + z) for x < 0")
    reference = {key: ref for key, (ref, _) in helpers.items()}
    student = {key: own for key, (_, own) in helpers.items()}
    expected = composed(lambda **h: oracle(x, **h), reference, student)
    expected.helper_broken |= any(helper_warns(own, x) for own in student.values())
    got = composite_without_warnings(fn, x, label=label, hint=hint, expected=expected)
    try:
        finite = got is SKIP or bool(np.all(np.isfinite(np.asarray(got, dtype=float))))
    except (TypeError, ValueError):
        finite = True
    assert_close_any(got, expected, label=label, rtol=1e-9, atol=1e-12,
                     hint=f"expected {name} of each point" + ("" if finite else "; NaN or inf entries: " + hint))
    small = x[::-97].copy()

    def untouched(**h):
        copy = small.copy()
        oracle(copy, **h)
        if not np.array_equal(copy, small):
            raise ValueError("a helper changed its input in place")
    composite_inputs_unchanged(fn, small, label=f"{name}(x) on a 21-point array",
                               expected=composed(untouched, reference, student))


def _sigmoid_grad_of(x, sigmoid=expit):
    """s * (1 - s), with SciPy's expit or the student's own sigmoid."""
    s = np.asarray(sigmoid(x), dtype=float)
    return s * (1 - s)


def check_sigmoid_values(sigmoid):
    _check_elementwise(sigmoid, "sigmoid", expit, hint="sigmoid(x) = 1 / (1 + exp(-x)), elementwise")


def check_sigmoid_stable(sigmoid):
    _check_stable(sigmoid, "sigmoid", expit)


def check_sigmoid_grad_values(sigmoid_grad, sigmoid=None):
    """Against expit * (1 - expit), or s * (1 - s) with the student's own sigmoid."""
    helpers = {"sigmoid": (expit, sigmoid)}
    _check_elementwise(sigmoid_grad, "sigmoid_grad", _sigmoid_grad_of, helpers=helpers,
                       hint="sigmoid_grad(x) = s * (1 - s) with s = sigmoid(x)")
    x = np.linspace(-4, 4, 9)
    label = "sigmoid_grad(x) compared with finite differences of expit"
    expected = composed(lambda sigmoid: (expit(x + 1e-6) - expit(x - 1e-6)) / 2e-6 if sigmoid is expit
                        else _sigmoid_grad_of(x, sigmoid), {"sigmoid": expit}, {"sigmoid": sigmoid})
    assert_close_any(call_composite(sigmoid_grad, x, label=label, expected=expected), expected, label=label,
                     rtol=1e-6, atol=1e-9, hint="the derivative of the sigmoid is s * (1 - s)")


def check_sigmoid_grad_stable(sigmoid_grad, sigmoid=None):
    """No warning on [-1000, 1000] unless the student's own sigmoid warns there; input unchanged."""
    _check_stable(sigmoid_grad, "sigmoid_grad", _sigmoid_grad_of, helpers={"sigmoid": (expit, sigmoid)})
