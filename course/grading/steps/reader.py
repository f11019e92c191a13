"""Read a submitted notebook without trusting it: a bad file becomes a recorded zero, not a crash.

Used as nbgrader's exporter for Autograde. A submission that is a symlink, too large, not
JSON, not a notebook, or not valid nbformat is replaced by the assignment's released
notebook with a first cell saying why, so every test scores 0 with a reason, the batch
goes on, and the student's file stays untouched in ``submitted/``.
"""
from __future__ import annotations

import copy
import os

import nbformat
from nbconvert.exporters import NotebookExporter
from nbformat.v4 import new_code_cell, new_markdown_cell
from traitlets import Integer

from course.grading.status import KEY

_REASON = "the submitted file could not be graded: {}"


def restore_graded_cells(nb, released) -> list[str]:
    """Put back what a student may not change about a graded cell: its nbgrader metadata and
    its type (nbgrader itself stops on a test cell whose metadata says "not graded")."""
    by_grade_id = {c.metadata["nbgrader"]["grade_id"]: c for c in released.cells
                   if c.metadata.get("nbgrader", {}).get("grade_id")}
    by_cell_id = {c.get("id"): c for c in by_grade_id.values()}
    changed = []
    for index, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        original = by_grade_id.get(grade_id) or by_cell_id.get(cell.get("id"))
        if original is None:
            continue
        if cell.metadata.get("nbgrader") != original.metadata["nbgrader"] or cell.cell_type != original.cell_type:
            changed.append(original.metadata["nbgrader"]["grade_id"])
        cell.metadata["nbgrader"] = copy.deepcopy(original.metadata["nbgrader"])
        if cell.cell_type != original.cell_type:
            make = new_code_cell if original.cell_type == "code" else new_markdown_cell
            nb.cells[index] = make(source=cell.source, metadata=cell.metadata, id=cell.get("id") or original.get("id"))
    if not changed:
        return []
    return ["graded cells whose type or grading metadata had been changed were restored: " + ", ".join(changed)]


class SafeNotebookExporter(NotebookExporter):
    max_notebook_bytes = Integer(20 * 2**20, help="Larger submitted notebooks are not read.").tag(config=True)

    def from_filename(self, filename, resources=None, **kw):
        problem = self._problem(filename)
        if problem is None:
            try:
                with open(filename, encoding="utf-8") as handle:
                    nbformat.validate(nbformat.read(handle, as_version=4))
            except Exception as exc:  # noqa: BLE001 - any unreadable file is the student's zero
                problem = f"not a valid notebook ({type(exc).__name__}: {str(exc)[:200]})"
        if problem is None:  # errors from here on are the pipeline's, not the file's
            return super().from_filename(filename, resources=resources, **kw)
        resources = resources if resources is not None else {}
        metadata = resources.setdefault("metadata", {})
        metadata["path"], basename = os.path.split(filename)
        metadata["name"] = os.path.splitext(basename)[0]
        # Straight to the base class: only this placeholder may carry a status into grading.
        return super().from_notebook_node(self._placeholder(filename, problem), resources=resources, **kw)

    def from_notebook_node(self, nb, resources=None, **kw):
        if getattr(self.parent, "_sanitizing", True):
            nb.metadata.pop(KEY, None)  # a submission's own claim is never believed
            meta = (resources or {}).get("metadata", {})
            filename = os.path.join(meta.get("path", ""), meta.get("name", ""))
            released = self._released(filename + ".ipynb")
            if os.path.isfile(released):
                notes = restore_graded_cells(nb, nbformat.read(released, as_version=4))
                if notes:
                    nb.metadata[KEY] = {"from_reader": True, "reasons": [], "notes": notes}
        return super().from_notebook_node(nb, resources=resources, **kw)

    def _problem(self, filename: str) -> str | None:
        if os.path.islink(filename):
            return "it is a symbolic link, not a file"
        if not os.path.isfile(filename):
            return "it is not a regular file"
        size = os.path.getsize(filename)
        if size > self.max_notebook_bytes:
            return f"it is {size} bytes, over the {self.max_notebook_bytes} byte limit"
        return None

    def _placeholder(self, filename: str, problem: str):
        reason = _REASON.format(problem)
        released = self._released(filename)
        nb = nbformat.read(released, as_version=4) if os.path.isfile(released) else nbformat.v4.new_notebook()
        nb.cells.insert(0, new_markdown_cell(f"**Grading error:** {reason}."))
        nb.metadata[KEY] = {"from_reader": True, "reasons": [reason]}
        return nb


    def _released(self, filename: str) -> str:
        """The released copy of this notebook: release/<assignment>/<name>.ipynb."""
        assignment = os.path.basename(os.path.dirname(os.path.abspath(filename)))
        coursedir = getattr(self.parent, "coursedir", None)
        if coursedir is not None:
            folder = coursedir.format_path(coursedir.release_directory, ".", assignment)
        else:
            folder = os.path.join(os.path.dirname(filename), "..", "..", "..", "release", assignment)
        return os.path.join(folder, os.path.basename(filename))
