"""A fast, in-process dry run of an assignment for authors: no kernel, no nbgrader.

Runs the reference answers and each mutant/alternative of ``tests/mutants/`` with
:mod:`course.quality.inprocess` and reports which test cells fail. It is an
authoring aid only; the real verdicts come from tests/ through nbgrader.
"""
from __future__ import annotations

from course.quality.inprocess import Change, grade_changes
from course.quality.variants import variants


def run_selftest(assignment: str) -> int:
    found = variants(assignment)
    reference, outcomes = grade_changes(assignment, [Change(v.grade_id, v.source) for v in found])
    print(f"reference: {'all tests pass' if not reference.failures else reference.failures}")
    problems = bool(reference.failures)
    for variant, outcome in zip(found, outcomes):
        ok = outcome.loses_points != variant.correct
        problems += not ok
        got = "full marks" if not outcome.loses_points else ("timed out" if outcome.timed_out else outcome.failures)
        print(f"{'ok  ' if ok else 'FAIL'} {variant.slug}: {got}")
    return 1 if problems else 0
