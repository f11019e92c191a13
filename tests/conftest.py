"""Shared fixtures: each assignment's class is graded once per test session through real nbgrader.

Tests of one assignment share a single ``nbgrader autograde`` run over all its
fabricated students (reference, blank, every mutant and correct alternative).
Under pytest-xdist each assignment is pinned to one worker (``--dist loadgroup``).
"""
from __future__ import annotations

import pytest

from course.assignments import all_assignments
from course.classroom import GradedClass, grade_class, roster
from course.mutants import variants

ASSIGNMENTS = all_assignments()
_graded: dict[str, GradedClass] = {}


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
            course = tmp_path_factory.mktemp(assignment)
            _graded[assignment] = grade_class(course, assignment, roster(assignment, variants(assignment)))
        return _graded[assignment]
    return get
