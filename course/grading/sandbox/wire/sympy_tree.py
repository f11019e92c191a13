"""SymPy expressions as a tree of class names: sympify and srepr evaluate strings, this never does.

Only classes exported by the ``sympy`` package itself rebuild a node, and they are built
with ``evaluate=False``: a hostile tree cannot run code or force a huge computation while
it is read. Symbols keep their assumptions; numbers keep their exact value and precision.
"""
from __future__ import annotations

from typing import Any

from .protocol import WireError

_MAX_NAME = 200


def tree(value: Any, encoder, depth: int) -> dict | None:
    """The wire form of a SymPy object, or None when it is not one we can carry."""
    import sympy as sp
    if isinstance(value, sp.MatrixBase):
        rows, cols = value.shape
        return {"$sympy_matrix": [rows, cols, [encoder.encode(v, depth + 1) for v in value]],
                "mutable": not isinstance(value, sp.ImmutableMatrix)}
    if not isinstance(value, sp.Basic):
        return None
    if isinstance(value, sp.Symbol):  # Dummy and Wild become plain symbols
        return {"$sympy": "Symbol", "name": value.name, "assumptions": dict(value._assumptions_orig)}
    if isinstance(value, sp.Integer):
        return {"$sympy": "Integer", "value": str(int(value))}
    if isinstance(value, sp.Rational):
        return {"$sympy": "Rational", "value": [str(value.p), str(value.q)]}
    if isinstance(value, sp.Float):
        sign, man, exp, bc = value._mpf_
        return {"$sympy": "Float", "value": [sign, str(man), str(exp), bc], "prec": value._prec}
    name = type(value).__name__
    if not value.args:
        return {"$sympy": "S", "name": name}
    return {"$sympy": name, "args": [encoder.encode(a, depth + 1) for a in value.args]}


def build(data: dict, decoder, depth: int) -> Any:
    """Rebuild a tree made by :func:`tree`; raises WireError on anything unexpected."""
    import sympy as sp
    if "$sympy_matrix" in data:
        rows, cols, items = data["$sympy_matrix"]
        if not (isinstance(rows, int) and isinstance(cols, int) and 0 <= rows * cols == len(items) <= 10_000):
            raise WireError("bad sympy matrix")
        entries = [_basic(decoder.decode(v, depth + 1)) for v in items]
        cls = sp.Matrix if data.get("mutable") else sp.ImmutableMatrix
        return cls(rows, cols, entries)
    kind = _name(data["$sympy"])
    if kind == "Symbol":
        assumptions = data.get("assumptions", {})
        if not isinstance(assumptions, dict) or not all(isinstance(v, bool) or v is None for v in assumptions.values()):
            raise WireError("bad symbol assumptions")
        known = {k: v for k, v in assumptions.items() if k in _ASSUMPTIONS and v is not None}
        return sp.Symbol(_name(data["name"]), **known)
    if kind == "Integer":
        return sp.Integer(int(_digits(data["value"])))
    if kind == "Rational":
        p, q = data["value"]
        return sp.Rational(int(_digits(p)), int(_digits(q)))
    if kind == "Float":
        sign, man, exp, bc = data["value"]
        prec = data["prec"]
        if sign not in (0, 1) or not isinstance(bc, int) or not isinstance(prec, int) or not 1 <= prec <= 10_000:
            raise WireError("bad sympy Float")
        return sp.Float._new((sign, int(_digits(man)), int(_digits(exp)), bc), prec)
    if kind == "S":
        singleton = getattr(sp.S, _name(data["name"]), None)
        if not isinstance(singleton, sp.Basic):
            raise WireError(f"unknown sympy constant {data['name']!r}")
        return singleton
    cls = getattr(sp, kind, None)
    if not (isinstance(cls, type) and issubclass(cls, sp.Basic)) or kind in _REFUSED:
        raise WireError(f"sympy class {kind!r} is not accepted")
    args = [decoder.decode(a, depth + 1) for a in data.get("args", [])]
    with sp.evaluate(False):
        try:
            return cls(*args)
        except Exception as exc:  # noqa: BLE001 - a malformed node is a wire error
            raise WireError(f"cannot rebuild sympy {kind}: {exc}") from None


def _basic(value: Any) -> Any:
    import sympy as sp
    if isinstance(value, (sp.Basic, int, float)) and not isinstance(value, bool):
        return value
    raise WireError("sympy matrix entries must be sympy expressions or numbers")


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > _MAX_NAME:
        raise WireError("bad sympy name")
    return value


def _digits(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 5000 or not value.lstrip("-").isdigit():
        raise WireError("bad sympy integer")
    return value


# Classes that build things other than expressions (functions, lambdas, parsers) or that
# would look names up: never rebuilt from a student's tree.
_REFUSED = {"Function", "Lambda", "WildFunction", "Subs", "Dummy", "Wild", "Indexed", "IndexedBase"}

_ASSUMPTIONS = {"commutative", "real", "positive", "negative", "nonnegative", "nonpositive", "integer",
                "rational", "zero", "nonzero", "finite", "infinite", "complex", "imaginary", "odd",
                "even", "prime", "extended_real", "extended_positive", "extended_negative",
                "extended_nonnegative", "extended_nonpositive", "hermitian", "antihermitian",
                "algebraic", "transcendental", "irrational", "noninteger", "composite",
                "extended_nonzero", "polar"}
