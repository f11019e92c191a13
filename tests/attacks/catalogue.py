"""What an attack is: a student whose ps01_vectors submission tries to cheat or break grading.

Most attacks are the reference answers with one answer cell replaced by attack code
(usually the WRONG answer plus a trick meant to hide it); others edit the notebook's
cells or replace the file altogether. Attack code is a template: ``__COURSE__``,
``__REPO__``, ``__OUTSIDE__``, ``__PORT__``, ``__SOCK__`` and ``__TAG__`` are filled in by
:class:`tests.attacks.harness.Stage` for each run.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat

# The wrong answer every point-seeking attack starts from (the dot product instead of
# the cosine), and the `wrong` student's whole submission.
WRONG_COSINE = '''\
def cosine_similarity(u, v):
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    if len(u) != len(v) or not u.any() or not v.any():
        raise ValueError("bad input")
    return float(np.dot(u, v))
'''

# Cells the wrong cosine loses (measured through nbgrader; one function, one blame: only its own
# checks); the trick attacks may not win any back.
WRONG_LOSES = {"cosine_similarity_visible", "cosine_similarity_values", "cosine_similarity_edge_cases"}


@dataclass(frozen=True)
class Attack:
    student: str                       # nbgrader student id, "atk-..."
    what: str                          # one line: the trick and what it aims at
    answers: dict[str, str] = field(default_factory=dict)   # grade_id -> attack code (template)
    base: str = "wrong"                # "wrong": starts from the wrong answer, must not out-score `wrong`;
                                       # "reference": deserves its points, attacks something else
    edit: Callable | None = None       # (notebook) -> notebook: cell-level tampering
    write: Callable | None = None      # (folder, notebook_text, stage) -> None: writes the submission itself
    error: tuple[str, ...] = ()        # grading must record status "error", reason mentioning one of these
    zero: bool = False                 # the whole submission deserves 0 autograded points
    feedback: bool = False             # also render its feedback and look for secrets there


def code(text: str) -> str:
    return textwrap.dedent(text).strip("\n") + "\n"


def wrong_with(trick: str, grade_id: str = "cosine_similarity") -> dict[str, str]:
    """The trick placed before the wrong cosine in its answer cell."""
    return {grade_id: code(trick) + "\n" + WRONG_COSINE}


def reference_with(payload: str, reference: str) -> str:
    """A reference answer followed by a payload (the answer itself is deserved)."""
    return reference.rstrip("\n") + "\n\n" + code(payload)


def drop_cells(*grade_ids: str) -> Callable:
    def edit(nb):
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in grade_ids]
        return nb
    return edit


def retype_cells(*grade_ids: str, source: str | None = None, to: str | None = None,
                 metadata: dict | None = None) -> Callable:
    """Change source, cell type and/or nbgrader metadata of the named cells."""
    def edit(nb):
        cells = []
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade_id") in grade_ids:
                if to == "markdown":
                    cell = nbformat.v4.new_markdown_cell(source=cell.source, metadata=cell.metadata)
                if source is not None:
                    cell.source = source
                if metadata:
                    cell.metadata.nbgrader.update(metadata)
            cells.append(cell)
        nb.cells = cells
        return nb
    return edit


def raw_file(data: bytes) -> Callable:
    def write(folder: Path, notebook_text: str, stage) -> None:
        (folder / "ps01_vectors.ipynb").write_bytes(data)
    return write
