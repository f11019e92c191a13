"""Turn reference objects of ``solutions/<a>.py`` into answer-cell source.

Students see each function's signature and docstring (the contract); its body
sits between ``### BEGIN SOLUTION`` / ``### END SOLUTION`` so nbgrader replaces
it with a stub in the release. Classes keep their header, docstring and method
signatures; plain-value answers (``x = ...``) share one hidden region under a
``# Define: x, y`` line naming what the student must set.
"""
from __future__ import annotations

import ast
import inspect
from types import ModuleType

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def answer_source(module: ModuleType, names: list[str]) -> str:
    """Source of the named top-level objects, solution regions marked."""
    source = inspect.getsource(module)
    lines = source.splitlines()
    nodes = {_node_name(n): n for n in ast.parse(source).body if _node_name(n)}
    parts: list[str] = []
    values: list[ast.AST] = []  # consecutive plain-value answers share one region

    def flush_values() -> None:
        if values:
            names_line = "# Define: " + ", ".join(_node_name(v) for v in values)
            body = [line for v in values for line in _span(v, lines)]
            parts.append("\n".join([names_line, *_wrap(body, indent="")]))
            values.clear()

    for name in names:
        if name not in nodes:
            raise KeyError(f"{module.__name__} defines no top-level {name!r}")
        node = nodes[name]
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            values.append(node)
            continue
        flush_values()
        parts.append("\n".join(_marked(node, lines)))
    flush_values()
    return "\n\n\n".join(parts)


def strip_markers(source: str) -> str:
    """What a student who typed the reference answer would have: no marker lines."""
    return "\n".join(l for l in source.split("\n") if l.strip() not in (BEGIN, END))


def _node_name(node: ast.AST) -> str | None:
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return node.name
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        target = node.targets[0] if isinstance(node, ast.Assign) else node.target
        return target.id if isinstance(target, ast.Name) else None
    return None


def _span(node: ast.AST, lines: list[str]) -> list[str]:
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return lines[first - 1:node.end_lineno]


def _marked(node: ast.AST, lines: list[str]) -> list[str]:
    if isinstance(node, ast.ClassDef):
        return _marked_class(node, lines)
    if isinstance(node, ast.FunctionDef):
        return _marked_function(node, lines)
    raise TypeError(f"{_node_name(node)}: only functions, classes and plain values can be answers")


def _marked_function(node: ast.FunctionDef, lines: list[str]) -> list[str]:
    body = node.body
    has_doc = isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
        and isinstance(body[0].value.value, str)
    if has_doc and len(body) == 1:
        raise ValueError(f"{node.name} has a docstring but no body to hide")
    first_hidden = body[0].end_lineno + 1 if has_doc else body[0].lineno
    indent = " " * (body[1] if has_doc else body[0]).col_offset
    start = min([node.lineno] + [d.lineno for d in node.decorator_list])
    visible = lines[start - 1:first_hidden - 1]
    return visible + _wrap(lines[first_hidden - 1:node.end_lineno], indent)


def _marked_class(node: ast.ClassDef, lines: list[str]) -> list[str]:
    out = lines[node.lineno - 1:node.body[0].lineno - 1]
    cursor = node.body[0].lineno
    for child in node.body:
        out += lines[cursor - 1:child.lineno - 1]  # blank lines and comments between members
        if isinstance(child, ast.FunctionDef):
            out += _marked_function(child, lines)
        else:
            out += _span(child, lines)
        cursor = child.end_lineno + 1
    return out


def _wrap(body: list[str], indent: str) -> list[str]:
    return [indent + BEGIN, *body, indent + END]
