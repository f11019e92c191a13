"""Hidden checks of classify_critical_point (ps04_calculus).

Oracle: the exact eigenvalues of sympy.hessian at the point (or of the student's own
hessian, one function, one blame), evaluated to 50 digits. A hint states the rule and
the eigenvalues at the point; it names a mistake only when classifying with that
mistake (:data:`_MISTAKES`) gives the student's answer and the right rule does not.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import sympy as sp

from .composites import SKIP, assert_equal_any, call_composite, composed

p, q, r = sp.symbols("p q r")
CLASSES = ("minimum", "maximum", "saddle", "inconclusive")


def _class_of(values, zero: float = 1e-30) -> str:
    """The class of a list of real eigenvalues, those within ``zero`` of 0 counting as 0."""
    pos = any(v > zero for v in values)
    neg = any(v < -zero for v in values)
    if pos and neg:
        return "saddle"
    if any(abs(v) <= zero for v in values):
        return "inconclusive"
    return "minimum" if pos else "maximum"


def _exact_eigenvalues(H: sp.Matrix) -> list[float]:
    return sorted(complex(sp.N(ev, 50)).real for ev in H.eigenvals(multiple=True))


def _oracle_class(f, variables, point, hessian=None) -> str:
    """The class from the exact eigenvalues of sympy.hessian, or of the student's own hessian
    (which must return the sympy.Matrix the contract names)."""
    H = sp.hessian(f, variables) if hessian is None else hessian(f, variables)
    if not isinstance(H, sp.MatrixBase):
        raise TypeError("hessian did not return a sympy.Matrix")
    return _class_of(_exact_eigenvalues(H.subs(point)))


# --- mistakes a hint may name, each recomputed before it is named ------------------------


def _diagonal(H: sp.Matrix) -> str:
    """Signs of the diagonal entries taken for the eigenvalues."""
    return _class_of([float(H[i, i]) for i in range(H.rows)])


def _determinant_2d(H: sp.Matrix) -> str:
    """The 2-D test (det > 0 and H[0, 0] decides; det < 0 saddle) in any dimension."""
    det = float(H.det())
    if det > 0:
        return "minimum" if float(H[0, 0]) > 0 else "maximum"
    return "saddle" if det < 0 else "inconclusive"


def _zero_first(H: sp.Matrix) -> str:
    """Any zero eigenvalue called inconclusive before both signs are looked for."""
    values = _exact_eigenvalues(H)
    return "inconclusive" if any(abs(v) <= 1e-30 for v in values) else _class_of(values)


def _round_off(H: sp.Matrix) -> set[str]:
    """Numerical eigenvalues compared with 0 without a tolerance relative to their size."""
    M = np.array(H.evalf(), dtype=float)
    found = set()
    for values in (np.linalg.eigvalsh(M), np.linalg.eigvals(M).real):
        for zero in (0.0, 1e-12, 1e-9):
            found.add(_class_of(list(values), zero))
    return found


def _swapped(H: sp.Matrix) -> str:
    """Minimum and maximum swapped (positive curvature read as a maximum)."""
    right = _class_of(_exact_eigenvalues(H))
    return {"minimum": "maximum", "maximum": "minimum"}.get(right, right)


_MISTAKES: list[tuple[Callable[[sp.Matrix], str | set[str]], str, str]] = [
    (_swapped, "swapping minimum and maximum",
     "all eigenvalues > 0 (curving up in every direction) make a MINIMUM, all < 0 a MAXIMUM"),
    (_diagonal, "reading the signs of the Hessian's DIAGONAL",
     "off-diagonal entries change the eigenvalues, so classify by the eigenvalues"),
    (_determinant_2d, "the 2-D determinant test",
     "it does not decide other cases (more than 2 variables, a zero determinant): use the eigenvalues' signs"),
    (_zero_first, "calling any zero eigenvalue inconclusive",
     "eigenvalues of BOTH signs make a saddle even when another one is 0: look for both signs first"),
    (_round_off, "comparing numerical eigenvalues with 0",
     "round-off (about 1e-16 times the largest |eigenvalue|) is not a sign: count |lambda| <= 1e-9 * "
     "max|lambda| as 0, or use exact SymPy eigenvalues (H.eigenvals())"),
]


def _hint(f, variables, point, got) -> str:
    """The rule with the eigenvalues at the point, and a mistake only when it reproduces ``got``."""
    H = sp.hessian(f, variables).subs(point)
    values = _exact_eigenvalues(H)
    right = _class_of(values)
    shown = ", ".join("0" if abs(v) <= 1e-30 else f"{v:.6g}" for v in values)
    text = f"the Hessian at the point has eigenvalues {shown}, so it is {right!r}"
    if not isinstance(got, str) or got not in CLASSES:
        return f"return exactly one of the strings {', '.join(map(repr, CLASSES))}; {text}"
    at_origin = H if all(v == 0 for v in point.values()) else sp.hessian(f, variables).subs(
        {v: 0 for v in variables})
    if at_origin is not H and _class_of(_exact_eigenvalues(at_origin)) == got:
        return f"{text}; {got!r} is the class at the origin: substitute `point` into the Hessian (H.subs(point))"
    found = [(name, advice) for mistake, name, advice in _MISTAKES
             if got in (lambda made: made if isinstance(made, set) else {made})(mistake(H))]
    if not found:
        return text
    names = ", and also what ".join(f"{name} gives" for name, _ in found)
    return f"{text}; {got!r} is what {names}: " + "; ".join(advice for _, advice in found)


def _check_classes(classify, cases, hessian):
    __tracebackhide__ = True
    for f, text, variables, point, ptext in cases:
        label = f"classify_critical_point({text}, {variables}, {ptext})"
        expected = composed(lambda hessian: _oracle_class(f, variables, point, hessian), {"hessian": None},
                            {"hessian": hessian})
        got = call_composite(classify, f, variables, point, label=label, expected=expected)
        if got is SKIP or (isinstance(got, str) and got in expected.values):
            continue
        try:
            hint = _hint(f, variables, point, got)
        except Exception:  # noqa: BLE001 - a hint must never hide the failure
            hint = "classify by the signs of the Hessian's eigenvalues at the point"
        assert_equal_any(got, expected, label=label, hint=hint)


def check_classify_values(classify_critical_point, hessian=None):
    """Definite Hessians, off-diagonal couplings, three variables, points away from 0."""
    f1 = p**3 - 3 * p + q**2
    origin2, origin3 = ({p: 0, q: 0}, "{p: 0, q: 0}"), ({p: 0, q: 0, r: 0}, "{p: 0, q: 0, r: 0}")
    cases = [
        (p**2 + q**2, "p**2 + q**2", [p, q], *origin2),
        (-p**2 - 3 * q**2 + p * q, "-p**2 - 3*q**2 + p*q", [p, q], *origin2),
        (p**2 + 3 * p * q + q**2, "p**2 + 3*p*q + q**2", [p, q], *origin2),
        (p**2 - q**2 - r**2, "p**2 - q**2 - r**2", [p, q, r], *origin3),
        (f1, "p**3 - 3*p + q**2", [p, q], {p: 1, q: 0}, "{p: 1, q: 0}"),
        (f1, "p**3 - 3*p + q**2", [p, q], {p: -1, q: 0}, "{p: -1, q: 0}"),
        (p**3 - p**2, "p**3 - p**2", [p], {p: 0}, "{p: 0}"),
    ]
    _check_classes(classify_critical_point, cases, hessian)


def check_classify_degenerate(classify_critical_point, hessian=None):
    """Zero eigenvalues: inconclusive unless both signs also occur; round-off is not a sign,
    also for a Hessian with large entries (round-off grows with them)."""
    origin2, origin3 = ({p: 0, q: 0}, "{p: 0, q: 0}"), ({p: 0, q: 0, r: 0}, "{p: 0, q: 0, r: 0}")
    cases = [
        (p**4 + q**2, "p**4 + q**2", [p, q], *origin2),
        (p**3 + q**3, "p**3 + q**3", [p, q], *origin2),
        (p**2 - q**2 + r**4, "p**2 - q**2 + r**4", [p, q, r], *origin3),
        ((p + 2 * q)**2 / 2, "(p + 2*q)**2 / 2", [p, q], *origin2),
        (-(p + q + r)**2, "-(p + q + r)**2", [p, q, r], *origin3),
        (-(p - 2 * q + 3 * r)**2 / 7, "-(p - 2*q + 3*r)**2 / 7", [p, q, r], *origin3),
        (-10**6 * (p - 2 * q + 3 * r)**2 / 7, "-10**6 * (p - 2*q + 3*r)**2 / 7", [p, q, r], *origin3),
        (-10**7 * (p + q + r)**2, "-10**7 * (p + q + r)**2", [p, q, r], *origin3),
    ]
    _check_classes(classify_critical_point, cases, hessian)
