"""Sanitize step: restore locked cells from the gradebook, reporting only real edits.

The release hands out test cells without their hidden-test region, so every
honest submission's test cells differ from the gradebook's source, and stock
``OverwriteCells`` logs "Attribute 'checksum' for cell ... has changed!" for
each of them (nbgrader issue #1961), which reads like tampering. A cell whose
source is exactly what the release handed out is restored silently; any other
difference is still reported, and the cell is restored either way.

Stock ``OverwriteCells`` also asks the gradebook two or three SQL queries per graded cell (about
half of a sanitize pass); here the notebook's cells are read once, in three queries, and the
stock step reads them through :class:`NotebookCells`.
"""
from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.api import Gradebook, GradeCell, MissingEntry, SourceCell, TaskCell
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells


class NotebookCells:
    """The gradebook as ``OverwriteCells`` reads it: one notebook's source and graded cells, read
    once. A cell it does not hold (or another notebook's) is looked up in the gradebook itself, so
    a missing one raises the gradebook's own ``MissingEntry``."""

    def __init__(self, gradebook: Gradebook, notebook_id: str, assignment_id: str):
        self.gradebook, self.key = gradebook, (notebook_id, assignment_id)
        try:
            notebook = gradebook.find_notebook(notebook_id, assignment_id)
        except MissingEntry:
            self.source, self.graded = {}, {}
            return
        self.source: dict[str, SourceCell] = {cell.name: cell for cell in notebook.source_cells}
        # Queried by class, not through notebook.grade_cells: that loads each cell's own columns
        # (max_score, ...) in a query per cell. find_graded_cell looks for a grade cell first.
        self.graded: dict[str, GradeCell | TaskCell] = {}
        for kind in (TaskCell, GradeCell):
            self.graded.update({cell.name: cell for cell in gradebook.db.query(kind).filter(kind.notebook_id == notebook.id)})

    def find_source_cell(self, name: str, notebook: str, assignment: str) -> SourceCell:
        if (notebook, assignment) == self.key and name in self.source:
            return self.source[name]
        return self.gradebook.find_source_cell(name, notebook, assignment)

    def find_graded_cell(self, name: str, notebook: str, assignment: str) -> GradeCell | TaskCell:
        if (notebook, assignment) == self.key and name in self.graded:
            return self.graded[name]
        return self.gradebook.find_graded_cell(name, notebook, assignment)

    def find_notebook(self, notebook: str, assignment: str):
        return self.gradebook.find_notebook(notebook, assignment)


class OverwriteReleasedCells(OverwriteCells):
    """``OverwriteCells`` that knows a released test cell lacks its hidden tests."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        """Stock ``OverwriteCells.preprocess``, reading the gradebook through :class:`NotebookCells`."""
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.db_url = resources["nbgrader"]["db_url"]
        with Gradebook(self.db_url) as gradebook:
            self.gradebook = NotebookCells(gradebook, self.notebook_id, self.assignment_id)
            nb, resources = super(OverwriteCells, self).preprocess(nb, resources)
            if self.add_missing_cells:
                nb, resources = self.add_missing_grade_cells(nb, resources)
                nb, resources = self.add_missing_task_cells(nb, resources)
        return nb, resources

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
