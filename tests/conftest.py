"""Shared fixtures: each assignment's class is graded once per test session through real nbgrader.

Tests of one assignment share a single ``course grade`` run over all its fabricated
students (reference, blank, every mutant and correct alternative): the project's
class-scale grader, whose gradebook records equal ``nbgrader autograde``'s
(tests/test_batch.py). Under pytest-xdist each assignment is pinned to one worker
(``--dist loadgroup``) and grades with one ``course grade`` worker, so the two
pytest workers keep the two cores busy.
"""
from __future__ import annotations

import os

import pytest

from course.assignments import all_assignments
from harness.classroom import GradedClass, grade_class, roster
from harness.mutants import variants

ASSIGNMENTS = all_assignments()
_graded: dict[str, GradedClass] = {}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks to schedule groups
def pytest_collection_modifyitems(items):
    for item in items:
        callspec = getattr(item, "callspec", None)
        assignment = callspec.params.get("assignment") if callspec else None
        if assignment:
            item.add_marker(pytest.mark.xdist_group(assignment))


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """graded(assignment) -> GradedClass, grading on first use."""
    def get(assignment: str) -> GradedClass:
        if assignment not in _graded:
            _claim(tmp_path_factory, assignment)
            course = tmp_path_factory.mktemp(assignment)
            workers = 1 if os.environ.get("PYTEST_XDIST_WORKER") else None
            _graded[assignment] = grade_class(course, assignment, roster(assignment, variants(assignment)),
                                              workers=workers)
        return _graded[assignment]
    return get


def _claim(tmp_path_factory, assignment: str) -> None:
    """Grade each class once per run: fail loudly if xdist sent one assignment to two workers."""
    basetemp = tmp_path_factory.getbasetemp()
    # Under xdist each worker's basetemp is <run>/popen-gwN; <run> is shared by the run's workers.
    shared = basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp
    try:
        (shared / f"graded-{assignment}").open("x").close()
    except FileExistsError:
        raise RuntimeError(f"{assignment} was graded by two workers: xdist grouping (--dist loadgroup) "
                           "is not working, which doubles the suite's time") from None
