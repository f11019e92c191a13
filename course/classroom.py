"""Grade a class of fabricated students end to end with stock nbgrader.

Shared by ``make demo`` and the test-suite: one scratch course per assignment,
one submission per student, then the real ``generate_assignment`` ->
``autograde`` -> ``generate_feedback`` commands, and the gradebook read back.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from .fabricate import fill_answers, reference_answers, write_submission
from .nbgrader_run import make_scratch_course, nbgrader
from .scores import Result, read_results


@dataclass
class GradedClass:
    course: Path
    assignment: str
    results: dict[str, Result]

    def feedback_html(self, student: str) -> str:
        path = self.course / "feedback" / student / self.assignment / f"{self.assignment}.html"
        return path.read_text(encoding="utf-8")

    def autograded(self, student: str) -> nbformat.NotebookNode:
        path = self.course / "autograded" / student / self.assignment / f"{self.assignment}.ipynb"
        return nbformat.read(path, as_version=4)


def grade_class(course: Path, assignment: str, students: dict[str, dict[str, str]],
                force: bool = False) -> GradedClass:
    """Grade ``students`` (id -> answers to fill into the release) in ``course``.

    Idempotent: the release is generated once, unchanged submissions are not
    rewritten, and nbgrader skips submissions it has already graded.
    """
    make_scratch_course(course)
    release_path = course / "release" / assignment / f"{assignment}.ipynb"
    if force or not release_path.exists():
        nbgrader(course, "generate_assignment", assignment, "--force")
    release = nbformat.read(release_path, as_version=4)
    for student, answers in students.items():
        write_submission(course, student, assignment, fill_answers(release, answers))
    extra = ["--force"] if force else []
    nbgrader(course, "autograde", assignment, *extra)
    nbgrader(course, "generate_feedback", assignment, *extra)
    return GradedClass(course, assignment, read_results(course, assignment))


def roster(assignment: str, variants) -> dict[str, dict[str, str]]:
    """A class: the reference student, a blank submission, and one student per variant
    (the reference answers with that variant's answer swapped in)."""
    reference = reference_answers(assignment)
    students = {"reference": reference, "blank": {}}
    for variant in variants:
        students[variant.slug] = {**reference, variant.grade_id: variant.source}
    return students
