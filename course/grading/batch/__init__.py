"""``course grade``: grade a whole class in parallel with nbgrader's own verdicts.

Workers only *execute* notebooks (the expensive part), on local processes or
a Dask cluster. One coordinator then runs nbgrader's stock autograde pipeline,
whose execute step takes a worker's result for a notebook with the same
sanitized content, so the gradebook has a single writer and every verdict
comes from nbgrader itself.
"""

import sys as _sys

# jsonschema imports rfc3987_syntax (a Lark grammar, ~1.5 s) only to check the "iri" string
# formats, which nbformat's notebook schema never asks for. Where jsonschema is not loaded
# yet, skip that import: each grading process (pipeline, forkserver, workers) starts faster.
if "jsonschema" not in _sys.modules:
    _sys.modules.setdefault("rfc3987_syntax", None)
