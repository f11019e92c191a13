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
from .ps04_calculus_classify import check_classify_degenerate, check_classify_values  # noqa: F401 - re-exported
from .ps04_calculus_gradients import (check_chain_rule, check_quadratic_contract,  # noqa: F401 - re-exported
                                      check_quadratic_values)
from .ps04_calculus_numeric import (check_numgrad_contract, check_numgrad_values,  # noqa: F401 - re-exported
                                    check_relative_error_edge_cases, check_relative_error_values,
                                    check_sigmoid_grad_stable, check_sigmoid_grad_values,
                                    check_sigmoid_stable, check_sigmoid_values)

p, q, r, s, t, a = sp.symbols("p q r s t a")


def _same_expr(got, expected) -> bool:
    try:
        return sp.simplify(sp.sympify(got) - expected) == 0
    except Exception:  # noqa: BLE001 - anything non-symbolic is a mismatch
        return False


def _check_matrix(got, expected: sp.Matrix, label: str, hint: str, mistakes: list | None = None) -> None:
    """Entry-wise symbolic equality; ``mistakes`` ((what a mistake returns, its cause) pairs) adds
    the hint of a mistake whose result the student's equals."""
    __tracebackhide__ = True
    if not isinstance(got, sp.MatrixBase):
        raise CheckFailed(f"{label} returned {type(got).__name__}: {describe(got)}\n"
                          f"  expected: a sympy.Matrix of shape {expected.shape}\n"
                          "  hint: build the result with sympy.Matrix([...])")
    if got.shape != expected.shape:
        fail(label, f"shape {expected.shape}", f"shape {got.shape}", _with_mistake(got, hint, mistakes or []),
             problem="wrong shape")
    for i in range(expected.rows):
        for j in range(expected.cols):
            if not _same_expr(got[i, j], expected[i, j]):
                fail(label, expected[i, j], got[i, j], _with_mistake(got, hint, mistakes or []),
                     problem=f"entry [{i}, {j}] differs")


def _with_mistake(got, hint: str, mistakes: list) -> str:
    """``hint``, and the cause of each mistake that reproduces ``got`` entry for entry."""
    causes = [cause for made, cause in mistakes
              if made.shape == got.shape and all(_same_expr(g, m) for g, m in zip(got, made))]
    return "; ".join([hint, *causes])


def _by_free_symbols(f, shape_of: str) -> sp.Matrix:
    """The gradient or Hessian taken over f's free symbols sorted by name instead of `variables`."""
    free = sorted(f.free_symbols, key=str)
    return sp.Matrix([sp.diff(f, v) for v in free]) if shape_of == "gradient" else sp.hessian(f, free)


# --- critical_points ------------------------------------------------------------


def _real_sorted(values):
    real = [v for v in values if abs(complex(sp.N(v, 30)).imag) < 1e-20]
    return sorted(real, key=lambda v: float(sp.re(sp.N(v, 30))))


def _roots(expr) -> list[complex]:
    """The real solutions of expr = 0, sorted, as numbers."""
    return [complex(sp.N(v, 30)) for v in _real_sorted(set(sp.solve(expr, t)))]


def _same_numbers(got: list[complex], want: list[complex]) -> bool:
    return len(got) == len(want) and all(abs(g - w) <= 1e-9 * max(1.0, abs(w)) for g, w in zip(got, want))


def _critical_hint(f, numbers: list[complex], want: list[complex]) -> str:
    """The rule, and a mistake only when the student's list shows it (recomputed with it)."""
    hint = f"the critical points are the REAL solutions of f'(t) = {sp.diff(f, t)} = 0, each once, sorted ascending"
    causes = []
    if any(abs(z.imag) > 1e-12 for z in numbers):
        causes.append("your list holds complex numbers, which are not points of the real line: keep only "
                      "the real solutions")
    real = sorted((z for z in numbers if abs(z.imag) <= 1e-12), key=lambda z: z.real)
    if len({round(z.real, 9) for z in real}) < len(real):
        causes.append("your list repeats a point: a repeated root of f' is one critical point")
    if _same_numbers(real, want) and not _same_numbers(numbers, want) and len(real) == len(numbers):
        causes.append("your points are right but not in ascending order: sorted(..., key=float)")
    for expr, cause in ((f, "your points solve f(t) = 0: solve the DERIVATIVE sympy.diff(f, x) = 0"),
                        (sp.diff(f, t, 2), "your points solve f''(t) = 0: solve the FIRST derivative")):
        try:
            if _same_numbers(sorted(numbers, key=lambda z: z.real), _roots(expr)):
                causes.append(cause)
        except Exception:  # noqa: BLE001 - SymPy cannot list them: no evidence either way
            pass
    return "; ".join([hint, *causes])


def _check_critical(critical_points, f, label):
    __tracebackhide__ = True
    got = call(critical_points, f, t, label=label)
    expected = _real_sorted(set(sp.solve(sp.diff(f, t), t)))
    if not isinstance(got, list):
        fail(label, expected, got, "return a list of the solutions (sorted(...) makes one)",
             problem=f"a {type(got).__name__}, not a list")
    got = list(got)
    try:
        numbers = [complex(sp.N(v, 30)) for v in got]
    except Exception:  # noqa: BLE001
        fail(label, expected, got, "return numbers (SymPy or float), one per critical point",
             problem="entries are not numbers")
    want = [complex(sp.N(v, 30)) for v in expected]
    if len(got) != len(expected):
        fail(label, expected, got, _critical_hint(f, numbers, want),
             problem=f"{len(got)} points, expected {len(expected)}")
    if not _same_numbers(numbers, want):
        fail(label, expected, got, _critical_hint(f, numbers, want), problem="values or order differ")


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
                      "`variables`; symbols not in `variables` are constants",
                      mistakes=[(_by_free_symbols(f, "gradient"), "yours differentiates by f's free symbols "
                                 "sorted by name: use `variables`, in their order"),
                                (expected.T, "yours is a row (1, n): the gradient is a column, "
                                 "sympy.Matrix([d1, ..., dn])")])


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
    _check_matrix(got, sp.Matrix([[2 * p], [1]]), label, hint="the gradient is a column (2, 1)",
                  mistakes=[(sp.Matrix([[2 * p, 1]]), "yours is a row (1, 2): sympy.Matrix([d1, d2]) is a column")])


def check_hessian_values(hessian):
    """Against sympy.hessian on functions with mixed partial derivatives."""
    for f, text, variables, vtext in _FUNCTIONS:
        label = f"hessian({text}, {vtext})"
        got = call(hessian, f, variables, label=label)
        grad = sp.Matrix([sp.diff(f, v) for v in variables])
        _check_matrix(got, sp.hessian(f, variables), label,
                      hint="entry [i, j] is diff(f, variables[i], variables[j])",
                      mistakes=[(_by_free_symbols(f, "hessian"), "yours differentiates by f's free symbols "
                                 "sorted by name: use `variables`, in their order"),
                                (sp.diag(*sp.hessian(f, variables).diagonal()), "yours keeps only the diagonal: "
                                 "the mixed partials diff(f, variables[i], variables[j]) fill the rest"),
                                (grad * grad.T, "yours is the gradient's outer product, which is not the "
                                 "Hessian: differentiate each gradient entry once more")])


def check_hessian_contract(hessian):
    """Shape (n, n) and symmetry, including a variable f does not contain."""
    f = p**2 * q**2 + 3 * p * r
    label = "hessian(p**2*q**2 + 3*p*r, [p, q, r, s])"
    got = call(hessian, f, [p, q, r, s], label=label)
    _check_matrix(got, sp.hessian(f, [p, q, r, s]), label,
                  hint="return an (n, n) sympy.Matrix with one row and column per variable, in order")
