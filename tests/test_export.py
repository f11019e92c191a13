"""The LMS exports, run as ``nbgrader export --exporter course.export.<Format>`` on the graded class
of tests/test_report.py (ada: reference, blank: the release, bo: a mistake, dan: not a notebook,
fay: never autograded, eve: on the roster, nothing submitted).

Headers are checked against the formats' documentation: Canvas's gradebook import reads the columns
of its gradebook export (Student, ID, SIS User ID, SIS Login ID, Section, one column per assignment,
then a "Points Possible" row); Moodle's CSV grade import reads the columns of its grade export
(First name, Last name, ID number, Email address, one column per grade item).
"""
import csv
import shutil

import pytest
from nbgrader.api import Gradebook

from course.nbgrader_run import nbgrader
from course.report.gather import gather_course
from course.report.scores import gradebook_url
from tests.test_report import A, course, report  # noqa: F401 - the graded class, graded once

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("report")]
NOT_GRADED = {"dan", "eve", "fay"}  # ungraded, missing, ungraded: no score in any format


def export(course, exporter, target):
    nbgrader(course, "export", "--exporter", f"course.export.{exporter}", "--to", str(target))
    with target.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def scores(course):
    """student -> (status, gradebook score) as the report reads them."""
    _, (result,) = gather_course(course, [A])
    return {s.student: (s.status, s.score) for s in result.submissions.values()}


def test_status_export_writes_the_same_file_as_course_report(course, report, tmp_path):
    export(course, "StatusCsvExport", tmp_path / "grades_lms.csv")
    assert (tmp_path / "grades_lms.csv").read_bytes() == (report / "grades_lms.csv").read_bytes()


def test_canvas_csv_has_canvas_headers_and_a_points_possible_row(course, tmp_path):
    header, points, *rows = export(course, "CanvasExport", tmp_path / "canvas.csv")
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", A]
    max_score = gather_course(course, [A])[1][0].max_score
    assert points[0] == "Points Possible" and float(points[5]) == max_score and points[1:5] == [""] * 4


def test_canvas_rows_name_the_student_and_leave_anything_not_graded_blank(course, tmp_path):
    _, _, *rows = export(course, "CanvasExport", tmp_path / "canvas.csv")
    by_id = {row[2]: row for row in rows}
    assert set(by_id) == {"ada", "blank", "bo", "dan", "eve", "fay"}
    assert by_id["ada"][0] == "Lovelace, Ada" and by_id["ada"][1] == ""  # Canvas's own ID is not known
    for student, (status, score) in scores(course).items():
        expected = f"{score:g}" if status == "graded" else ""
        assert by_id[student][5] == expected, (student, status, by_id[student])
    assert all(by_id[s][5] == "" for s in NOT_GRADED) and by_id["blank"][5] == "0"


def test_moodle_csv_has_moodle_headers_and_only_graded_scores(course, tmp_path):
    header, *rows = export(course, "MoodleExport", tmp_path / "moodle.csv")
    assert header == ["First name", "Last name", "ID number", "Email address", A]
    by_id = {row[2]: row for row in rows}
    assert by_id["ada"][:4] == ["Ada", "Lovelace", "ada", "ada@example.org"]
    assert by_id["eve"][:4] == ["Eve", "Absent", "eve", "eve@example.org"]
    for student, (status, score) in scores(course).items():
        assert by_id[student][4] == (f"{score:g}" if status == "graded" else ""), (student, status)
    assert all(by_id[s][4] == "" for s in NOT_GRADED)


def test_export_writes_only_the_students_asked_for(course, tmp_path):
    target = tmp_path / "two.csv"
    nbgrader(course, "export", "--exporter", "course.export.MoodleExport", "--to", str(target),
             "--ExportPlugin.student=ada", "--ExportPlugin.student=eve")
    rows = list(csv.reader(target.open(newline="", encoding="utf-8")))
    assert [row[2] for row in rows[1:]] == ["ada", "eve"]


def test_a_grading_error_is_exported_without_a_score(course, tmp_path):
    """bo's answer carries the sandbox's "Grading error: " comment: his partial score is not a grade."""
    copy = tmp_path / "course"
    shutil.copytree(course, copy, symlinks=True)
    with Gradebook(gradebook_url(copy)) as gb:
        gb.find_comment("linear_layer", A, A, "bo").auto_comment = "Grading error: the kernel died"
        gb.db.commit()
    assert scores(copy)["bo"][0] == "error" and scores(copy)["bo"][1] is not None
    canvas = {row[2]: row for row in export(copy, "CanvasExport", tmp_path / "canvas.csv")[2:]}
    moodle = {row[2]: row for row in export(copy, "MoodleExport", tmp_path / "moodle.csv")[1:]}
    status = {row[0]: row for row in export(copy, "StatusCsvExport", tmp_path / "lms.csv")[1:]}
    assert canvas["bo"][5] == moodle["bo"][4] == status["bo"][4] == ""
    assert status["bo"][6] == "error"
