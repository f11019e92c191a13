"""CSV for an LMS gradebook import: one row per student, a status beside every score.

An empty score with status ``error``, ``ungraded`` or ``missing`` tells the
instructor (and the import) that the number is not known yet; a real zero is
``0`` with status ``graded``. The total adds the scores that exist.
"""
from __future__ import annotations

import csv
from pathlib import Path

from .gather import AssignmentReport, Student


def lms_columns(reports: list[AssignmentReport]) -> list[str]:
    columns = ["student_id", "first_name", "last_name", "email"]
    for report in reports:
        columns += [f"{report.name}_score", f"{report.name}_max", f"{report.name}_status"]
    return columns + ["total_score", "total_max"]


def write_lms_csv(students: list[Student], reports: list[AssignmentReport], target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(lms_columns(reports))
        for student in students:
            row = [student.id, student.first_name, student.last_name, student.email]
            total = 0.0
            for report in reports:
                submission = report.submissions[student.id]
                # a partial number from a grading run that hit an error is not a grade: left empty
                score = submission.score if submission.status == "graded" else None
                total += score or 0.0
                row += ["" if score is None else _number(score), _number(report.max_score), submission.status]
            row += [_number(total), _number(sum(r.max_score for r in reports))]
            writer.writerow(row)
    return target


def _number(value: float) -> str:
    return f"{value:g}"
