"""One SQLAlchemy engine per gradebook URL for the whole batch, instead of one per ``Gradebook``.

nbgrader opens a new ``Gradebook`` (and with it a new engine) several times per notebook:
to check the student, to overwrite cells, to save grades, to assign late penalties. A new
engine starts with an empty compiled-statement cache, so every query of every notebook is
compiled again, and reflects the schema again; the batch's writer grades hundreds of
notebooks in one process. ``Gradebook.close`` disposes of the engine's connections; the
engine, and the statements it compiled, stay for the next one.
"""
from __future__ import annotations

import functools

import nbgrader.api
from sqlalchemy import create_engine


@functools.cache
def _engine(url: str, echo: bool, future: bool):
    return create_engine(url, echo=echo, future=future)


def shared_engine(url, echo=False, future=True, **kwargs):
    if kwargs:  # an unfamiliar call: nbgrader's own behaviour
        return create_engine(url, echo=echo, future=future, **kwargs)
    return _engine(str(url), echo, future)


def share_engines() -> None:
    """Make this process's ``nbgrader.api.Gradebook``s share an engine per URL."""
    nbgrader.api.create_engine = shared_engine
