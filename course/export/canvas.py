"""Canvas's gradebook import CSV (Grades > Import).

Canvas reads the columns of its own gradebook export: ``Student`` ("Last,
First"), ``ID`` (Canvas's user id), ``SIS User ID``, ``SIS Login ID``,
``Section``, then one column per assignment, with a second row whose
``Student`` cell is ``Points Possible`` holding each assignment's points.
A student is matched by ``ID``, else by the SIS ids; the nbgrader student id
goes into the SIS column chosen by ``CanvasExport.id_column``. An assignment
column whose title matches no Canvas assignment creates one with those points.
An empty cell changes nothing in Canvas: that is what a submission that is not
``graded`` gets.
"""
from __future__ import annotations

from traitlets import Enum, Unicode

from ..report.gather import AssignmentReport, Student
from .base import CourseExport, graded_score, number

IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_POSSIBLE = "Points Possible"


class CanvasExport(CourseExport):
    """Canvas gradebook import: identity columns, a points-possible row, one column per assignment."""

    default_name = "grades_canvas.csv"
    id_column = Enum(["SIS User ID", "SIS Login ID"], default_value="SIS User ID",
                     help="the Canvas column that holds the nbgrader student id").tag(config=True)
    section = Unicode("", help="the Section cell of every row (Canvas's section name)").tag(config=True)

    def header(self, reports: list[AssignmentReport]) -> list[list[str]]:
        points = [POINTS_POSSIBLE] + [""] * (len(IDENTITY) - 1)
        return [IDENTITY + [r.name for r in reports], points + [number(r.max_score) for r in reports]]

    def row(self, student: Student, reports: list[AssignmentReport]) -> list[str]:
        name = ", ".join(p for p in (student.last_name, student.first_name) if p) or student.id
        identity = {"Student": name, "ID": "", "SIS User ID": "", "SIS Login ID": "", "Section": self.section}
        identity[self.id_column] = student.id
        scores = [number(graded_score(r.submissions[student.id])) for r in reports]
        return [identity[column] for column in IDENTITY] + scores
