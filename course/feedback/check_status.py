"""Feedback step: name every graded cell and say whether it passed, failed or waits for a grader.

nbgrader's feedback lists each check as an unnamed "Test cell" and shows an
answer not graded by hand yet as scoring 0. This step writes, per graded cell,
``metadata["course_feedback"]`` = {"name", "what", "status"} for the course's
feedback template: the grade id, the check's first comment line (what it
checks), and ``passed`` / ``failed`` / ``partial`` / ``pending``.
"""
from __future__ import annotations

import enum

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.api import Gradebook

from .display_priority import FeedbackStep

METADATA_KEY = "course_feedback"


class CheckStatus(str, enum.Enum):
    PASSED = "passed"
    PARTIAL = "partial"
    FAILED = "failed"
    PENDING = "pending"  # graded by hand, not graded yet


class MarkCheckStatus(FeedbackStep):
    """Run after ``GetGrades``: reads the gradebook for answers still waiting for a manual grade."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            notebook = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
            self._pending = {g.name for g in notebook.grades if g.needs_manual_grade}
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        cell_index: int) -> tuple[NotebookNode, ResourcesDict]:
        grading = cell.metadata.get("nbgrader", {})
        if grading.get("grade") or grading.get("task"):
            cell.metadata[METADATA_KEY] = {"name": grading["grade_id"], "what": check_summary(cell),
                                           "status": self._status(cell).value}
        return cell, resources

    def _status(self, cell: NotebookNode) -> CheckStatus:
        grading = cell.metadata.nbgrader
        if grading["grade_id"] in self._pending:
            return CheckStatus.PENDING
        score, points = float(grading.get("score") or 0), float(grading.get("points") or 0)
        if points == 0 and cell.cell_type == "code" and not grading.get("solution"):
            # a test worth no points (a visible test of a composite guides, its hidden checks grade):
            # passed or failed as nbgrader decides for any test cell, by an error in its output
            failed = any(out.get("output_type") == "error" for out in cell.get("outputs", []))
            return CheckStatus.FAILED if failed else CheckStatus.PASSED
        if score >= points:
            return CheckStatus.PASSED
        return CheckStatus.PARTIAL if score > 0 else CheckStatus.FAILED


def check_summary(cell: NotebookNode) -> str:
    """What a check checks: its first comment line ("# Hidden tests: values on ..."), else its kind."""
    grading = cell.metadata.nbgrader
    if grading.get("solution") or grading.get("task"):
        return "your answer, graded by hand"
    for line in cell.source.splitlines():
        if line.startswith("#") and line.lstrip("# ").strip() and "HIDDEN TESTS" not in line:
            return line.lstrip("# ").strip()
    return "visible test (the code is shown below)"
