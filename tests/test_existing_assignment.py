"""An nbgrader assignment with no outline (examples/existing_assignment) grades and gives
feedback under the course's configuration exactly as under stock nbgrader: every nbformat 4.x
minor version, with and without cell ids, missing or wrong kernelspecs, extra files and files
the notebook writes beside itself. Submissions stock nbgrader stops the whole assignment on
(a graded cell pasted twice, outdated grading metadata, duplicate cell ids) are graded too."""
from __future__ import annotations

import copy
import subprocess
import sys
import uuid

import pytest

from course.nbgrader_run import nbgrader
from tests.example_course import (ASSIGNMENT, NOTEBOOK, RIGHT, WRONG_MEAN, answered, make_course, release,
                                  scores, submit)

pytestmark = [pytest.mark.pipeline, pytest.mark.long]

SIDE_CELL = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
             "source": 'with open("summary.txt", "w") as handle:\n'
                       '    handle.write(str(round(mean(load_column("data.csv", "height")), 2)))'}


def _minor(nb: dict, minor: int, ids: bool) -> dict:
    nb = copy.deepcopy(nb)
    nb["nbformat_minor"] = minor
    for cell in nb["cells"]:
        cell.pop("id", None)
        if ids:
            cell["id"] = uuid.uuid4().hex[:8]
    return nb


def ordinary_class(course) -> dict[str, tuple[dict, dict]]:
    """student -> (notebook JSON, extra files): submissions stock nbgrader grades."""
    right = answered(course, RIGHT)
    students = {"right": (right, {}), "blank": (release(course), {}),
                "wrong": (answered(course, WRONG_MEAN), {}), "extra_file": (right, {"notes.txt": "mine"})}
    for minor in range(6):
        students[f"v4_{minor}"] = (_minor(right, minor, ids=False), {})
    students["v4_5_ids"] = (_minor(right, 5, ids=True), {})
    no_kernelspec, wrong_kernelspec = copy.deepcopy(right), copy.deepcopy(right)
    del no_kernelspec["metadata"]["kernelspec"]
    wrong_kernelspec["metadata"]["kernelspec"] = {"name": "blarg", "display_name": "Blarg", "language": "blarg"}
    students["no_kernelspec"], students["wrong_kernelspec"] = (no_kernelspec, {}), (wrong_kernelspec, {})
    side = copy.deepcopy(right)
    side["cells"].append(SIDE_CELL)
    students["side_file"] = (side, {})
    return students


def broken_class(course) -> dict[str, dict]:
    """student -> notebook JSON that makes stock nbgrader stop grading the whole assignment."""
    right = answered(course, RIGHT)
    pasted = copy.deepcopy(right)
    tests = [c for c in pasted["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    pasted["cells"].insert(1, copy.deepcopy(tests[-1]))  # a test cell copy-pasted in JupyterLab
    solutions = [c for c in pasted["cells"] if c["metadata"].get("nbgrader", {}).get("solution")]
    pasted["cells"].append(copy.deepcopy(solutions[0]))
    old_schema = copy.deepcopy(right)
    for cell in old_schema["cells"]:
        if "nbgrader" in cell["metadata"]:
            cell["metadata"]["nbgrader"]["schema_version"] = 1
    duplicate_ids = _minor(right, 5, ids=True)
    for cell in duplicate_ids["cells"]:
        cell["id"] = "same"
    return {"pasted": pasted, "old_schema": old_schema, "duplicate_ids": duplicate_ids}


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    """The same class graded twice: the course's configuration and stock nbgrader's steps."""
    graded = {}
    for side in ("course", "stock"):
        course = make_course(tmp_path_factory.mktemp("example") / side, stock=side == "stock")
        for student, (nb, extra) in ordinary_class(course).items():
            submit(course, student, nb, extra)
        if side == "course":
            for student, nb in broken_class(course).items():
                submit(course, student, nb)
        nbgrader(course, "autograde", ASSIGNMENT)
        nbgrader(course, "generate_feedback", ASSIGNMENT)
        graded[side] = course
    return graded


def test_the_example_assignment_gives_full_marks_to_a_right_answer_and_none_to_a_blank(courses):
    got = scores(courses["course"])
    assert got["right"] == {"test_load_column": 1.0, "test_mean": 2.0}, got["right"]
    assert got["blank"] == {"test_load_column": 0.0, "test_mean": 0.0}, got["blank"]
    assert got["wrong"] == {"test_load_column": 1.0, "test_mean": 0.0}, got["wrong"]


def test_every_ordinary_submission_scores_as_under_stock_nbgrader(courses):
    ours, stock = scores(courses["course"]), scores(courses["stock"])
    students = sorted(ordinary_class(courses["stock"]))
    assert {s: ours.get(s) for s in students} == {s: stock.get(s) for s in students}


def test_every_student_gets_feedback_as_under_stock_nbgrader(courses):
    for student in ordinary_class(courses["stock"]):
        for side, course in courses.items():
            assert (course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file(), (side, student)


def test_files_beside_the_notebook_reach_autograded_as_under_stock_nbgrader(courses):
    for side, course in courses.items():
        folder = course / "autograded"
        assert (folder / "side_file" / ASSIGNMENT / "summary.txt").read_text() == "1.69", side
        assert (folder / "extra_file" / ASSIGNMENT / "notes.txt").read_text() == "mine", side
        assert not (course / "submitted" / "side_file" / ASSIGNMENT / "summary.txt").exists(), side


def test_submissions_stock_nbgrader_stops_on_are_graded_with_their_answers(courses):
    got = scores(courses["course"])
    for student in broken_class(courses["course"]):
        assert got.get(student) == {"test_load_column": 1.0, "test_mean": 2.0}, (student, got.get(student))


def test_a_pasted_graded_cell_is_noted_in_the_graded_notebook(courses):
    import nbformat
    nb = nbformat.read(courses["course"] / "autograded" / "pasted" / ASSIGNMENT / NOTEBOOK, as_version=4)
    notes = nb.metadata["course_grading"]["notes"]
    assert any("a second copy of graded cell 'test_mean'" in n for n in notes), notes


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """``course grade`` on the submissions stock nbgrader stops on, a right, a blank and one that
    writes a file beside itself: (course, students)."""
    course = make_course(tmp_path_factory.mktemp("batch") / "course")
    right = answered(course, RIGHT)
    side = copy.deepcopy(right)
    side["cells"].append(SIDE_CELL)
    students = {**broken_class(course), "right": right, "blank": release(course), "side_file": side}
    for student, nb in students.items():
        submit(course, student, nb)
    run = subprocess.run([sys.executable, "-m", "course.grading.batch", "--course", str(course), ASSIGNMENT,
                          "--workers", "1"], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return course, students


def test_course_grade_grades_submissions_stock_nbgrader_stops_on_with_their_answers(batch):
    course, students = batch
    full, zero = {"test_load_column": 1.0, "test_mean": 2.0}, {"test_load_column": 0.0, "test_mean": 0.0}
    assert scores(course) == {s: zero if s == "blank" else full for s in students}


def test_course_grade_leaves_files_the_notebook_wrote_in_autograded_as_autograde_does(batch):
    course, _ = batch
    folder = course / "autograded" / "side_file" / ASSIGNMENT
    assert (folder / "summary.txt").read_text() == "1.69"
    assert not (course / "autograded" / "right" / ASSIGNMENT / "summary.txt").exists()
