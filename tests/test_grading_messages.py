"""What the instructor's log says when a class is graded: warnings only for real problems.

One real ``nbgrader autograde`` + ``generate_feedback`` of ps01 for three students:
two honest (the reference answers, the untouched release) and one who edited a
visible and a hidden test cell. Stock nbgrader warns about every hidden-test cell
of every honest submission (nbgrader issue #1961); the course's sanitize step
warns only about the edits.
"""
import re

import nbformat
import pytest

from course.assignments import RELEASE
from harness.fabricate import fill_answers, reference_answers, write_submission
from course.nbgrader_run import make_scratch_course, nbgrader

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("grading_messages")]

A = "ps01_vectors"
EDITED = {"linear_layer_visible": "pass", "linear_layer_hidden": "# no hidden tests here"}


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    course = make_scratch_course(tmp_path_factory.mktemp("messages") / "course")
    nbgrader(course, "generate_assignment", A, "--force")
    release = nbformat.read(RELEASE / A / f"{A}.ipynb", as_version=4)
    write_submission(course, "honest", A, fill_answers(release, reference_answers(A)))
    write_submission(course, "blank", A, fill_answers(release, {}))
    tampered = fill_answers(release, reference_answers(A))
    for cell in tampered.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in EDITED:
            cell.source = EDITED[grade_id]
    write_submission(course, "tamperer", A, tampered)
    autograde = nbgrader(course, "autograde", A)
    feedback = nbgrader(course, "generate_feedback", A)
    return autograde.stdout + autograde.stderr, feedback.stdout + feedback.stderr


def test_only_really_edited_cells_are_reported_as_changed(logs):
    autograde_log, _ = logs
    changed = re.findall(r"Attribute 'checksum' for cell (\S+) has changed", autograde_log)
    assert sorted(changed) == sorted(EDITED), autograde_log[-3000:]


def test_feedback_generation_warns_about_no_config_option(logs):
    _, feedback_log = logs
    assert "not recognized" not in feedback_log and "WARNING | Config option" not in feedback_log, feedback_log
