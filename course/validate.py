"""``course validate``: nbgrader's own validation, with an exit code and a one-line reason per failure.

Stock ``nbgrader validate`` prints "VALIDATION FAILED" yet exits 0, and shows
each failing cell's source and full traceback. This runs the same thing
(nbgrader's ``ValidateApp`` configuration and its ``Validator``: same
preprocessors, same nbgrader_config.py, same kernel) and reports each failing
test cell by its grade id with the exception's type and message.

    python -m course.validate ps01_vectors/ps01_vectors.ipynb

Exit status: 0 all tests pass, 1 a test failed or a test cell was changed,
2 the notebook could not be validated at all.
"""
from __future__ import annotations

import argparse
import glob
import sys
import textwrap
from dataclasses import dataclass, field

from nbgrader.apps.validateapp import ValidateApp
from nbgrader.validator import Validator

from .report.messages import failure_message


class RecordingValidator(Validator):
    """nbgrader's Validator, keeping the executed notebook so failures can be named by grade id."""

    executed = None

    def _preprocess(self, nb):
        self.executed = super()._preprocess(nb)
        return self.executed


@dataclass
class Verdict:
    notebook: str
    failed: list[tuple[str, str]] = field(default_factory=list)  # (grade id, why)
    changed: list[str] = field(default_factory=list)  # test cells whose contents were edited
    type_changed: list[str] = field(default_factory=list)  # cells whose type was changed

    @property
    def ok(self) -> bool:
        return not (self.failed or self.changed or self.type_changed)


def validate_notebook(validator: RecordingValidator, path: str) -> Verdict:
    validator.executed = None
    results = validator.validate(path)
    verdict = Verdict(path)
    if "type_changed" in results:  # nbgrader stops before running anything in this case
        verdict.type_changed = [r["source"].splitlines()[0] if r["source"] else "(empty cell)"
                                for r in results["type_changed"]]
        return verdict
    nb = validator.executed
    verdict.changed = [_grade_id(c) for c in validator._get_changed_cells(nb)] if "changed" in results else []
    verdict.failed = [(_label(c), failure_message(c, full=True)) for c in validator._get_failed_cells(nb)]
    return verdict


def format_verdict(verdict: Verdict) -> str:
    lines = []
    if verdict.type_changed:
        lines.append(f"VALIDATION FAILED: {verdict.notebook}: the type of {len(verdict.type_changed)} "
                     "graded cell(s) was changed; undo it (Edit > Undo, or copy your answer into a fresh copy):")
        lines += [f"  cell starting {src!r}" for src in verdict.type_changed]
    if verdict.changed:
        lines.append(f"VALIDATION FAILED: {verdict.notebook}: test cell(s) were edited; grading uses the "
                     f"original tests: {', '.join(verdict.changed)}")
    if verdict.failed:
        lines.append(f"VALIDATION FAILED: {verdict.notebook}: {len(verdict.failed)} graded cell(s) failed")
        for grade_id, why in verdict.failed:
            first, *rest = why.splitlines() or [""]
            lines.append(f"  FAILED {grade_id}: {first}")
            lines += [textwrap.indent(line, "      ") for line in rest[:12]]
    if verdict.ok:
        lines.append(f"Success! {verdict.notebook} passes all the visible tests.")
    return "\n".join(lines)


def _grade_id(cell) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id") or "(cell without grade id)"


def _label(cell) -> str:
    """The grade id; answers graded by hand are marked, since no test decides them."""
    manual = cell.metadata.get("nbgrader", {}).get("solution")
    return _grade_id(cell) + (" (answer graded by hand)" if manual else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course validate", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", help="notebook(s) to validate (shell globs allowed)")
    args = parser.parse_args(argv)
    paths = [p for pattern in args.notebooks for p in (sorted(glob.glob(pattern)) or [pattern])]
    app = ValidateApp()
    app.initialize(["--ValidateApp.log_level=WARN"])  # nbgrader's own config loading: ~/.jupyter, ./nbgrader_config.py
    validator = RecordingValidator(parent=app)
    status = 0
    for path in paths:
        try:
            verdict = validate_notebook(validator, path)
        except Exception as exc:  # noqa: BLE001 - missing file, not a notebook, old schema, dead kernel...
            print(f"VALIDATION ERROR: {path}: could not validate ({type(exc).__name__}: {exc})",
                  file=sys.stderr)
            status = max(status, 2)
            continue
        print(format_verdict(verdict), flush=True)
        status = max(status, 0 if verdict.ok else 1)
    return status


if __name__ == "__main__":
    sys.exit(main())
