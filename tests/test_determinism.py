"""Always the same verdict: a class graded again and again, on a busy machine, gets the same gradebook.

ps03's class of honest and wrong notebooks (Adam, the optimizer a stalled channel once cost its
point) is graded three times while other processes keep both cores busy (CPU burners, or under
`make test` the other pytest workers' classes): by stock ``nbgrader autograde`` with the course's
configuration, by ``course grade``, and by ``course grade`` again. Every cell's score and every
grading status must be the same each time.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from course.grading.status import notebook_errors
from harness.classroom import GradedClass, grade_class
from harness.fabricate import reference_answers
from harness.mutants import variants

pytestmark = [pytest.mark.pipeline, pytest.mark.long, pytest.mark.xdist_group("determinism")]
A = "ps03_gradient_descent"
CHOSEN = ["bug-Adam-skips-the-bias-correction", "bug-gradient_descent-leaves-w0-out-of-the-trajectory",
          "ok-Adam-folds-the-bias-corrections-into-the-step-size-pytorch-s-form",
          "bug-SGD-updates-the-parameters-in-place"]
# CPU-burning neighbours on top of the graders themselves: one per core not already kept busy by
# the other pytest workers (the classes and long tests are handed out first), so two when the test
# runs alone, none under `make test`'s three workers on two cores, where a burner would only take
# its CPU away from the other workers' classes.
_OTHER_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) - 1
BURNERS = max(0, len(os.sched_getaffinity(0)) - _OTHER_WORKERS)


def _class() -> dict[str, dict[str, str]]:
    reference = reference_answers(A)
    students = {"honest": reference, "blank": {}}
    by_slug = {v.slug: v for v in variants(A)}
    students.update({slug: {**reference, by_slug[slug].grade_id: by_slug[slug].source} for slug in CHOSEN})
    return students


def _verdicts(graded: GradedClass) -> dict[str, tuple]:
    """Per student: every autograded cell's score, and the grading status's reasons."""
    return {student: (sorted(result.cells.items()), notebook_errors(graded.autograded(student)))
            for student, result in graded.results.items()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    students = _class()
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(BURNERS)]
    try:
        return {name: _verdicts(grade_class(tmp_path_factory.mktemp(name), A, students, grader=grader,
                                            feedback_for=[]))
                for name, grader in (("autograde", "nbgrader"), ("course-grade", "course"),
                                     ("course-grade-again", "course"))}
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()


def test_every_student_of_the_class_is_graded_in_each_run(runs):
    for name, verdicts in runs.items():
        assert set(verdicts) == set(_class()), name


def test_honest_notebooks_keep_full_marks_on_a_busy_machine(runs):
    for name, verdicts in runs.items():
        cells, errors = verdicts["honest"]
        assert not errors and all(score == top for _, (score, top) in cells), (name, cells, errors)


def test_stock_autograde_and_course_grade_give_the_same_gradebook(runs):
    assert runs["course-grade"] == runs["autograde"]


def test_grading_the_class_again_gives_the_same_gradebook(runs):
    assert runs["course-grade-again"] == runs["course-grade"]
