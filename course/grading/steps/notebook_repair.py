"""Turn a structurally damaged nbformat 4 notebook into a valid one, saying what was changed.

A submission's JSON is hostile or merely mangled by an editor: missing or extra fields,
wrong types, duplicate or missing cell ids, unknown cell types. nbformat's validator
rejects all of these, and nbgrader then fails the whole submission; here each is
mended the way the schema of the notebook's own minor version asks, so the student's
cells still run. What cannot be mended is left to the validator (the student's zero).
"""
from __future__ import annotations

import re
import uuid
from typing import Any

_CELL_FIELDS = {
    "code": ("id", "cell_type", "metadata", "source", "outputs", "execution_count"),
    "markdown": ("id", "cell_type", "metadata", "attachments", "source"),
    "raw": ("id", "cell_type", "metadata", "attachments", "source"),
}
_NOTEBOOK_FIELDS = ("metadata", "nbformat_minor", "nbformat", "cells")
_CELL_ID = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")
_MAX_CELLS = 10_000


def repair(data: Any) -> list[str]:
    """Mend ``data`` (a notebook's parsed JSON) in place; what was changed, for the record.
    Only nbformat 4 notebooks with a list of cells are mended; anything else is left as is."""
    if not isinstance(data, dict) or data.get("nbformat") != 4 or not isinstance(data.get("cells"), list):
        return []
    changes: list[str] = []
    minor = data.get("nbformat_minor")
    if not isinstance(minor, int) or isinstance(minor, bool) or not 0 <= minor <= 5:
        data["nbformat_minor"] = minor = 5 if _has_ids(data["cells"]) else 4
        changes.append("nbformat_minor")
    changes += _only_fields(data, _NOTEBOOK_FIELDS)
    cells, seen = [], set()
    for index, cell in enumerate(data["cells"][:_MAX_CELLS]):
        if not isinstance(cell, dict):
            changes.append(f"cell {index} (not an object, dropped)")
            continue
        changes += [f"cell {index}: {c}" for c in _repair_cell(cell, minor, seen)]
        cells.append(cell)
    if len(data["cells"]) > _MAX_CELLS:
        changes.append(f"cells past the first {_MAX_CELLS} (dropped)")
    data["cells"] = cells
    return changes


def _repair_cell(cell: dict, minor: int, seen: set) -> list[str]:
    changes = []
    if cell.get("cell_type") not in _CELL_FIELDS:
        changes.append(f"cell type {str(cell.get('cell_type'))[:40]!r} (made markdown)")
        cell["cell_type"] = "markdown"
    changes += _only_fields(cell, _CELL_FIELDS[cell["cell_type"]])
    source = cell.get("source")
    if not (isinstance(source, str) or (isinstance(source, list) and all(isinstance(s, str) for s in source))):
        cell["source"] = ""
        changes.append("source")
    if "attachments" in cell and not isinstance(cell["attachments"], dict):
        del cell["attachments"]
        changes.append("attachments")
    if cell["cell_type"] == "code":
        if not isinstance(cell.get("outputs"), list):
            cell["outputs"] = []
            changes.append("outputs")
        count = cell.get("execution_count")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
            cell["execution_count"] = None
            changes.append("execution_count")
        cell.setdefault("execution_count", None)
    if minor >= 5:
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or not _CELL_ID.match(cell_id) or cell_id in seen:
            cell["id"] = cell_id = uuid.uuid4().hex[:8]
            changes.append("id (missing, invalid or duplicate)")
        seen.add(cell_id)
    elif "id" in cell:
        del cell["id"]  # cell ids arrived with nbformat 4.5
        changes.append("id (not part of nbformat 4.%d)" % minor)
    return changes


def strip_metadata(data: dict) -> None:
    """Last resort before giving up: keep only the metadata grading reads."""
    meta = data.get("metadata", {})
    kernelspec = meta.get("kernelspec")
    data["metadata"] = {}
    if isinstance(kernelspec, dict) and all(isinstance(kernelspec.get(k), str) for k in ("name", "display_name")):
        data["metadata"]["kernelspec"] = {k: v for k, v in kernelspec.items() if isinstance(v, str)}
    for cell in data.get("cells", []):
        nbgrader = cell.get("metadata", {}).get("nbgrader")
        cell["metadata"] = {"nbgrader": nbgrader} if isinstance(nbgrader, dict) else {}
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
        cell.pop("attachments", None)


def _only_fields(obj: dict, fields: tuple) -> list[str]:
    """Drop the fields the schema does not allow; an object for metadata."""
    changes = []
    for key in [k for k in obj if k not in fields]:
        del obj[key]
        changes.append(f"field {str(key)[:40]!r}")
    if not isinstance(obj.get("metadata"), dict):
        obj["metadata"] = {}
        changes.append("metadata")
    return changes


def _has_ids(cells: list) -> bool:
    return any(isinstance(c, dict) and "id" in c for c in cells)
