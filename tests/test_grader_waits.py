"""A long wait of the grader's own, outside the kernel's work on a cell, is noted; the grade stands.

The notebook runs through the real execute step (jail, kernel, nbclient) with
:class:`tests.faults.GraderWaits`, which waits 3 s where a cell says ``# grader waits <where>``
and notes waits over 2 s (the course's configuration notes waits over 10 s).
"""
import re

import pytest

from tests.faults import WAIT

from .test_sandbox_channel import STUDENT, _run

pytestmark = pytest.mark.pipeline

CELLS = [STUDENT, "a = 1", "b = 2  # grader waits before", "c = 3  # grader waits after",
         "d = 4  # grader waits between", "e = 5"]


@pytest.fixture(scope="module")
def status():
    nb = _run(CELLS, {}, execute_class="tests.faults.GraderWaits")
    return nb.metadata["course_grading"]


def _notes_about(status, index: int) -> list[str]:
    """The notes naming cell ``index``, their seconds written as N when at least the fault's wait."""
    notes = [n for n in status["notes"] if n.endswith(f"cell {index}") or f"cell {index} " in n]
    return [re.sub(r"^(\d+) s", lambda m: "N s" if int(m[1]) >= WAIT else m[0], n) for n in notes]


def test_a_wait_before_the_kernel_runs_a_cell_is_noted(status):
    assert _notes_about(status, 2) == ["N s passed between the grader beginning cell 2 and the kernel running it"], \
        status


def test_a_wait_after_the_kernel_replied_is_noted(status):
    assert _notes_about(status, 3) == ["N s passed between the kernel's reply to cell 3 and the grader finishing it"], \
        status


def test_a_wait_between_two_cells_is_noted(status):
    assert _notes_about(status, 4) == ["N s passed in the grader between the previous cell and cell 4"], status


def test_cells_the_grader_did_not_wait_on_get_no_note(status):
    assert [_notes_about(status, i) for i in (0, 1, 5)] == [[], [], []], status
    assert len(status["notes"]) == 3, status


def test_a_noted_wait_leaves_the_grade_intact(status):
    assert status["status"] == "ok" and not status["reasons"], status
