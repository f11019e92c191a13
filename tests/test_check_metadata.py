"""The course's CheckCellMetadata (course/grading/steps/check_metadata.py) gives nbgrader's verdicts.

It checks nbgrader's schema once per process instead of once per cell; every cell and notebook
must still pass or fail exactly as with nbgrader's own validator, with the same error.
"""
from __future__ import annotations

import copy

import jsonschema
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.preprocessors import CheckCellMetadata as StockCheckCellMetadata

from course import ROOT
from course.grading.steps import check_metadata
from course.grading.steps.check_metadata import CheckCellMetadata, MetadataSchema

GRADED = {"grade": True, "solution": False, "locked": True, "grade_id": "test_x", "points": 2,
          "schema_version": 3}
SOLUTION = {"grade": False, "solution": True, "locked": False, "grade_id": "answer_x", "schema_version": 3}

# name -> (cell type, grading metadata): right ones, and each way nbgrader's validator refuses one.
CELLS = {
    "a test cell": ("code", GRADED),
    "a solution cell": ("code", SOLUTION),
    "a written answer": ("markdown", {**SOLUTION, "grade": True, "points": 1}),
    "a task": ("markdown", {**GRADED, "grade": False, "task": True, "points": 3}),
    "points as a string": ("code", {**GRADED, "points": "2"}),
    "negative points": ("code", {**GRADED, "points": -1}),
    "solution as a string": ("code", {**SOLUTION, "solution": "yes"}),
    "no grade id": ("code", {k: v for k, v in SOLUTION.items() if k != "grade_id"}),
    "an empty grade id": ("code", {**SOLUTION, "grade_id": ""}),
    "a grade without points": ("code", {k: v for k, v in GRADED.items() if k != "points"}),
    "a markdown grade that is not a solution": ("markdown", {**GRADED}),
    "a markdown solution that is not graded": ("markdown", {**SOLUTION}),
    "a task in a code cell": ("code", {**GRADED, "grade": False, "task": True}),
    "an extra key": ("code", {**GRADED, "extra": 1}),
    "an old schema": ("code", {**GRADED, "schema_version": 2}),
    "a schema from the future": ("code", {**GRADED, "schema_version": 4}),
    "no schema version": ("code", {k: v for k, v in GRADED.items() if k != "schema_version"}),
    "a changed cell type": ("markdown", {**SOLUTION, "grade": True, "points": 1, "cell_type": "code"}),
    "grade id as a number": ("code", {**SOLUTION, "grade_id": 7}),
}


def _cell(kind: str, meta: dict):
    cell = new_code_cell("x = 1") if kind == "code" else new_markdown_cell("An answer.")
    cell.metadata["nbgrader"] = copy.deepcopy(meta)
    return cell


def _verdict(validate, *args) -> tuple[str, str] | None:
    try:
        validate(*args)
    except Exception as exc:  # noqa: BLE001 - the verdict is the exception
        return type(exc).__name__, str(exc)
    return None


@pytest.mark.parametrize("name", sorted(CELLS))
def test_each_cell_gets_the_verdict_nbgraders_validator_gives(name):
    kind, meta = CELLS[name]
    stock = _verdict(MetadataValidator().validate_cell, _cell(kind, meta))
    ours = _verdict(MetadataSchema().validate_cell, _cell(kind, meta))
    assert ours == stock


def test_the_cases_include_cells_nbgrader_refuses_for_each_kind_of_reason():
    refused = {name for name, (kind, meta) in CELLS.items()
               if _verdict(MetadataValidator().validate_cell, _cell(kind, meta)) is not None}
    assert {"points as a string", "no grade id", "an old schema", "a schema from the future",
            "a markdown grade that is not a solution"} <= refused
    assert {"a test cell", "a solution cell", "a written answer", "a task"}.isdisjoint(refused)


def test_a_notebook_with_a_repeated_grade_id_fails_both_ways_with_the_same_error():
    nb = new_notebook(cells=[_cell("code", SOLUTION), _cell("code", SOLUTION)])
    stock = _verdict(MetadataValidator().validate_nb, nb)
    assert stock is not None and "Duplicate grade id" in stock[1]
    assert _verdict(MetadataSchema().validate_nb, nb) == stock


def test_every_released_and_source_notebook_passes_both_ways():
    paths = sorted((ROOT / "release").glob("*/*.ipynb")) + sorted((ROOT / "source").glob("*/*.ipynb"))
    assert len(paths) >= 26
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        assert _verdict(MetadataValidator().validate_nb, nb) is None, path
        assert _verdict(MetadataSchema().validate_nb, nb) is None, path


def test_the_step_refuses_a_broken_notebook_with_the_stock_steps_message():
    nb = new_notebook(cells=[_cell("code", {**GRADED, "points": "2"})])
    messages = []
    for step in (StockCheckCellMetadata(), CheckCellMetadata()):
        with pytest.raises(ValidationError) as raised:
            step.preprocess(copy.deepcopy(nb), {})
        messages.append(str(raised.value))
    assert messages[0] == messages[1] == "Notebook failed to validate; the nbgrader metadata may be corrupted."


def test_the_schema_is_checked_once_however_many_cells_are(monkeypatch):
    monkeypatch.setattr(check_metadata, "_VALIDATORS", {})
    schema_class = jsonschema.validators.validator_for(MetadataSchema().schema)
    checks = []
    original = schema_class.check_schema.__func__
    monkeypatch.setattr(schema_class, "check_schema",
                        classmethod(lambda cls, schema, **kw: checks.append(1) or original(cls, schema, **kw)))
    cells = [_cell("code", {**SOLUTION, "grade_id": f"answer_{i}"}) for i in range(40)]
    for _ in range(3):
        MetadataSchema().validate_nb(new_notebook(cells=cells))
    assert len(checks) == 1
