"""Build ``source/<a>/<a>.ipynb`` from its outline and reference solutions.

nbgrader's cell metadata is written here, by code, so no one edits notebook
JSON by hand. Cell ids are derived from content position and grade ids, so a
rebuild of an unchanged outline gives a byte-identical notebook.
"""
from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course.assignments import outline_path, solution_module, source_notebook
from .outline import CellSpec, parse_outline
from .solution_regions import BEGIN, END, answer_source

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def build_source_notebook(assignment: str) -> nbformat.NotebookNode:
    specs = parse_outline(outline_path(assignment))
    module = solution_module(assignment)
    cells = [_cell(spec, index, module) for index, spec in enumerate(specs)]
    nb = new_notebook(cells=cells)
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    return nb


def render(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def write_source_notebook(assignment: str) -> bool:
    """Write the notebook if it changed; returns True when it did."""
    text = render(build_source_notebook(assignment))
    path = source_notebook(assignment)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def _meta(spec: CellSpec, *, grade: bool, solution: bool, locked: bool, task: bool = False) -> dict:
    meta = {"grade": grade, "grade_id": spec.grade_id, "locked": locked,
            "schema_version": 3, "solution": solution, "task": task}
    if spec.points is not None:
        meta["points"] = spec.points
    return {"nbgrader": meta}


def _cell(spec: CellSpec, index: int, module) -> nbformat.NotebookNode:
    kind = spec.kind
    if kind == "markdown":
        cell = new_markdown_cell(spec.body)
    elif kind == "code":
        cell = new_code_cell(spec.body)
    elif kind == "solution":
        cell = new_code_cell(answer_source(module, spec.names),
                             metadata=_meta(spec, grade=False, solution=True, locked=False))
    elif kind == "test":
        cell = new_code_cell(spec.body, metadata=_meta(spec, grade=True, solution=False, locked=True))
    elif kind == "answer":
        cell = new_markdown_cell(spec.body, metadata=_meta(spec, grade=True, solution=True, locked=False))
    elif kind == "manual-code":
        body = "\n".join([BEGIN, spec.body, END])
        cell = new_code_cell(body, metadata=_meta(spec, grade=True, solution=True, locked=False))
    elif kind == "task":
        cell = new_markdown_cell(spec.body, metadata=_meta(spec, grade=False, solution=False,
                                                           locked=True, task=True))
    else:  # parse_outline rejects unknown kinds
        raise AssertionError(kind)
    cell.id = spec.grade_id or f"{kind}-{index}"
    return cell
