"""Sanitize and autograde step: nbgrader's ``CheckCellMetadata``, with its schema checked once.

nbgrader checks each cell's grading metadata with ``jsonschema.validate``, which first checks
the schema itself against JSON Schema's metaschema: nine tenths of the work, with the same answer
for every cell of every notebook. A notebook is checked five times on its way through ``course
grade`` (the reader and ``CheckCellMetadata`` in both sanitize passes, ``CheckCellMetadata`` again
after grading), about 30 ms each time. Here the schema is checked once per process and each cell
is checked by the same validator class against the same schema, after the same version checks, so
the same notebooks pass and fail with the same errors (tests/test_check_metadata.py).
"""
from __future__ import annotations

import traceback

import jsonschema
from nbformat.notebooknode import NotebookNode
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator, SchemaTooNewError, SchemaTooOldError
from nbgrader.preprocessors import CheckCellMetadata as StockCheckCellMetadata

_VALIDATORS: dict[int, jsonschema.protocols.Validator] = {}  # schema version -> its checked validator


class _SchemaCheckedOnce(BaseMetadataValidator):
    """``BaseMetadataValidator.validate_cell`` with ``jsonschema.validate`` split in its two parts:
    the schema's own check (once per process) and the cell's (every time)."""

    def validate_cell(self, cell: NotebookNode) -> None:
        if "nbgrader" not in cell.metadata:
            return
        version = cell.metadata["nbgrader"].get("schema_version", 0)
        if version < self.schema_version:
            raise SchemaTooOldError(f"Outdated schema version: {version} (expected {self.schema_version})",
                                    version, self.schema_version)
        if version > self.schema_version:
            raise SchemaTooNewError(f"Schema version is too new: {version} (expected {self.schema_version})",
                                    version, self.schema_version)
        error = jsonschema.exceptions.best_match(self._validator().iter_errors(cell.metadata["nbgrader"]))
        if error is not None:
            raise error

    def _validator(self) -> jsonschema.protocols.Validator:
        if self.schema_version not in _VALIDATORS:
            cls = jsonschema.validators.validator_for(self.schema)
            cls.check_schema(self.schema)
            _VALIDATORS[self.schema_version] = cls(self.schema)
        return _VALIDATORS[self.schema_version]


class MetadataSchema(MetadataValidator, _SchemaCheckedOnce):
    """nbgrader's current ``MetadataValidator``: its upgrades and its checks of grade ids, points and
    cell types run as they are; its call to the base class's ``validate_cell`` lands on
    :class:`_SchemaCheckedOnce` (next in the method resolution order)."""


class CheckCellMetadata(StockCheckCellMetadata):
    """nbgrader's step, validating with :class:`MetadataSchema`; errors are logged and raised as stock."""

    def preprocess(self, nb, resources):
        try:
            MetadataSchema().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg)
        return nb, resources
