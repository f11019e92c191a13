"""Fabricated classes for the batch tests and the benchmark: correct, wrong and failing students.

A class is written into ``submitted/`` of a scratch course exactly as
``nbgrader collect`` leaves it; grading is left to the caller (stock
``nbgrader autograde`` or ``course grade``).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from harness.fabricate import fill_answers, reference_answers, write_submission
from harness.mutants import variants
from course.nbgrader_run import make_scratch_course, nbgrader

# Stock nbgrader as instructors run it: its own reader and autograde pipeline, no sandbox.
# Appended to a scratch course's config (which loads the course's), all else stays the same.
STOCK_AUTOGRADE = '''
# Stock nbgrader autograde: nbgrader's own exporter, sanitize and autograde preprocessors (no sandbox).
c.Autograde.exporter_class = "nbconvert.exporters.NotebookExporter"
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput", "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec", "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata"]
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute", "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata"]
'''


def unsandboxed(course: Path) -> Path:
    """Make a scratch course grade with stock nbgrader's autograde steps instead of the course's."""
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(STOCK_AUTOGRADE)
    return course


# A failing answer: the cell itself raises when run, so every check of that answer fails.
CRASH = "raise RuntimeError('student code crashed while defining the answer')"


def class_answers(assignment: str, n: int) -> dict[str, dict[str, str]]:
    """``n`` students cycling through: correct, wrong (a mutant), failing (crashing cell), blank."""
    reference = reference_answers(assignment)
    wrong = [v for v in variants(assignment) if not v.correct]
    students = {}
    for i in range(n):
        kind = ("correct", "wrong", "failing", "blank")[i % 4]
        if kind == "correct":
            answers = reference
        elif kind == "wrong":
            v = wrong[(i // 4) % len(wrong)]
            answers = {**reference, v.grade_id: v.source}
        elif kind == "failing":
            first = sorted(g for g in reference if g in {v.grade_id for v in wrong})[0]
            answers = {**reference, first: CRASH}
        else:
            answers = {}
        students[f"{kind}-{i:03d}"] = answers
    return students


def make_class(course: Path, assignments: list[str], n: int) -> Path:
    """A scratch course with the assignments generated and ``n`` submissions each."""
    make_scratch_course(course)
    for assignment in assignments:
        if not (course / "release" / assignment).exists():
            nbgrader(course, "generate_assignment", assignment, "--force")
        release = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
        for student, answers in class_answers(assignment, n).items():
            nb = fill_answers(release, answers)
            # Each student's notebook differs, as in a real class: none is graded by reusing
            # the execution of an identical one (two blank submissions, say).
            nb.cells.append(nbformat.v4.new_markdown_cell(f"Submitted by {student}."))
            write_submission(course, student, assignment, nb)
    return course


def clone_course(src: Path, dst: Path) -> Path:
    """A copy of a scratch course (gradebook, submissions) to grade a second way."""
    shutil.copytree(src, dst, symlinks=True)
    return dst
