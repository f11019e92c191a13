"""What nbgrader builds afresh on every call, built once per batch process.

The batch's writer grades hundreds of notebooks in one process, and its coordinator reads
them all; stock nbgrader pays set-up costs per call that depend on nothing in the call:

- a new SQLAlchemy engine per ``Gradebook``, opened several times per notebook (to check the
  student, overwrite cells, save grades, assign late penalties). A new engine has an empty
  compiled-statement cache, so every query of every notebook was compiled again.
  ``Gradebook.close`` disposes of the engine's connections; the engine and the statements
  it compiled stay for the next one.
- ``jsonschema.validate`` per cell's nbgrader metadata, which checks nbgrader's schema itself
  and builds a validator before validating the cell. The validator is built once per schema;
  a cell gets the same verdict and the same error.

:func:`reuse_nbgrader_setup` installs both for the process's life (the batch's own
processes only: stock nbgrader commands keep stock behaviour).
"""
from __future__ import annotations

import functools
import types

import jsonschema
import nbgrader.api
import nbgrader.nbgraderformat.common
from jsonschema import exceptions, validators
from sqlalchemy import create_engine


@functools.cache
def _engine(url: str, echo: bool, future: bool):
    return create_engine(url, echo=echo, future=future)


def shared_engine(url, echo=False, future=True, **kwargs):
    """``create_engine`` as ``Gradebook`` calls it, one engine per URL."""
    if kwargs:  # an unfamiliar call: nbgrader's own behaviour
        return create_engine(url, echo=echo, future=future, **kwargs)
    return _engine(str(url), echo, future)


_validators: dict[int, tuple[dict, object]] = {}


def validate(instance, schema, cls=None, *args, **kwargs) -> None:
    """``jsonschema.validate`` with the schema checked and its validator built once."""
    if cls is not None or args or kwargs:
        return jsonschema.validate(instance, schema, cls, *args, **kwargs)
    entry = _validators.get(id(schema))
    if entry is None or entry[0] is not schema:
        cls = validators.validator_for(schema)
        cls.check_schema(schema)
        entry = _validators[id(schema)] = (schema, cls(schema))  # holding schema keeps its id unique
    error = exceptions.best_match(entry[1].iter_errors(instance))
    if error is not None:
        raise error


# What nbgrader's metadata validators call as ``jsonschema.validate``.
_JSONSCHEMA = types.SimpleNamespace(validate=validate, ValidationError=jsonschema.ValidationError)


def reuse_nbgrader_setup() -> None:
    """Share engines and schema validators in this process from now on."""
    nbgrader.api.create_engine = shared_engine
    nbgrader.nbgraderformat.common.jsonschema = _JSONSCHEMA
