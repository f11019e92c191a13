"""Moodle's grade import CSV (Grades > Import > CSV file).

Moodle imports the columns of its own grade export and lets the instructor map
them: a user column (``ID number`` holds the nbgrader student id; ``Email
address`` works too) to the user field, and each assignment column to a grade
item (or a new one). An empty cell imports no grade: that is what a
submission that is not ``graded`` gets.
"""
from __future__ import annotations

from ..report.gather import AssignmentReport, Student
from .base import CourseExport, graded_score, number

IDENTITY = ["First name", "Last name", "ID number", "Email address"]


class MoodleExport(CourseExport):
    """Moodle grade import: name, ID number and email, then one column per assignment."""

    default_name = "grades_moodle.csv"

    def header(self, reports: list[AssignmentReport]) -> list[list[str]]:
        return [IDENTITY + [r.name for r in reports]]

    def row(self, student: Student, reports: list[AssignmentReport]) -> list[str]:
        scores = [number(graded_score(r.submissions[student.id])) for r in reports]
        return [student.first_name, student.last_name, student.id, student.email] + scores
