"""Fabricate student submissions from a release notebook.

A submission is the release notebook with some answer cells filled in, exactly
what a student's saved notebook looks like. The reference student's answers are
the source notebook's solution cells (markers removed); mutants and correct
alternatives replace single answers.
"""
from __future__ import annotations

from pathlib import Path

import nbformat

from course.assignments import source_notebook
from course.authoring.solution_regions import strip_markers


def reference_answers(assignment: str) -> dict[str, str]:
    """grade_id -> the reference answer, as a student would have typed it."""
    nb = nbformat.read(source_notebook(assignment), as_version=4)
    answers = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            answers[meta["grade_id"]] = strip_markers(cell.source)
    return answers


def autograded_answer_ids(assignment: str) -> list[str]:
    """Answer cells whose correctness the tests decide (solution cells that are not graded by hand)."""
    nb = nbformat.read(source_notebook(assignment), as_version=4)
    return [c.metadata.nbgrader["grade_id"] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution") and not c.metadata.nbgrader.get("grade")]


def fill_answers(release: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of ``release`` with the answer cells named in ``answers`` replaced."""
    nb = nbformat.from_dict(release)
    unknown = set(answers)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
            unknown.discard(grade_id)
    if unknown:
        raise KeyError(f"no answer cells named {sorted(unknown)}")
    return nb


def write_submission(course: Path, student: str, assignment: str, nb: nbformat.NotebookNode) -> bool:
    """Place a submission as ``nbgrader collect`` would; True if it changed."""
    folder = course / "submitted" / student / assignment
    path = folder / f"{assignment}.ipynb"
    text = nbformat.writes(nb)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def checked_answers(assignment: str) -> dict[str, tuple[str, ...]]:
    """Autograded test cell -> the answer cells it checks (the blame map).

    The rule follows the outline's structure: a test cell checks the answer cells
    of the last run of consecutive ``{solution}`` cells above it (code and
    Markdown cells in between do not end a run; a test cell does). So the tests
    after ``relu`` and ``relu_grad`` check both, and the tests after ``forward``
    check ``forward`` only, whatever helpers ``forward`` calls.
    """
    nb = nbformat.read(source_notebook(assignment), as_version=4)
    current: list[str] = []
    closed = True
    blame: dict[str, tuple[str, ...]] = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade"):
            if closed:
                current, closed = [], False
            current.append(meta["grade_id"])
        elif meta.get("grade") and not meta.get("solution") and cell.cell_type == "code" \
                and not meta.get("task"):
            closed = True
            blame[meta["grade_id"]] = tuple(current)
    return blame
