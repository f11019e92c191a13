"""The batch's processes build nbgrader's per-call set-up once (course/grading/batch/nbgrader_reuse.py):
gradebooks share an engine per file, cell metadata is validated by one validator, same verdicts."""
from __future__ import annotations

import shutil

import nbgrader.api
import nbgrader.nbgraderformat.common
import pytest
from nbgrader.api import Gradebook
from jsonschema import validators
from nbgrader.nbgraderformat import MetadataValidator

from course.grading.batch.nbgrader_reuse import _JSONSCHEMA, shared_engine

GOOD = {"grade": True, "grade_id": "softmax_values", "locked": True, "points": 2, "schema_version": 3,
        "solution": False, "task": False}


@pytest.fixture(scope="module")
def empty_gradebook(tmp_path_factory):
    """A new gradebook file, made once: making one runs alembic (seconds), opening a copy does not."""
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    Gradebook(f"sqlite:///{path}").close()
    return path


@pytest.fixture
def url(empty_gradebook, tmp_path):
    return _copy(empty_gradebook, tmp_path / "gradebook.db")


def _copy(path, to):
    shutil.copy(path, to)
    return f"sqlite:///{to}"


@pytest.fixture
def reuse(monkeypatch):
    """What ``reuse_nbgrader_setup()`` does for a batch process's life, undone after the test."""
    monkeypatch.setattr(nbgrader.api, "create_engine", shared_engine)
    monkeypatch.setattr(nbgrader.nbgraderformat.common, "jsonschema", _JSONSCHEMA)


def _cell(**metadata):
    from nbformat.v4 import new_code_cell
    cell = new_code_cell("x = 1")
    cell.metadata["nbgrader"] = {**GOOD, **metadata}
    return cell


def _verdict(cell):
    try:
        MetadataValidator().validate_cell(cell)
        return None
    except Exception as error:  # noqa: BLE001 - the verdict is whatever nbgrader raises
        return f"{type(error).__name__}: {getattr(error, 'message', error)}"


def test_gradebooks_of_one_gradebook_file_share_one_engine(reuse, url):
    with Gradebook(url) as first:
        engine = first.engine
    with Gradebook(url) as second:
        assert second.engine is engine


def test_a_gradebook_opened_after_one_closed_reads_what_that_one_wrote(reuse, url):
    with Gradebook(url) as first:
        first.add_student("ada", first_name="Ada")
    with Gradebook(url) as second:
        assert second.find_student("ada").first_name == "Ada"


def test_another_gradebook_file_gets_its_own_engine(reuse, empty_gradebook, tmp_path):
    with Gradebook(_copy(empty_gradebook, tmp_path / "a.db")) as a, \
            Gradebook(_copy(empty_gradebook, tmp_path / "b.db")) as b:
        a.add_student("ada")
        assert a.engine is not b.engine and [s.id for s in b.students] == []


def test_without_reuse_each_gradebook_has_its_own_engine(url):
    """The stock behaviour the batch changes (so the first test can fail)."""
    with Gradebook(url) as first, Gradebook(url) as second:
        assert first.engine is not second.engine


@pytest.mark.parametrize("metadata", [{}, {"points": "two"}, {"grade_id": 7}, {"solution": "yes"},
                                      {"schema_version": 2}, {"unknown": 1}])
def test_cell_metadata_gets_the_same_verdict_and_error_as_stock(monkeypatch, metadata):
    stock = _verdict(_cell(**metadata))
    monkeypatch.setattr(nbgrader.nbgraderformat.common, "jsonschema", _JSONSCHEMA)
    assert _verdict(_cell(**metadata)) == stock


def test_the_schema_is_checked_once_for_many_cells(reuse, monkeypatch):
    validator = MetadataValidator()
    cls = validators.validator_for(validator.schema)
    checked = []
    original = cls.check_schema.__func__
    monkeypatch.setattr(cls, "check_schema",
                        classmethod(lambda c, schema, **kw: (checked.append(1), original(c, schema, **kw))[1]))
    for _ in range(5):
        validator.validate_cell(_cell())
    assert len(checked) == 1
