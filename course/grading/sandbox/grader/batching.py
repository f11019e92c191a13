"""One request for a test cell's ``[f(...) for _ in range(n)]``: the loop runs beside the student's code.

A visible test that samples a student's function 2000 times in a comprehension would make
2000 round trips to the sandbox. When a list or set comprehension does nothing but call the
same function with the same arguments ``n`` times, the cell is rewritten to make one
repeated call (:func:`repeat_call`) -- and only where that is exactly equivalent:

* the loop is ``for <name> in range(<expr>)`` with no condition, and the loop variable is unused;
* each argument is a name (the same object every time: a Generator passed by name advances
  through the calls, as in the loop), or a constant expression -- literals, arithmetic and a
  few pure NumPy/math constructors (``np.log(3.0)``, ``np.random.default_rng(7)``) -- which
  the sandbox rebuilds afresh for every call, as the loop would evaluate it afresh;
* at run time the function is a student object, and ``n`` an int; otherwise the original
  comprehension runs unchanged.
"""
from __future__ import annotations

import ast
from typing import Any, Callable

HELPER = "__course_repeat_call__"
_PURE = {"log", "log2", "log10", "exp", "sqrt", "array", "asarray", "arange", "linspace", "zeros", "ones",
         "full", "eye", "pi", "e", "inf", "nan", "float64", "int64"}
_MODULES = {"np", "numpy", "math"}


class _Rewrite(ast.NodeTransformer):
    def _visit_comp(self, node: ast.ListComp | ast.SetComp) -> ast.AST:
        self.generic_visit(node)
        plan = _plan(node)
        if plan is None:
            return node
        call, times, fresh = plan
        fallback = ast.Lambda(args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[],
                                                 defaults=[]), body=node)
        args = ast.Tuple(elts=list(call.args), ctx=ast.Load())
        kwargs = ast.Dict(keys=[ast.Constant(k.arg) for k in call.keywords], values=[k.value for k in call.keywords])
        new = ast.Call(func=ast.Name(HELPER, ast.Load()),
                       args=[ast.Constant("set" if isinstance(node, ast.SetComp) else "list"), call.func, times,
                             args, kwargs, ast.Constant(fresh), fallback], keywords=[])
        return ast.copy_location(new, node)

    visit_ListComp = visit_SetComp = _visit_comp


def rewrite(tree: ast.Module) -> ast.Module:
    return ast.fix_missing_locations(_Rewrite().visit(tree))


def _plan(node) -> tuple[ast.Call, ast.expr, tuple] | None:
    if len(node.generators) != 1:
        return None
    gen = node.generators[0]
    if gen.ifs or gen.is_async or not isinstance(gen.target, ast.Name):
        return None
    it = gen.iter
    if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range"
            and len(it.args) == 1 and not it.keywords):
        return None
    call = node.elt
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
        return None
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    loop = gen.target.id
    values = [*call.args, *(k.value for k in call.keywords)]
    if any(isinstance(n, ast.Name) and n.id == loop for v in [call.func, it, *values] for n in ast.walk(v)):
        return None
    fresh = []
    for value in values:
        if isinstance(value, ast.Name):
            fresh.append(False)
        elif _constant(value):
            fresh.append(True)
        else:
            return None
    return call, it.args[0], tuple(fresh)


def _constant(node: ast.expr) -> bool:
    """An expression whose every evaluation gives an equal, new value and changes nothing."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_constant(e) for e in node.elts)
    if isinstance(node, ast.UnaryOp):
        return _constant(node.operand)
    if isinstance(node, ast.BinOp):
        return _constant(node.left) and _constant(node.right)
    if isinstance(node, ast.Attribute):
        return isinstance(node.value, ast.Name) and node.value.id in _MODULES and node.attr in _PURE
    if isinstance(node, ast.Call) and not node.keywords:
        func = node.func
        if _is_default_rng(func):
            return len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and type(node.args[0].value) is int
        return _constant(func) and all(_constant(a) for a in node.args)
    return False


def _is_default_rng(func: ast.expr) -> bool:
    return (isinstance(func, ast.Attribute) and func.attr == "default_rng" and isinstance(func.value, ast.Attribute)
            and func.value.attr == "random" and isinstance(func.value.value, ast.Name)
            and func.value.value.id in ("np", "numpy"))


def make_helper(modules_ok: Callable[[], bool]) -> Callable:
    """The runtime half: one repeated call when the function is a student object, else the loop."""
    from .remote import RemoteObject

    def repeat_call(kind: str, fn: Any, times: Any, args: tuple, kwargs: dict, fresh: tuple,
                    fallback: Callable) -> Any:
        if not (isinstance(fn, RemoteObject) and fn._callable and type(times) is int and 0 < times
                and modules_ok()):
            return fallback()
        results = fn._channel.call(fn, args, kwargs, repeat=times, fresh=list(fresh))
        if not isinstance(results, list) or len(results) != times:
            raise TypeError("repeated call did not return a list")
        return set(results) if kind == "set" else results

    return repeat_call
