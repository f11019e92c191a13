"""Read a submitted notebook without trusting it: a bad file becomes a recorded zero, not a crash.

Used as nbgrader's exporter for Autograde. A submission that is a symlink, too large, not
JSON, or not a notebook even after mending (:mod:`course.grading.steps.notebook_repair`) is replaced by the
assignment's released notebook with a first cell saying why, so every test scores 0 with a
reason, the batch goes on, and the student's file stays untouched in ``submitted/``. A
readable one gets back from the release what the student may not change (the grading
metadata and type of graded cells), and grading metadata nbgrader would stop the whole
assignment on (a graded cell pasted twice, an old or broken schema) is made harmless.
"""
from __future__ import annotations

import copy
import datetime
import json
import os

import nbformat
from nbconvert.exporters import NotebookExporter
from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_markdown_cell
from nbgrader import utils
from traitlets import Integer

from course.grading.steps.check_metadata import MetadataSchema
from course.grading.steps.notebook_repair import repair, strip_metadata
from course.grading.status import KEY

_REASON = "the submitted file could not be graded: {}"


def restore_graded_cells(nb, released) -> list[str]:
    """Put back what a student may not change about a graded cell: its nbgrader metadata and
    its type (nbgrader itself stops on a test cell whose metadata says "not graded")."""
    by_grade_id = {c.metadata["nbgrader"]["grade_id"]: c for c in released.cells
                   if isinstance(c.metadata.get("nbgrader"), dict) and c.metadata["nbgrader"].get("grade_id")}
    by_cell_id = {c.get("id"): c for c in by_grade_id.values() if c.get("id")}
    changed = []
    for index, cell in enumerate(nb.cells):
        grade_id = _nbgrader(cell).get("grade_id")
        original = by_grade_id.get(grade_id) if isinstance(grade_id, str) else None
        original = original or by_cell_id.get(cell.get("id"))
        if original is None:
            continue
        if cell.metadata.get("nbgrader") != original.metadata["nbgrader"] or cell.cell_type != original.cell_type:
            changed.append(original.metadata["nbgrader"]["grade_id"])
        cell.metadata["nbgrader"] = copy.deepcopy(original.metadata["nbgrader"])
        if cell.cell_type != original.cell_type:
            nb.cells[index] = _retyped(cell, original.cell_type)
    if not changed:
        return []
    return ["graded cells whose type or grading metadata had been changed were restored: " + ", ".join(changed)]


def drop_unusable_metadata(nb, released_ids: set[str] | None = None) -> list[str]:
    """Grading metadata nbgrader would stop the whole assignment on becomes an ordinary cell's:
    not an object, an old or too new schema (upgraded first, as ``nbgrader update`` would),
    invalid, a grade id already used by a later cell (kept there, as nbgrader's own
    DeduplicateIds keeps the last copy of a pasted cell), or one the release does not have
    (``released_ids``: a student may not add graded cells)."""
    notes, validator, seen = [], MetadataSchema(), set()
    for index in reversed(range(len(nb.cells))):
        cell = nb.cells[index]
        if "nbgrader" not in cell.metadata:
            continue
        problem = _metadata_problem(cell, validator)
        if problem is None and (utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell)):
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            problem = f"a second copy of graded cell {grade_id!r}" if grade_id in seen else None
            if released_ids is not None and grade_id not in released_ids:
                problem = f"graded cell {str(grade_id)[:60]!r} is not in the released assignment"
            seen.add(grade_id)
        if problem is not None:
            del cell.metadata["nbgrader"]
            notes.append(f"cell {index} is graded as an ordinary cell: {problem}")
    return notes[::-1]


class SafeNotebookExporter(NotebookExporter):
    max_notebook_bytes = Integer(20 * 2**20, help="Larger submitted notebooks are not read.").tag(config=True)

    def from_filename(self, filename, resources=None, **kw):
        problem, nb, notes = self._problem(filename), None, []
        if problem is None:
            try:
                nb, notes = _read(filename)
            except Exception as exc:  # noqa: BLE001 - any unreadable file is the student's zero
                problem = f"not a valid notebook ({type(exc).__name__}: {str(exc)[:200]})"
        resources = resources if resources is not None else {}
        metadata = resources.setdefault("metadata", {})
        metadata["path"], basename = os.path.split(filename)
        metadata["name"] = os.path.splitext(basename)[0]
        if problem is None:  # errors from here on are the pipeline's, not the file's
            modified = datetime.datetime.fromtimestamp(os.path.getmtime(filename), tz=datetime.timezone.utc)
            metadata["modified_date"] = modified.strftime("%B %-d, %Y")  # as nbconvert's Exporter
            self._read_notes = notes
            try:
                return self.from_notebook_node(nb, resources=resources, **kw)
            finally:
                self._read_notes = []
        # Straight to the base class: only this placeholder may carry a status into grading.
        return super().from_notebook_node(self._placeholder(filename, problem), resources=resources, **kw)

    def from_notebook_node(self, nb, resources=None, **kw):
        if getattr(self.parent, "_sanitizing", True):
            nb.metadata.pop(KEY, None)  # a submission's own claim is never believed
            notes = list(getattr(self, "_read_notes", []))
            meta = (resources or {}).get("metadata", {})
            filename = os.path.join(meta.get("path", ""), meta.get("name", ""))
            released = self._released(filename + ".ipynb")
            released_ids = None
            if os.path.isfile(released):
                release = nbformat.read(released, as_version=4)
                notes += restore_graded_cells(nb, release)
                released_ids = {_nbgrader(c).get("grade_id") for c in release.cells} - {None}
            notes += drop_unusable_metadata(nb, released_ids)
            for note in notes:
                self.log.warning("%s: %s", filename, note)
            if notes:
                nb.metadata[KEY] = {"from_reader": True, "reasons": [], "notes": notes[:20]}
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
        nb.cells.insert(0, _retyped(new_markdown_cell(f"**Grading error:** {reason}."), "markdown", nb))
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


def _read(filename: str) -> tuple[NotebookNode, list[str]]:
    """The notebook in ``filename``, mended if need be, and what mending changed."""
    with open(filename, encoding="utf-8") as handle:
        data = json.load(handle)
    changes = repair(data)
    nb = nbformat.reads(json.dumps(data), as_version=4)
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError:
        strip_metadata(data)
        changes.append("cell and notebook metadata other than nbgrader's and the kernelspec")
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(nb)
    return nb, (["the notebook's structure was mended: " + ", ".join(changes[:30])] if changes else [])


def _metadata_problem(cell, validator) -> str | None:
    if not isinstance(cell.metadata["nbgrader"], dict):
        return "its grading metadata is not an object"
    try:
        validator.upgrade_cell_metadata(cell)
        validator.validate_cell(cell)
    except Exception as exc:  # noqa: BLE001 - schema mismatch or invalid fields
        return f"its grading metadata is unusable ({type(exc).__name__}: {str(exc)[:120]})"
    return None


def _nbgrader(cell) -> dict:
    meta = cell.metadata.get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def _retyped(cell, cell_type: str, nb=None) -> NotebookNode:
    """``cell`` as a ``cell_type`` cell with the same id (or none, before nbformat 4.5)."""
    new = NotebookNode({"cell_type": cell_type, "metadata": cell.metadata, "source": cell.source})
    if cell.get("id") and (nb is None or nb.get("nbformat_minor", 5) >= 5):
        new["id"] = cell["id"]
    if cell_type == "code":
        new["outputs"], new["execution_count"] = [], None
    return new
