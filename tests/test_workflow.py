"""The README's instructor and student workflows, command for command, through the local exchange."""
import csv
import getpass
import shutil

import nbformat
import pytest

from nbgrader.api import Gradebook

from course.assignments import RELEASE, release_notebook
from harness.fabricate import fill_answers, reference_answers
from course.nbgrader_run import make_scratch_course, nbgrader
from course.report.scores import gradebook_url

pytestmark = pytest.mark.pipeline
COURSE_ID = "math-genai"
A = "ps01_vectors"
DUE = "2030-06-01 17:00:00 UTC"


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    course = make_scratch_course(tmp_path_factory.mktemp("workflow") / "course")
    (course / "roster.csv").write_text(f"id,first_name,last_name,email\n{getpass.getuser()},Sam,Student,sam@example.org\n",
                                       encoding="utf-8")
    nbgrader(course, "db", "student", "import", "roster.csv")
    nbgrader(course, "db", "assignment", "add", A, f"--duedate={DUE}")
    shutil.copytree(RELEASE / A, course / "release" / A)  # as in the repository: release/ is committed
    nbgrader(course, "generate_assignment", A, "--force")
    assert (course / "release" / A / f"{A}.ipynb").read_bytes() == release_notebook(A).read_bytes()
    with Gradebook(gradebook_url(course)) as gb:
        assert gb.find_assignment(A).notebooks, "generate_assignment should record the assignment"
    nbgrader(course, "release_assignment", A)
    return course


def test_roster_and_due_date_are_in_the_gradebook(released):
    with Gradebook(gradebook_url(released)) as gb:
        student = gb.find_student(getpass.getuser())
        assert (student.first_name, student.last_name, student.email) == ("Sam", "Student", "sam@example.org")
        assert gb.find_assignment(A).duedate.isoformat(" ") == "2030-06-01 17:00:00"


def _student(course):
    """Flags a student's own ~/.jupyter/nbgrader_config.py would hold."""
    return ["--course", COURSE_ID, f"--Exchange.root={course / 'exchange'}"]


def test_fetch_validate_submit_collect_grade_feedback_export(released, tmp_path):
    course, home = released, tmp_path / "student"
    home.mkdir()
    nbgrader(home, "fetch_assignment", A, *_student(course))
    notebook = home / A / f"{A}.ipynb"
    assert notebook.exists(), "fetch_assignment should place the release in the student's folder"

    blank = nbgrader(home, "validate", str(notebook))
    assert "VALIDATION FAILED" in blank.stdout + blank.stderr

    answered = fill_answers(nbformat.read(notebook, 4), reference_answers(A))
    nbformat.write(answered, notebook)
    ok = nbgrader(home, "validate", str(notebook))
    assert "Success! Your notebook passes all the tests." in ok.stdout + ok.stderr

    nbgrader(home, "submit", A, *_student(course))
    nbgrader(course, "collect", A)
    student = getpass.getuser()
    assert (course / "submitted" / student / A / f"{A}.ipynb").exists()

    nbgrader(course, "autograde", A)
    nbgrader(course, "generate_feedback", A)
    nbgrader(course, "release_feedback", A)
    nbgrader(home, "fetch_feedback", A, *_student(course))
    feedback = list((home / A / "feedback").rglob(f"{A}.html"))
    assert feedback, "the student should receive feedback HTML"
    assert "BEGIN HIDDEN TESTS" not in feedback[0].read_text(encoding="utf-8")

    nbgrader(course, "export", "--to", str(course / "grades.csv"))
    rows = list(csv.DictReader((course / "grades.csv").open()))
    mine = [r for r in rows if r["student_id"] == student and r["assignment"] == A]
    assert mine and float(mine[0]["score"]) == float(mine[0]["max_score"]) - _manual_points(course), rows


def _manual_points(course):
    nb = nbformat.read(course / "release" / A / f"{A}.ipynb", 4)
    return sum(c.metadata.nbgrader.get("points", 0) for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("solution") and c.metadata.nbgrader.get("grade"))
