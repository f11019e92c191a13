"""Sanitize step: restore locked cells from the gradebook, reporting only real edits.

The release hands out test cells without their hidden-test region, so every
honest submission's test cells differ from the gradebook's source, and stock
``OverwriteCells`` logs "Attribute 'checksum' for cell ... has changed!" for
each of them (nbgrader issue #1961), which reads like tampering. A cell whose
source is exactly what the release handed out is restored silently; any other
difference is still reported, and the cell is restored either way.
"""
from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells


class OverwriteReleasedCells(OverwriteCells):
    """``OverwriteCells`` that knows a released test cell lacks its hidden tests."""

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        cell_index: int) -> tuple[NotebookNode, ResourcesDict]:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None and cell.cell_type == "code":
            try:
                source_cell = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
            except MissingEntry:
                source_cell = None  # stock OverwriteCells reports and handles it
            if source_cell is not None and source_cell.locked and cell.source != source_cell.source \
                    and cell.source == self._as_released(source_cell.source):
                cell.source = source_cell.source
        return super().preprocess_cell(cell, resources, cell_index)

    def _as_released(self, source: str) -> str:
        """The source as ``generate_assignment`` hands it out: hidden-test region removed."""
        released = NotebookNode(cell_type="code", source=source, metadata={})
        ClearHiddenTests(parent=self)._remove_hidden_test_region(released)
        return released.source
