"""The reader turns damaged submissions into notebooks nbgrader grades, without nbgrader stopping."""
from __future__ import annotations

import copy
import json

import nbformat
from nbgrader.nbgraderformat import MetadataValidator

from course.grading.steps.notebook_repair import repair
from course.grading.steps.reader import _read, drop_unusable_metadata, restore_graded_cells
from tests.example_course import EXAMPLE, NOTEBOOK

SOURCE = EXAMPLE / "source" / "example_stats" / NOTEBOOK


def _example() -> dict:
    return json.loads(SOURCE.read_text(encoding="utf-8"))


def _node(data: dict):
    return nbformat.reads(json.dumps(data), as_version=4)


def test_a_retyped_graded_cell_of_an_id_less_notebook_is_restored_without_an_id():
    data = _example()
    data["cells"][2]["cell_type"] = "markdown"
    for key in ("outputs", "execution_count"):
        del data["cells"][2][key]
    nb = _node(data)
    notes = restore_graded_cells(nb, _node(_example()))
    assert nb.cells[2].cell_type == "code" and "id" not in nb.cells[2] and notes
    nbformat.validate(nb)


def test_a_pasted_graded_cell_keeps_its_grading_metadata_only_in_the_last_copy():
    data = _example()
    data["cells"].insert(1, copy.deepcopy(data["cells"][4]))
    nb = _node(data)
    notes = drop_unusable_metadata(nb)
    assert "nbgrader" not in nb.cells[1].metadata and nb.cells[5].metadata["nbgrader"]["grade_id"] == "test_mean"
    assert notes == ["cell 1 is graded as an ordinary cell: a second copy of graded cell 'test_mean'"]
    MetadataValidator().validate_nb(nb)


def test_outdated_or_broken_grading_metadata_never_reaches_nbgrader():
    data = _example()
    data["cells"][1]["metadata"]["nbgrader"]["schema_version"] = 1
    data["cells"][2]["metadata"]["nbgrader"]["points"] = "lots"
    data["cells"][3]["metadata"]["nbgrader"] = ["not", "an", "object"]
    nb = _node(data)
    drop_unusable_metadata(nb)
    MetadataValidator().validate_nb(nb)  # raises SchemaTooOldError / ValidationError otherwise


def test_graded_cells_the_release_lacks_become_ordinary_cells():
    data = _example()
    data["cells"][2]["metadata"]["nbgrader"]["grade_id"] = "made_up"
    nb = _node(data)
    notes = drop_unusable_metadata(nb, {"load_column", "test_load_column", "mean", "test_mean"})
    assert "nbgrader" not in nb.cells[2].metadata and "'made_up' is not in the released assignment" in notes[0]


def test_duplicate_missing_and_foreign_fields_are_mended_to_the_notebooks_own_minor_version(tmp_path):
    data = _example()
    data["nbformat_minor"] = 5
    for cell in data["cells"]:
        cell["id"] = "same"
    del data["cells"][0]["id"]
    data["cells"][1]["mystery"] = 1
    del data["cells"][2]["outputs"]
    data["cells"][3]["cell_type"] = "heading"
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(data))
    nb, notes = _read(str(path))
    assert len({c.id for c in nb.cells}) == len(nb.cells) and notes
    nbformat.validate(nb)


def test_an_nbformat_4_4_notebook_with_ids_loses_them_instead_of_being_rejected():
    data = _example()
    data["cells"][0]["id"] = "abc"
    changes = repair(data)
    assert "id" not in data["cells"][0] and changes
    nbformat.validate(_node(data))
