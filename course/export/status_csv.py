"""The course's own CSV (``grades_lms.csv``): a status beside every score.

An empty score with status ``error``, ``ungraded`` or ``missing`` tells the
instructor (and the import) that the number is not known yet; a real zero is
``0`` with status ``graded``. The total adds the scores that exist.
"""
from __future__ import annotations

from ..report.gather import AssignmentReport, Student
from .base import CourseExport, graded_score, number


def status_columns(reports: list[AssignmentReport]) -> list[str]:
    columns = ["student_id", "first_name", "last_name", "email"]
    for report in reports:
        columns += [f"{report.name}_score", f"{report.name}_max", f"{report.name}_status"]
    return columns + ["total_score", "total_max"]


class StatusCsvExport(CourseExport):
    """One row per student: names, then score, max and status per assignment, then totals."""

    default_name = "grades_lms.csv"

    def header(self, reports: list[AssignmentReport]) -> list[list[str]]:
        return [status_columns(reports)]

    def row(self, student: Student, reports: list[AssignmentReport]) -> list[str]:
        row = [student.id, student.first_name, student.last_name, student.email]
        total = 0.0
        for report in reports:
            submission = report.submissions[student.id]
            score = graded_score(submission)
            total += score or 0.0
            row += [number(score), number(report.max_score), submission.status]
        return row + [number(total), number(sum(r.max_score for r in reports))]
