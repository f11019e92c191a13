"""Hidden checks of ps04_calculus's gradients of a quadratic form and of a small network by the chain
rule (tolerances: see graders/ps04_calculus.py). Oracles: finite differences written in
graders/ps04_calculus_numeric.py and SymPy's derivative of the chain-rule network.
"""
from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.special import expit

from .checks import assert_close, assert_inputs_unchanged, call, evidence_hint
from .composites import SKIP, Composed, assert_close_any, call_composite, composed
from .ps04_calculus_numeric import EXACT_TOL, _fd, _scalar


# --- quadratic_form_grad ----------------------------------------------------------------


def check_quadratic_values(quadratic_form_grad):
    """Non-symmetric, symmetric and 1x1 matrices against finite differences of x^T A x."""
    rng = np.random.default_rng(4406)
    for n, kind in [(5, "non-symmetric"), (3, "symmetric"), (1, "1x1"), (4, "antisymmetric plus identity")]:
        A = rng.normal(size=(n, n))
        if kind == "symmetric":
            A = A + A.T
        if kind.startswith("antisymmetric"):
            A = A - A.T + np.eye(n)
        x = rng.normal(size=n)
        label = f"quadratic_form_grad(A, x) with a random {kind} ({n}, {n}) matrix A"
        got = call(quadratic_form_grad, A.copy(), x.copy(), label=label)  # the contract check looks at mutation
        hint = evidence_hint(got, "the gradient of x^T A x is (A + A^T) x", [
            (2 * A @ x, "yours is 2 A x, which is right only when A is symmetric"),
            (2 * A.T @ x, "yours is 2 A^T x, which is right only when A is symmetric"),
            (A @ x, "yours is A x: both A and A^T contribute, (A + A^T) x")])
        assert_close(got, _fd(lambda v: v @ A @ v, x), label=label, rtol=1e-6, atol=1e-8, hint=hint)
        assert_close(got, np.einsum("ij,j->i", A, x) + np.einsum("ji,j->i", A, x), label=label,
                     **EXACT_TOL, hint=hint)


def check_quadratic_contract(quadratic_form_grad):
    """Nested lists accepted, inputs unchanged."""
    label = "quadratic_form_grad(A, x) with A = [[1, 2], [0, 3]] and x = [1, -1] as lists"
    got = call(quadratic_form_grad, [[1, 2], [0, 3]], [1, -1], label=label)
    assert_close(got, [0.0, -4.0], label=label, **EXACT_TOL,
                 hint="convert with np.asarray(..., dtype=float); (A + A^T) x = [[2, 2], [2, 6]] @ [1, -1]")
    rng = np.random.default_rng(4407)
    assert_inputs_unchanged(quadratic_form_grad, rng.normal(size=(4, 4)), rng.normal(size=4),
                            label="quadratic_form_grad(A, x) with a random (4, 4) matrix")


# --- chain_rule_grad_w1 -------------------------------------------------------------------

_X, _W1, _B, _W2 = sp.symbols("X W1 B W2")
_DL_DW1 = sp.lambdify((_X, _W1, _B, _W2),
                      sp.diff((_W2 / (1 + sp.exp(-(_W1 * _X + _B)))) ** 2, _W1), "math")


def _dl_dw1(x, w1, b, w2, sigmoid=None, sigmoid_grad=None):
    """SymPy's derivative with the right sigmoid; the hand-derived 2y * w2 * a(1 - a) * x with
    the student's own sigmoid (and sigmoid_grad for a(1 - a)), which the answer may call."""
    if sigmoid is None and sigmoid_grad is None:
        return _DL_DW1(x, w1, b, w2)
    z = w1 * x + b
    a = float(np.asarray((sigmoid or expit)(z), dtype=float))
    slope = a * (1 - a) if sigmoid_grad is None else float(np.asarray(sigmoid_grad(z), dtype=float))
    return 2 * w2 * a * w2 * slope * x


def check_chain_rule(chain_rule_grad_w1, sigmoid=None, sigmoid_grad=None):
    """New parameter values against SymPy's derivative and finite differences (or the chain rule
    with the student's own sigmoid)."""
    def loss(x, w1, b, w2):
        return (w2 * expit(w1 * x + b)) ** 2

    for x, w1, b, w2 in [(-1.5, 0.8, 0.3, 2.0), (0.7, -2.0, 1.0, 1.5), (3.0, 1.2, -4.0, -0.5),
                         (1.0, 0.0, 0.0, 1.0), (0.0, 1.3, -0.2, 0.9), (-2.2, -0.4, 2.5, -3.0)]:
        label = f"chain_rule_grad_w1(x={x}, w1={w1}, b={b}, w2={w2})"
        expected = composed(lambda **h: _dl_dw1(x, w1, b, w2, **h), {"sigmoid": None, "sigmoid_grad": None},
                            {"sigmoid": sigmoid, "sigmoid_grad": sigmoid_grad})
        got = call_composite(chain_rule_grad_w1, x, w1, b, w2, label=label, expected=expected)
        if got is SKIP:
            continue
        got = _scalar(got, label)
        hint = ("dL/dw1 = dL/dy * dy/da * da/dz * dz/dw1 = 2y * w2 * a(1 - a) * x with a = sigmoid(w1 x + b); "
                "check that every factor is there")
        assert_close_any(got, expected, label=label, **EXACT_TOL, hint=hint)
        fd = (loss(x, w1 + 1e-6, b, w2) - loss(x, w1 - 1e-6, b, w2)) / 2e-6
        assert_close_any(got, Composed([fd, *expected.values[1:]], expected.helper_broken),
                         label=label + " against finite differences", rtol=1e-5, atol=1e-8, hint=hint)
