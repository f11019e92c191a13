"""A fast, in-process dry run of an assignment for authors: no kernel, no nbgrader.

Runs the source notebook's code cells in one namespace (the reference student),
then each mutant/alternative, and reports which test cells fail. It is an
authoring aid only; the real verdicts come from tests/ through nbgrader.
"""
from __future__ import annotations

import contextlib
import io
import os
import warnings

import nbformat

from course.assignments import source_notebook
from .fabricate import reference_answers
from .mutants import variants


def failing_cells(assignment: str, answers: dict[str, str]) -> dict[str, str]:
    """grade_id -> first line of the error, for test cells that fail with these answers."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nb = nbformat.read(source_notebook(assignment), as_version=4)
    namespace: dict = {"__name__": "__main__"}
    failures = {}
    cwd = os.getcwd()
    os.chdir(source_notebook(assignment).parent)  # data files sit beside the notebook
    try:
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            meta = cell.metadata.get("nbgrader", {})
            source = answers.get(meta.get("grade_id"), cell.source) if meta.get("solution") else cell.source
            try:
                with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                    warnings.simplefilter("ignore")
                    exec(compile(source, meta.get("grade_id", "cell"), "exec"), namespace)
            except Exception as exc:  # noqa: BLE001 - report, keep going like nbgrader
                if meta.get("grade") and not meta.get("solution"):
                    failures[meta["grade_id"]] = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            plt.close("all")
    finally:
        os.chdir(cwd)
    return failures


def run_selftest(assignment: str) -> int:
    reference = reference_answers(assignment)
    problems = 0
    failures = failing_cells(assignment, reference)
    print(f"reference: {'all tests pass' if not failures else failures}")
    problems += bool(failures)
    for variant in variants(assignment):
        if variant.grade_id not in reference:
            print(f"FAIL {variant.slug}: no answer cell is named {variant.grade_id!r}")
            problems += 1
            continue
        failures = failing_cells(assignment, {**reference, variant.grade_id: variant.source})
        ok = (not failures) if variant.correct else bool(failures)
        problems += not ok
        verdict = "ok  " if ok else "FAIL"
        print(f"{verdict} {variant.slug}: {'full marks' if not failures else failures}")
    return 1 if problems else 0
