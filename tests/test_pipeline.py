"""The reference earns every point, a blank release earns none, and feedback hides hidden tests.

Every test here goes through real nbgrader (generate_assignment -> autograde ->
generate_feedback) and reads the real gradebook.
"""
import json
import re

import pytest

from course.grading.sandbox.grader.waits import NOTE_MARK
from course.grading.status import KEY

from .conftest import ASSIGNMENTS

pytestmark = pytest.mark.pipeline


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_gets_full_autograded_marks(graded, assignment):
    result = graded(assignment).results["reference"]
    assert result.max_auto > 0, f"{assignment} has no autograded tests"
    assert result.auto_score == result.max_auto, f"reference lost points in {result.lost}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_release_gets_zero(graded, assignment):
    result = graded(assignment).results["blank"]
    passed = [g for g, (score, _) in result.cells.items() if score]
    assert result.auto_score == 0, f"tests that pass on the unedited release: {passed}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_manual_answers_await_the_instructor(graded, assignment):
    assert graded(assignment).results["reference"].needs_manual, \
        f"{assignment} should have manually graded answers (plots, explanations)"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_holds_no_hidden_test_source(graded, assignment):
    classroom = graded(assignment)
    hidden_lines = _hidden_lines(classroom.autograded("reference"))
    assert hidden_lines, "expected hidden tests in the autograded notebook"
    assert {"reference", "blank"} <= set(classroom.with_feedback())
    for student in classroom.with_feedback():
        html = classroom.feedback_html(student)
        leaked = [line for line in hidden_lines if line in html]
        assert not leaked, f"feedback of {student} shows hidden test source: {leaked[:3]}"
        assert "BEGIN HIDDEN TESTS" not in html


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_explains_failures(graded, assignment):
    """A failing hidden check's message (expected / got / hint) reaches the student."""
    classroom = graded(assignment)
    bugs = [s for s in classroom.with_feedback() if s.startswith("bug-") and
            classroom.results[s].auto_score < classroom.results[s].max_auto]
    html = classroom.feedback_html(bugs[0])
    assert "hint:" in html


def _hidden_lines(nb):
    """Distinctive lines of hidden test regions (the escaped form the HTML would contain)."""
    lines = []
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif inside and len(line.strip()) > 12:
                lines.append(re.sub(r"[<>&\"']", "", line.strip()))
    return [l for l in lines if l]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_cell_of_the_class_waits_out_its_time_limit(graded, assignment):
    """No fabricated student loops, so a cell interrupted at its limit is the grader waiting
    for a reply it missed (widget cells under load, before the sliced kernel client)."""
    classroom = graded(assignment)
    interrupted = {}
    for student in classroom.results:
        metadata = json.loads(classroom.autograded_path(student).read_text(encoding="utf-8"))["metadata"]
        notes = [n for n in metadata.get(KEY, {}).get("reasons", []) if "time limit and was interrupted" in n]
        if notes:
            interrupted[student] = notes
    assert not interrupted, f"cells interrupted at their time limit: {interrupted}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_grader_never_waits_long_on_a_notebook_of_the_class(graded, assignment):
    """A wait of the grader's own, outside the kernel's work, is noted by the execute step
    (project2's widget cell once held its notebook 120 s with no error recorded at all)."""
    classroom = graded(assignment)
    waited = {}
    for student in classroom.results:
        metadata = json.loads(classroom.autograded_path(student).read_text(encoding="utf-8"))["metadata"]
        notes = [n for n in metadata.get(KEY, {}).get("notes", []) if NOTE_MARK in n]
        if notes:
            waited[student] = notes
    assert not waited, f"the grader waited: {waited}"
