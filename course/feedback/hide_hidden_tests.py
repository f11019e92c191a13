"""Feedback step: students see what was checked and why it failed, never how."""
from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests

from .display_priority import FeedbackStep

HIDDEN_NOTE = "# (hidden test code not shown: the result is in this check's heading)"


class HideHiddenTests(FeedbackStep, ClearHiddenTests):
    """Remove hidden test source from test cells and shorten their tracebacks.

    nbgrader restores hidden tests into the autograded notebook, and a failing
    cell's traceback quotes the lines around the failure. Both would show a
    student the hidden checks, so feedback keeps only the exception's name and
    message (the graders write messages that explain the failure).
    """

    enforce_metadata = False

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        cell_index: int) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
            return cell, resources
        if self._remove_hidden_test_region(cell):
            cell.source = (cell.source.rstrip("\n") + "\n" + HIDDEN_NOTE).lstrip("\n")
        for output in cell.outputs:
            if output.output_type == "error":
                output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
