"""Tooling for the Mathematics for GenAI course, one subpackage per stage of an assignment's life.

``authoring/`` turns ``authoring/<a>.md`` + ``solutions/<a>.py`` into ``source/`` notebooks and
``release/`` (stock ``generate_assignment``); ``grading/`` is everything ``nbgrader autograde``
loads from ``nbgrader_config.py`` — its ``steps/`` (reader, released-cell restore, metadata check,
sandboxed execute, grading status into the gradebook), the ``sandbox/`` split at the trust boundary into ``jailed/`` (runs inside the
jail), ``wire/`` (the format both sides share) and ``grader/`` (jail, kernel, channel, proxies,
trusted test cells), ``batch/`` (``course grade``: a class in parallel) and ``api.py`` (all that
``graders/`` may use); ``feedback/`` holds the feedback steps; ``report/`` reads the gradebook
back (``course report``); ``export/`` writes it for an LMS as ``nbgrader export`` plugins (status
CSV, Canvas, Moodle); ``similarity/`` compares students' answers (``course similarity``, evidence
for a person, never a grade); ``quality/`` tests the graders themselves (``course grader-report``:
mutants, hand-written variants, blame, contract clauses); ``datasets/`` builds the shipped data;
``validate.py`` is the students' ``course validate``, and ``lab_validate.py`` gives JupyterLab's
Validate button its verdict; ``cli.py`` is the ``course`` command, which like ``course grade``
ends through ``process_exit.py`` (the heap left to the operating system, not walked once more). The test, demo and benchmark harness lives apart in ``harness/`` and
is neither installed nor mounted in the jail.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
