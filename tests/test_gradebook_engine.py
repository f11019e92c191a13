"""The batch writer's gradebooks share one SQLAlchemy engine per URL (course/grading/batch/gradebook_engine.py)."""
from __future__ import annotations

import shutil

import nbgrader.api
import pytest
from nbgrader.api import Gradebook

from course.grading.batch.gradebook_engine import shared_engine


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
def shared(monkeypatch):
    """What ``share_engines()`` does for the writer's whole life, undone after the test."""
    monkeypatch.setattr(nbgrader.api, "create_engine", shared_engine)


def test_gradebooks_of_one_gradebook_file_share_one_engine(shared, url):
    with Gradebook(url) as first:
        engine = first.engine
    with Gradebook(url) as second:
        assert second.engine is engine


def test_a_gradebook_opened_after_one_closed_reads_what_that_one_wrote(shared, url):
    with Gradebook(url) as first:
        first.add_student("ada", first_name="Ada")
    with Gradebook(url) as second:
        assert second.find_student("ada").first_name == "Ada"


def test_another_gradebook_file_gets_its_own_engine(shared, empty_gradebook, tmp_path):
    with Gradebook(_copy(empty_gradebook, tmp_path / "a.db")) as a, \
            Gradebook(_copy(empty_gradebook, tmp_path / "b.db")) as b:
        a.add_student("ada")
        assert a.engine is not b.engine and [s.id for s in b.students] == []


def test_without_sharing_each_gradebook_has_its_own_engine(url):
    """The stock behaviour the writer changes (so the first test can fail)."""
    with Gradebook(url) as first, Gradebook(url) as second:
        assert first.engine is not second.engine
