"""Shared fixtures: each assignment's class is graded once per test session through real nbgrader.

Tests of one assignment share a single ``course grade`` run over all its fabricated
students (reference, blank, every mutant and correct alternative, and for assignments
whose graders are finished a few generated mutants to confirm): the project's
class-scale grader, whose gradebook records equal ``nbgrader autograde``'s
(tests/test_batch.py). Under pytest-xdist each assignment is pinned to one worker
(``--dist loadgroup``) and grades with one ``course grade`` worker; three pytest
workers keep CI's two cores busy while a class's kernel and grader take turns.
"""
from __future__ import annotations

import collections
import os

import pytest

from course.assignments import all_assignments
from harness.classroom import GradedClass, grade_class, roster
from harness.fabricate import reference_answers
from harness.mutants import confirmation, variants

ASSIGNMENTS = all_assignments()
# Assignments whose clause map is complete and whose every generated mutant is killed or
# recorded as equivalent (`course grader-report --strict <a>` lists what the others lack).
FINISHED = ["ps01_vectors", "ps02_softmax", "ps03_gradient_descent", "ps04_calculus", "ps05_linear_algebra",
            "ps06_probability", "ps07_information_theory", "ps08_attention", "ps09_backprop", "ps10_embeddings",
            "ps11_fourier", "project1_mini_lm", "project2_visualization"]
FEEDBACK = 3  # wrong answers per class whose feedback pages are made (and read by tests/test_pipeline.py)
_graded: dict[str, GradedClass] = {}


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks to schedule groups
def pytest_collection_modifyitems(items):
    """Pin each assignment's tests to one worker, and hand out the long work first.

    ``make test`` runs xdist with ``--no-loadscope-reorder``: each worker takes the next group
    (or single test) in collection order whenever it has fewer than two queued, instead of
    xdist's default order by number of tests, which puts every single test, however long, after
    every group. So: first the browser tests, which spend much of their time waiting on a
    browser and servers (the other worker's grading fills those waits; last in the 20-min runs
    at ac8d643 and 24108f6, they left a core a third idle for their last two minutes); then the
    assignments' classes, the largest first; then the other ``long`` tests; the short tests last."""
    for item in items:
        assignment = _assignment(item)
        if assignment:
            item.add_marker(pytest.mark.xdist_group(assignment))
    sizes = collections.Counter(_assignment(item) for item in items)
    items.sort(key=lambda item: _turn(item, sizes))  # stable: each file's order is kept


def _assignment(item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("assignment") if callspec else None


def _turn(item, sizes: collections.Counter) -> tuple[int, int]:
    """Where ``item`` goes: (browser 0, classes 1, other long 2, short 3), larger classes first."""
    if item.get_closest_marker("browser") is not None:
        return 0, 0
    assignment = _assignment(item)
    if assignment:
        return 1, -sizes[assignment]
    return (2, 0) if item.get_closest_marker("long") is not None else (3, 0)


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """graded(assignment) -> GradedClass, grading on first use."""
    def get(assignment: str) -> GradedClass:
        if assignment not in _graded:
            _claim(tmp_path_factory, assignment)
            course = tmp_path_factory.mktemp(assignment)
            workers = 1 if os.environ.get("PYTEST_XDIST_WORKER") else None
            students = roster(assignment, variants(assignment))
            if assignment in FINISHED:
                students.update(confirmation(assignment).students(reference_answers(assignment)))
            wrong = [s for s in students if s.startswith("bug-")][:FEEDBACK]
            _graded[assignment] = grade_class(course, assignment, students, workers=workers,
                                              feedback_for=["reference", "blank", *wrong])
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
