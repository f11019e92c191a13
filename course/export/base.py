"""The part every export shares: read the statuses once, write a header then one row per student.

A format says only what its header rows are and what one student's row holds.
``export`` is what ``nbgrader export --exporter ...`` calls with its open
gradebook; ``write`` is the same code for callers that already gathered the
reports (``course report``).
"""
from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.plugins import ExportPlugin

from ..grading.status import Status
from ..report.gather import AssignmentReport, Student, Submission, gather_gradebook


class CourseExport(ExportPlugin):
    """Base of the course's export plugins (not an exporter itself)."""

    default_name = "grades.csv"  # where ``export`` writes when --to is not given

    def header(self, reports: list[AssignmentReport]) -> list[list[str]]:
        raise NotImplementedError

    def row(self, student: Student, reports: list[AssignmentReport]) -> list[str]:
        raise NotImplementedError

    def export(self, gradebook: Gradebook) -> None:
        course = Path(self.parent.coursedir.root)
        students, reports = gather_gradebook(gradebook, course, [str(a) for a in self.assignment] or None)
        if self.student:
            wanted = {str(s) for s in self.student}
            students = [s for s in students if s.id in wanted]
        target = self.write(students, reports, Path(self.to or self.default_name))
        self.log.info("Exported %d students, %d assignments to %s", len(students), len(reports), target)

    def write(self, students: list[Student], reports: list[AssignmentReport], target: Path) -> Path:
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerows(self.header(reports))
            writer.writerows(self.row(student, reports) for student in students)
        return target


def graded_score(submission: Submission) -> float | None:
    """The score to import: only a graded submission has one (an error's partial number is not a grade)."""
    return submission.score if submission.status == Status.GRADED else None


def number(value: float | None) -> str:
    """A score as the LMS reads it; an unknown score is an empty cell, never 0."""
    return "" if value is None else f"{value:g}"
