"""Compare two gradebooks and two autograded folders: what "the same grading" means.

Gradebooks are compared record by record (every grade's scores and
needs-manual flag, every comment, each submission's needs-manual flag);
autograded notebooks cell by cell (source, metadata, outputs), with object
addresses and temporary paths normalised, since they differ between any two
runs of the same notebook.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

_VOLATILE = [(re.compile(r"0x[0-9a-f]{6,}"), "0x?"),
             (re.compile(r"/tmp/[^\s'\"]*"), "/tmp/?"),
             (re.compile(r"/work/[^\s'\"]*autograded/"), "autograded/")]


def gradebook_records(course: Path, assignments: list[str]) -> dict:
    out = {}
    with Gradebook(f"sqlite:///{(Path(course) / 'gradebook.db').resolve()}") as gb:
        for assignment in assignments:
            for sub in gb.assignment_submissions(assignment):
                out[(assignment, sub.student_id)] = ("submission", sub.needs_manual_grade)
                for nb in sub.notebooks:
                    for g in nb.grades:
                        out[(assignment, sub.student_id, nb.name, "grade", g.name)] = (
                            g.auto_score, g.manual_score, g.max_score, g.needs_manual_grade)
                    for c in nb.comments:
                        out[(assignment, sub.student_id, nb.name, "comment", c.name)] = (
                            c.auto_comment, c.manual_comment)
    return out


def _normalise(text: str) -> str:
    for pattern, repl in _VOLATILE:
        text = pattern.sub(repl, text)
    return text


def notebook_digest(path: Path) -> list:
    nb = nbformat.read(path, as_version=4)
    cells = []
    for cell in nb.cells:
        outputs = [_normalise(json.dumps(o, sort_keys=True)) for o in cell.get("outputs", [])]
        meta = {k: v for k, v in cell.metadata.items() if k != "execution"}  # timestamps of this run
        cells.append((cell.cell_type, cell.source, meta, outputs))
    return [dict(nb.metadata), cells]


def autograded_differences(a: Path, b: Path, assignments: list[str]) -> list[str]:
    """Relative paths of autograded notebooks that differ (or exist on one side only)."""
    problems = []
    for assignment in assignments:
        left = {p.relative_to(a) for p in (a / "autograded").glob(f"*/{assignment}/*.ipynb")}
        right = {p.relative_to(b) for p in (b / "autograded").glob(f"*/{assignment}/*.ipynb")}
        problems += [f"only in one: {p}" for p in sorted(left ^ right)]
        for rel in sorted(left & right):
            first = first_difference(notebook_digest(a / rel), notebook_digest(b / rel))
            if first:
                problems.append(f"differs: {rel}: {first}")
    return problems


def first_difference(left: list, right: list) -> str:
    if left[0] != right[0]:
        return f"notebook metadata {left[0]!r} != {right[0]!r}"
    if len(left[1]) != len(right[1]):
        return f"{len(left[1])} cells != {len(right[1])} cells"
    for index, (x, y) in enumerate(zip(left[1], right[1])):
        for part, u, v in zip(("type", "source", "metadata", "outputs"), x, y):
            if u != v:
                return f"cell {index} {part}: {str(u)[:600]!r} != {str(v)[:600]!r}"
    return ""


def record_differences(a: dict, b: dict) -> list[str]:
    return [f"{key}: {a.get(key)!r} != {b.get(key)!r}" for key in sorted(set(a) | set(b), key=repr)
            if a.get(key) != b.get(key)]
