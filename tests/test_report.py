"""``course report`` and ``course validate`` on a small class graded by real nbgrader.

The class (ps01_vectors): ada submits the reference answers, blank the release,
bo a linear layer without its bias, dan a file that is not JSON, fay a
submission nobody has autograded yet, and eve is on the roster but submits nothing.
"""
import csv
import datetime
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from harness.classroom import grade_class
from harness.fabricate import fill_answers, reference_answers, write_submission
from course.nbgrader_run import nbgrader
from course.export.status_csv import status_columns
from course.report.gather import gather_course
from course.report.scores import gradebook_url

# One worker grades the module's class (make test runs xdist with --dist loadgroup).
pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("report")]
A = "ps01_vectors"
NO_BIAS = ("import numpy as np\n\ndef linear_layer(x, W, b):\n"
           "    return np.asarray(x, dtype=float) @ np.asarray(W, dtype=float)\n")


_CLASS: list = []


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """The class, graded once per session though tests/test_export.py imports this fixture."""
    if not _CLASS:
        _CLASS.append(_grade_the_class(tmp_path_factory.mktemp("report") / "course"))
    return _CLASS[0]


def _grade_the_class(course):
    reference = reference_answers(A)
    grade_class(course, A, {"ada": reference, "blank": {}, "bo": {**reference, "linear_layer": NO_BIAS}})
    corrupt = course / "submitted" / "dan" / A / f"{A}.ipynb"
    corrupt.parent.mkdir(parents=True)
    corrupt.write_text('{"cells": [ this is not json', encoding="utf-8")
    nbgrader(course, "autograde", A, "--student", "dan", check=False)  # stock nbgrader fails on it
    release = nbformat.read(course / "release" / A / f"{A}.ipynb", as_version=4)
    write_submission(course, "fay", A, fill_answers(release, reference))  # collected, not graded
    with Gradebook(gradebook_url(course)) as gb:
        gb.update_or_create_student("ada", first_name="Ada", last_name="Lovelace", email="ada@example.org")
        gb.update_or_create_student("eve", first_name="Eve", last_name="Absent", email="eve@example.org")
    return course


@pytest.fixture(scope="module")
def report(course):
    """The real command line, once for the module."""
    out = course.parent / "report"
    proc = subprocess.run([sys.executable, "-m", "course.report", "--course", str(course), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def _section(html, heading):
    """The part of a page between ``heading`` and the next h2."""
    start = html.index(heading)
    end = html.find("<h2>", start + len(heading))
    return html[start:end if end != -1 else None]


def _rows(report):
    return {row["student_id"]: row for row in csv.DictReader((report / "grades_lms.csv").open(encoding="utf-8"))}


def test_histogram_is_a_png_the_page_shows(report):
    image = report / "img" / f"{A}_scores.png"
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (report / f"{A}.html").read_text(encoding="utf-8")
    assert f'<img src="img/{A}_scores.png"' in page
    assert "http://" not in page and "https://" not in page, "the page must not load external resources"
    assert f'href="{A}.html"' in (report / "index.html").read_text(encoding="utf-8")


def test_failure_table_lists_the_check_bo_fails_with_its_message(report):
    failures = _section((report / f"{A}.html").read_text(encoding="utf-8"), "Checks students fail most")
    row = failures[failures.index("<code>linear_layer_visible</code>"):]
    row = row[:row.index("</tr>")]
    assert "AssertionError: got [" in row, row  # bo's visible-test failure, grouped by its first line
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)  # after the check's name: points, failed, rate, ...
    assert cells[1] == "1 / 3" and cells[3] == "1", cells  # blank's stub: not answered, not a mistake
    assert "not answered yet" not in row, row


def test_index_is_titled_with_the_course_and_the_date(report):
    index = (report / "index.html").read_text(encoding="utf-8")
    assert f"<h1>Grade report: math-genai, {datetime.date.today().isoformat()}</h1>" in index


def test_student_table_links_each_students_feedback_and_formgrader_page(report):
    students = _section((report / "index.html").read_text(encoding="utf-8"), "<h2>Students</h2>")
    row = students[students.index("Lovelace, Ada"):]
    row = row[:row.index("</tr>")]
    feedback = re.search(r'class="feedback" href="([^"]+)"', row)[1]
    assert (report / feedback).resolve() == (report.parent / "course" / "feedback" / "ada" / A / f"{A}.html").resolve()
    assert f'href="http://localhost:8888/formgrader/manage_students/ada/{A}"' in row
    assert "Absent, Eve" in students  # on the roster, nothing submitted: listed as missing


def test_rubric_page_shows_each_hand_graded_answers_model_answer(report):
    rubric = (report / f"{A}_rubric.html").read_text(encoding="utf-8")
    assert "<code>own_embeddings_explanation</code>" in rubric and "<code>own_embeddings_code</code>" in rubric
    assert "happy and joyful point almost the same way" in rubric
    assert "BEGIN SOLUTION" not in rubric


def test_students_waiting_for_manual_grading_are_listed_by_their_roster_names(report):
    manual = _section((report / f"{A}.html").read_text(encoding="utf-8"), "Waiting for manual grading")
    row = manual[manual.index("<code>own_embeddings_explanation</code>"):]
    row = row[:row.index("</tr>")]
    assert "Lovelace, Ada (ada)" in row and "bo" in row, row
    assert "dan" not in manual and "eve" not in manual


def test_unreadable_submission_is_reported_with_a_reason_not_a_zero(report):
    problems = _section((report / f"{A}.html").read_text(encoding="utf-8"), "Not graded")
    assert "<td>dan</td>" in problems and "from: Absent, Eve (eve)" in problems
    assert "<td>fay</td>" in problems and "autograde failed or has not run" in problems
    dan = _rows(report)["dan"]
    assert dan[f"{A}_status"] in ("ungraded", "error") and dan[f"{A}_score"] == "", dan
    _, reports = gather_course(report.parent / "course", [A])
    assert reports[0].submissions["dan"].reasons, "dan's status needs a reason"


def test_lms_csv_statuses_scores_and_names(course, report):
    rows = _rows(report)
    assert list(rows["ada"]) == status_columns(gather_course(course, [A])[1])
    assert set(rows) == {"ada", "blank", "bo", "dan", "eve", "fay"}
    ada, blank, bo, eve = rows["ada"], rows["blank"], rows["bo"], rows["eve"]
    assert (ada["first_name"], ada["email"], ada[f"{A}_status"]) == ("Ada", "ada@example.org", "graded")
    assert float(ada[f"{A}_score"]) == float(ada[f"{A}_max"]) - 4  # the hand-graded 4 points are pending
    assert (blank[f"{A}_score"], blank[f"{A}_status"]) == ("0", "graded")  # a real zero
    assert bo[f"{A}_status"] == "graded" and 0 < float(bo[f"{A}_score"]) < float(ada[f"{A}_score"])
    assert (eve[f"{A}_score"], eve[f"{A}_status"], eve["last_name"]) == ("", "missing", "Absent")
    assert (rows["fay"][f"{A}_score"], rows["fay"][f"{A}_status"]) == ("", "ungraded")
    assert float(ada["total_score"]) == float(ada[f"{A}_score"])


def test_grading_error_comment_and_notebook_status_make_an_error(course, tmp_path):
    """The sandbox's convention: a "Grading error: " comment, or course_grading status "error"."""
    copy = tmp_path / "course"
    shutil.copytree(course, copy, symlinks=True)
    with Gradebook(gradebook_url(copy)) as gb:
        comment = gb.find_comment("linear_layer", A, A, "bo")
        comment.auto_comment = "Grading error: the kernel died (memory limit 1 GiB)"
        gb.db.commit()
    path = copy / "autograded" / "ada" / A / f"{A}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.metadata["course_grading"] = {"status": "error", "reasons": ["output limit exceeded"]}
    nbformat.write(nb, path)
    _, (result,) = gather_course(copy, [A])
    bo, ada = result.submissions["bo"], result.submissions["ada"]
    assert bo.status == "error" and "the kernel died (memory limit 1 GiB)" in bo.reasons[0]
    assert ada.status == "error" and ada.reasons == ["output limit exceeded"]
    assert result.submissions["blank"].status == "graded"


def test_report_refuses_an_assignment_the_gradebook_does_not_know(course, capsys):
    from course.report.cli import main
    assert main(["--course", str(course), "--out", str(course.parent / "nope"), "ps99_unknown"]) == 1
    assert "ps99_unknown" in capsys.readouterr().err


def _validate(notebook):
    return subprocess.run([sys.executable, "-m", "course.validate", notebook.name], cwd=notebook.parent,
                          capture_output=True, text=True, timeout=300)


def test_validate_passes_the_reference_answers(course, tmp_path):
    release = nbformat.read(course / "release" / A / f"{A}.ipynb", as_version=4)
    notebook = tmp_path / f"{A}.ipynb"
    nbformat.write(fill_answers(release, reference_answers(A)), notebook)
    proc = _validate(notebook)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success!" in proc.stdout


def test_validate_fails_naming_the_failing_test_and_why(course, tmp_path):
    release = nbformat.read(course / "release" / A / f"{A}.ipynb", as_version=4)
    notebook = tmp_path / f"{A}.ipynb"
    nbformat.write(fill_answers(release, {**reference_answers(A), "linear_layer": NO_BIAS}), notebook)
    proc = _validate(notebook)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    failed = [line for line in proc.stdout.splitlines() if line.lstrip().startswith("FAILED")]
    assert failed == ["  FAILED linear_layer_visible: AssertionError: got [ 2.  2. -1.]"], proc.stdout
    assert "Traceback" not in proc.stdout
