"""Hidden checks for ps04_calculus.

Oracles: SymPy computed here, independently (sympy.solve + a numeric reality filter,
sympy.derive_by_array, sympy.hessian, exact eigenvalues), scipy.special.expit, central
finite differences written here, and the hand-derived chain rule checked against SymPy.

Tolerances:
- symbolic results must agree exactly: sympy.simplify(got - expected) == 0 per entry;
  critical points are compared numerically (1e-9), so 1.4142135623730951 and sqrt(2)
  are both accepted.
- numerical_gradient: rtol 1e-6, atol 1e-7. Central differences with h = 1e-5 are
  accurate to ~1e-9 here; forward differences miss by ~1e-5 on the chosen functions.
- sigmoid / sigmoid_grad: rtol 1e-9, atol 1e-12 against expit (a stable formula agrees
  to ~1e-16); any RuntimeWarning (overflow) fails the stability checks.
- quadratic_form_grad and chain_rule_grad_w1: rtol 1e-9 against exact formulas, plus
  finite-difference cross-checks at rtol 1e-6.
"""
from __future__ import annotations

import sympy as sp

from .checks import CheckFailed, call, describe, fail
from .composites import assert_equal_any, call_composite, composed
from .ps04_calculus_numeric import (check_chain_rule, check_numgrad_contract,  # noqa: F401 - re-exported
                                    check_numgrad_values, check_quadratic_contract, check_quadratic_values,
                                    check_relative_error_edge_cases, check_relative_error_values,
                                    check_sigmoid_grad_stable, check_sigmoid_grad_values,
                                    check_sigmoid_stable, check_sigmoid_values)

p, q, r, s, t, a = sp.symbols("p q r s t a")


def _same_expr(got, expected) -> bool:
    try:
        return sp.simplify(sp.sympify(got) - expected) == 0
    except Exception:  # noqa: BLE001 - anything non-symbolic is a mismatch
        return False


def _check_matrix(got, expected: sp.Matrix, label: str, hint: str) -> None:
    __tracebackhide__ = True
    if not isinstance(got, sp.MatrixBase):
        raise CheckFailed(f"{label} returned {type(got).__name__}: {describe(got)}\n"
                          f"  expected: a sympy.Matrix of shape {expected.shape}\n"
                          "  hint: build the result with sympy.Matrix([...])")
    if got.shape != expected.shape:
        fail(label, f"shape {expected.shape}", f"shape {got.shape}", hint, problem="wrong shape")
    for i in range(expected.rows):
        for j in range(expected.cols):
            if not _same_expr(got[i, j], expected[i, j]):
                fail(label, expected[i, j], got[i, j], hint, problem=f"entry [{i}, {j}] differs")


# --- critical_points ------------------------------------------------------------


def _real_sorted(values):
    real = [v for v in values if abs(complex(sp.N(v, 30)).imag) < 1e-20]
    return sorted(real, key=lambda v: float(sp.re(sp.N(v, 30))))


def _check_critical(critical_points, f, label):
    __tracebackhide__ = True
    got = call(critical_points, f, t, label=label)
    expected = _real_sorted(set(sp.solve(sp.diff(f, t), t)))
    if not isinstance(got, (list, tuple)):
        fail(label, expected, got, "return a list of the solutions", problem="not a list")
    got = list(got)
    try:
        numbers = [complex(sp.N(v, 30)) for v in got]
    except Exception:  # noqa: BLE001
        fail(label, expected, got, "return numbers (SymPy or float), one per critical point",
             problem="entries are not numbers")
    if len(got) != len(expected):
        fail(label, expected, got, "solve sympy.diff(f, x) = 0 (the derivative, not f), keep only REAL "
             "solutions (complex ones such as I are not critical points on the real line), "
             "and list each point once", problem=f"{len(got)} points, expected {len(expected)}")
    want = [complex(sp.N(v, 30)) for v in expected]
    if any(abs(g - w) > 1e-9 * max(1.0, abs(w)) for g, w in zip(numbers, want)):
        fail(label, expected, got, "sort the real solutions ascending (sorted(..., key=float)) and solve "
             "f'(x) = 0, not f(x) = 0", problem="values or order differ")


def check_critical_values(critical_points):
    """Polynomials and an exponential, against sympy.solve of the derivative."""
    cases = [(t**3 - 3 * t, "t**3 - 3*t"), (t**4 - 8 * t**2 + 3, "t**4 - 8*t**2 + 3"),
             ((t - 2)**2 * (t + 1), "(t - 2)**2 * (t + 1)"), (t**3 / 3 - 2 * t, "t**3/3 - 2*t"),
             (sp.exp(t) - 3 * t, "exp(t) - 3*t"), (-t**4 / 4 + 7 * t**3 / 3 - 4 * t**2, "-t**4/4 + 7*t**3/3 - 4*t**2"),
             (t**5 / 5 - 5 * t**3 / 3 + 4 * t, "t**5/5 - 5*t**3/3 + 4*t")]
    for f, text in cases:
        _check_critical(critical_points, f, f"critical_points({text}, t)")


def check_critical_edge_cases(critical_points):
    """No real critical point, complex roots mixed in, a repeated root."""
    cases = [(t**3 + 3 * t, "t**3 + 3*t (derivative 3t^2 + 3 has no real root)"),
             (t**5 / 5 - t, "t**5/5 - t (derivative t^4 - 1 has roots +-1 and +-I)"),
             (t**5 / 5 + t**3 / 3, "t**5/5 + t**3/3 (derivative t^2 (t^2 + 1))"),
             (t**4, "t**4 (derivative 4t^3, a triple root at 0)")]
    for f, text in cases:
        _check_critical(critical_points, f, f"critical_points({text}, t)")


# --- gradient and hessian ---------------------------------------------------------

_FUNCTIONS = [
    (p**2 * q + sp.sin(q * r) + a * r, "p**2*q + sin(q*r) + a*r", [r, p, q], "[r, p, q]"),
    (sp.exp(p - 2 * q) * q**3, "exp(p - 2*q)*q**3", [p, q], "[p, q]"),
    (p**4 - 3 * p * q + sp.log(1 + q**2), "p**4 - 3*p*q + log(1 + q**2)", [q, p, s], "[q, p, s]"),
    (t**5, "t**5", [t], "[t]"),
]


def check_gradient_values(gradient):
    """Entries against sympy.derive_by_array, in the order of the given variables."""
    for f, text, variables, vtext in _FUNCTIONS:
        label = f"gradient({text}, {vtext})"
        got = call(gradient, f, variables, label=label)
        expected = sp.Matrix(list(sp.derive_by_array(f, variables)))
        _check_matrix(got, expected, label, hint="entry i is sympy.diff(f, variables[i]), in the order of "
                      "`variables` (not f.free_symbols); symbols not in `variables` are constants")


def check_gradient_contract(gradient):
    """A sympy.Matrix column of shape (n, 1), including variables f does not contain."""
    f = p * q
    label = "gradient(p*q, [p, q, r, s])"
    got = call(gradient, f, [p, q, r, s], label=label)
    _check_matrix(got, sp.Matrix([q, p, 0, 0]), label,
                  hint="return a column sympy.Matrix([...]) of shape (n, 1), one entry per variable, "
                       "0 for a variable f does not contain")
    label = "gradient(p**2 + q, [p, q])"
    got = call(gradient, p**2 + q, [p, q], label=label)
    _check_matrix(got, sp.Matrix([[2 * p], [1]]), label,
                  hint="a column (n, 1), not a row (1, n): sympy.Matrix([d1, d2]) is a column")


def check_hessian_values(hessian):
    """Against sympy.hessian on functions with mixed partial derivatives."""
    for f, text, variables, vtext in _FUNCTIONS:
        label = f"hessian({text}, {vtext})"
        got = call(hessian, f, variables, label=label)
        _check_matrix(got, sp.hessian(f, variables), label,
                      hint="entry [i, j] is diff(f, variables[i], variables[j]); mixed partials are "
                           "off the diagonal, and the gradient's outer product is not the Hessian")


def check_hessian_contract(hessian):
    """Shape (n, n) and symmetry, including a variable f does not contain."""
    f = p**2 * q**2 + 3 * p * r
    label = "hessian(p**2*q**2 + 3*p*r, [p, q, r, s])"
    got = call(hessian, f, [p, q, r, s], label=label)
    _check_matrix(got, sp.hessian(f, [p, q, r, s]), label,
                  hint="return an (n, n) sympy.Matrix with one row and column per variable, in order")


# --- classify_critical_point --------------------------------------------------------


def _oracle_class(f, variables, point, hessian=None):
    """The class from the exact eigenvalues of sympy.hessian, or of the student's own hessian
    (which must return the sympy.Matrix the contract names)."""
    H = sp.hessian(f, variables) if hessian is None else hessian(f, variables)
    if not isinstance(H, sp.MatrixBase):
        raise TypeError("hessian did not return a sympy.Matrix")
    values = [complex(sp.N(ev, 50)).real for ev in H.subs(point).eigenvals(multiple=True)]
    pos = any(v > 1e-30 for v in values)
    neg = any(v < -1e-30 for v in values)
    if pos and neg:
        return "saddle"
    if any(abs(v) <= 1e-30 for v in values):
        return "inconclusive"
    return "minimum" if pos else "maximum"


def _check_classes(classify, cases, hessian):
    __tracebackhide__ = True
    for f, text, variables, point, ptext, hint in cases:
        label = f"classify_critical_point({text}, {variables}, {ptext})"
        expected = composed(lambda hessian: _oracle_class(f, variables, point, hessian), {"hessian": None},
                            {"hessian": hessian})
        got = call_composite(classify, f, variables, point, label=label, expected=expected)
        assert_equal_any(got, expected, label=label, hint=hint)


def check_classify_values(classify_critical_point, hessian=None):
    """Definite Hessians, off-diagonal couplings, three variables, points away from 0."""
    f1 = p**3 - 3 * p + q**2
    cases = [
        (p**2 + q**2, "p**2 + q**2", [p, q], {p: 0, q: 0}, "{p: 0, q: 0}", "all eigenvalues > 0 is a minimum"),
        (-p**2 - 3 * q**2 + p * q, "-p**2 - 3*q**2 + p*q", [p, q], {p: 0, q: 0}, "{p: 0, q: 0}",
         "all eigenvalues < 0 is a maximum"),
        (p**2 + 3 * p * q + q**2, "p**2 + 3*p*q + q**2", [p, q], {p: 0, q: 0}, "{p: 0, q: 0}",
         "the Hessian [[2, 3], [3, 2]] has eigenvalues 5 and -1: use its eigenvalues, not its diagonal"),
        (p**2 - q**2 - r**2, "p**2 - q**2 - r**2", [p, q, r], {p: 0, q: 0, r: 0}, "{p: 0, q: 0, r: 0}",
         "eigenvalues 2, -2, -2 have both signs; the 2-D determinant test does not carry over to 3-D"),
        (f1, "p**3 - 3*p + q**2", [p, q], {p: 1, q: 0}, "{p: 1, q: 0}",
         "evaluate the Hessian AT the given point (substitute `point`)"),
        (f1, "p**3 - 3*p + q**2", [p, q], {p: -1, q: 0}, "{p: -1, q: 0}",
         "evaluate the Hessian AT the given point (substitute `point`)"),
        (p**3 - p**2, "p**3 - p**2", [p], {p: 0}, "{p: 0}", "one variable: a 1x1 Hessian [-2] is a maximum"),
    ]
    _check_classes(classify_critical_point, cases, hessian)


def check_classify_degenerate(classify_critical_point, hessian=None):
    """Zero eigenvalues: inconclusive unless both signs also occur; round-off is not a sign."""
    zero = {p: 0, q: 0, r: 0}
    cases = [
        (p**4 + q**2, "p**4 + q**2", [p, q], {p: 0, q: 0}, "{p: 0, q: 0}",
         "eigenvalues 0 and 2: a zero eigenvalue with the rest positive is inconclusive"),
        (p**3 + q**3, "p**3 + q**3", [p, q], {p: 0, q: 0}, "{p: 0, q: 0}",
         "all eigenvalues 0 is inconclusive"),
        (p**2 - q**2 + r**4, "p**2 - q**2 + r**4", [p, q, r], zero, "{p: 0, q: 0, r: 0}",
         "eigenvalues 2, -2, 0: both signs occur, so it is a saddle even though one is 0"),
        ((p + 2 * q)**2 / 2, "(p + 2*q)**2 / 2", [p, q], {p: 0, q: 0}, "{p: 0, q: 0}",
         "eigenvalues 0 and 5; a numerical eigenvalue like 1e-16 is round-off for 0: compare "
         "with a small tolerance, or use exact SymPy eigenvalues"),
        (-(p + q + r)**2, "-(p + q + r)**2", [p, q, r], zero, "{p: 0, q: 0, r: 0}",
         "eigenvalues -6, 0, 0: treat round-off-sized eigenvalues as 0"),
        (-(p - 2 * q + 3 * r)**2 / 7, "-(p - 2*q + 3*r)**2 / 7", [p, q, r], zero, "{p: 0, q: 0, r: 0}",
         "eigenvalues -4, 0, 0: treat round-off-sized eigenvalues as 0"),
    ]
    _check_classes(classify_critical_point, cases, hessian)
