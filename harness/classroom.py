"""Grade a class of fabricated students end to end.

Shared by ``make demo`` and the test-suite: one scratch course per assignment,
one submission per student, then the real ``generate_assignment`` -> autograde ->
``generate_feedback`` commands, and the gradebook read back. Autograding is the
project's ``course grade`` (warm kernels, one coordinator; the same gradebook records
and autograded notebooks as ``nbgrader autograde``, which ``tests/test_batch.py``
checks record for record) unless ``grader="nbgrader"`` asks for the stock command.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.assignments import source_notebook
from course.nbgrader_run import NbgraderError, make_scratch_course, nbgrader
from course.report.scores import Result, read_results

from .fabricate import fill_answers, reference_answers, write_submission


@dataclass
class GradedClass:
    course: Path
    assignment: str
    results: dict[str, Result]
    feedback_for: list[str] | None = None  # the students with a feedback page (None: everyone)

    def with_feedback(self) -> list[str]:
        return list(self.results) if self.feedback_for is None else [s for s in self.results if s in self.feedback_for]

    def autograded_path(self, student: str) -> Path:
        return self.course / "autograded" / student / self.assignment / f"{self.assignment}.ipynb"

    def feedback_path(self, student: str) -> Path:
        return self.course / "feedback" / student / self.assignment / f"{self.assignment}.html"

    def feedback_html(self, student: str) -> str:
        return self.feedback_path(student).read_text(encoding="utf-8")

    def autograded(self, student: str) -> nbformat.NotebookNode:
        return nbformat.read(self.autograded_path(student), as_version=4)


def grade_class(course: Path, assignment: str, students: dict[str, dict[str, str]],
                force: bool = False, grader: str = "course", workers: int | None = None,
                feedback_for: list[str] | None = None) -> GradedClass:
    """Grade ``students`` (id -> answers to fill into the release) in ``course``.

    Incremental, so a second run is fast: the release is regenerated only when
    its source changed, a student is regraded only when the submission changed,
    and nbgrader is not started at all when nothing did. Feedback is generated for
    ``feedback_for`` only when given (it costs ~0.7 s of CPU per notebook, and a
    class of wrong answers is read from the gradebook).
    """
    make_scratch_course(course)
    release_path = course / "release" / assignment / f"{assignment}.ipynb"
    if force or not release_path.exists() or _newer(source_notebook(assignment), release_path):
        nbgrader(course, "generate_assignment", assignment, "--force")
    release = nbformat.read(release_path, as_version=4)
    pending = False
    for student, answers in students.items():
        changed = write_submission(course, student, assignment, fill_answers(release, answers))
        graded = GradedClass(course, assignment, {})
        if changed or force:
            for stale in (graded.autograded_path(student).parent, graded.feedback_path(student).parent):
                shutil.rmtree(stale, ignore_errors=True)
        pending |= not graded.autograded_path(student).exists()
        if feedback_for is None or student in feedback_for:
            pending |= not graded.feedback_path(student).exists()
    if pending:
        if grader == "nbgrader":
            nbgrader(course, "autograde", assignment)
        else:
            course_grade(course, assignment, workers=workers)
        skip = [] if feedback_for is None else [s for s in students if s not in feedback_for]
        if len(skip) < len(students):
            nbgrader(course, "generate_feedback", assignment,
                     *([f"--CourseDirectory.student_id_exclude={','.join(skip)}"] if skip else []))
    return GradedClass(course, assignment, read_results(course, assignment), feedback_for)


def course_grade(course: Path, *assignments: str, workers: int | None = None) -> None:
    """``course grade`` in ``course`` (a subprocess, as an instructor runs it); raises on failure."""
    args = ["-m", "course.grading.batch", *assignments]
    if workers:
        args += ["--workers", str(workers)]
    proc = subprocess.run([sys.executable, *args], cwd=course, capture_output=True, text=True,
                          env=dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]))
    if proc.returncode != 0:
        raise NbgraderError(f"course grade {' '.join(assignments)} exited {proc.returncode} in {course}\n"
                            f"{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}")


def _newer(a: Path, b: Path) -> bool:
    return a.stat().st_mtime > b.stat().st_mtime


def roster(assignment: str, variants) -> dict[str, dict[str, str]]:
    """A class: the reference student, a blank submission, one student per wrong variant (the
    reference answers with that variant's answer swapped in), and the correct alternatives
    together (see :func:`student_of`)."""
    reference = reference_answers(assignment)
    students = {"reference": reference, "blank": {}}
    for variant in variants:
        students.setdefault(student_of(variant, variants), dict(reference))[variant.grade_id] = variant.source
    return students


def student_of(variant, variants) -> str:
    """The student who submits ``variant``. A wrong answer has a notebook of its own, so that the
    points it loses are its own; correct alternatives share: student ``ok-<k>`` answers with the
    k-th correct alternative of every answer that has one (a correct answer may cost no points
    anywhere, so any loss in that notebook fails each of them), a fifth of the notebooks."""
    if not variant.correct:
        return variant.slug
    same = [v for v in variants if v.correct and v.grade_id == variant.grade_id]
    return f"ok-{same.index(variant)}"
