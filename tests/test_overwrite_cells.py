"""The course's OverwriteCells (course/grading/steps/overwrite_cells.py) restores what nbgrader's does.

It reads the notebook's cells from the gradebook once instead of in two or three queries per
graded cell; a tampered submission must come out exactly as from nbgrader's own step.
"""
from __future__ import annotations

import copy

import nbformat
import pytest
import sqlalchemy
from nbformat.v4 import new_code_cell, new_notebook
from nbgrader.preprocessors import OverwriteCells

from course.assignments import RELEASE
from course.grading.steps.overwrite_cells import OverwriteReleasedCells
from course.nbgrader_run import make_scratch_course, nbgrader
from harness.fabricate import fill_answers, reference_answers

A = "ps01_vectors"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = make_scratch_course(tmp_path_factory.mktemp("overwrite") / "course")
    nbgrader(course, "generate_assignment", A, "--force")
    return course


def _tampered():
    """The reference answers, with each kind of edit OverwriteCells undoes or reports."""
    nb = fill_answers(nbformat.read(RELEASE / A / f"{A}.ipynb", as_version=4), reference_answers(A))
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    solutions = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    graded[0].source = "assert True  # the test, rewritten"
    graded[1].metadata["nbgrader"]["points"] = 100
    graded[2].metadata["nbgrader"]["locked"] = False
    solutions[0].metadata["nbgrader"]["locked"] = True
    stray = new_code_cell("x = 1")
    stray.metadata["nbgrader"] = {**copy.deepcopy(solutions[1].metadata["nbgrader"]), "grade_id": "not_released"}
    nb.cells.append(stray)
    return nb


def _run(step, course, nb):
    resources = {"nbgrader": {"notebook": A, "assignment": A, "db_url": f"sqlite:///{course / 'gradebook.db'}"}}
    out, _ = step.preprocess(copy.deepcopy(nb), resources)
    return nbformat.writes(out)


def test_a_tampered_submission_comes_out_as_from_nbgraders_step(course):
    nb = _tampered()
    stock = _run(OverwriteCells(), course, nb)
    assert stock != nbformat.writes(nb)  # the edits were there to undo
    assert _run(OverwriteReleasedCells(), course, nb) == stock


def test_an_honest_submission_comes_out_as_from_nbgraders_step(course):
    nb = fill_answers(nbformat.read(RELEASE / A / f"{A}.ipynb", as_version=4), reference_answers(A))
    assert _run(OverwriteReleasedCells(), course, nb) == _run(OverwriteCells(), course, nb)


def _queries(step, course, nb) -> int:
    count = [0]

    def counted(*args):
        count[0] += 1
    sqlalchemy.event.listen(sqlalchemy.engine.Engine, "before_cursor_execute", counted)
    try:
        _run(step, course, nb)
    finally:
        sqlalchemy.event.remove(sqlalchemy.engine.Engine, "before_cursor_execute", counted)
    return count[0]


def test_the_notebooks_cells_are_read_in_a_few_queries_not_per_cell(course):
    nb = _tampered()
    graded = sum(1 for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id"))
    opening = _queries(OverwriteCells(), course, new_notebook())  # opening the gradebook, no cell read
    stock = _queries(OverwriteCells(), course, nb) - opening
    ours = _queries(OverwriteReleasedCells(), course, nb) - opening
    # Ours: the notebook, its source, task and grade cells, and the one cell the gradebook lacks (twice).
    assert stock > graded and ours <= 6, (graded, stock, ours)
