"""A scratch course around ``examples/existing_assignment`` (an nbgrader assignment with no
outline), graded by real nbgrader with the course's configuration or with stock's steps."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

from course import ROOT
from course.nbgrader_run import make_scratch_course, nbgrader
from course.report.scores import read_results
from harness.fixtures import unsandboxed

EXAMPLE = ROOT / "examples" / "existing_assignment"
ASSIGNMENT = "example_stats"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"

RIGHT = {
    "load_column": 'import csv\n\n\ndef load_column(path, name):\n    with open(path, newline="") as handle:\n'
                   '        return [float(row[name]) for row in csv.DictReader(handle)]',
    "mean": 'def mean(values):\n    if len(values) == 0:\n        raise ValueError("empty")\n'
            '    return sum(values) / len(values)',
}
WRONG_MEAN = {**RIGHT, "mean": "def mean(values):\n    return sum(values)"}


def make_course(path: Path, stock: bool = False) -> Path:
    """A course with the example in ``source/`` and its release generated; ``stock`` swaps the
    course's reader and sandboxed steps back for nbgrader's own."""
    path.mkdir(parents=True)
    shutil.copytree(EXAMPLE / "source", path / "source")  # before: a scratch course links the course's
    make_scratch_course(path)
    if stock:
        unsandboxed(path)
    nbgrader(path, "generate_assignment", ASSIGNMENT, "--force")
    return path


def release(course: Path) -> dict:
    return json.loads((course / "release" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))


def answered(course: Path, answers: dict[str, str]) -> dict:
    """The released notebook's JSON with ``answers`` (grade id -> source) in its solution cells."""
    nb = copy.deepcopy(release(course))
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    return nb


def submit(course: Path, student: str, nb: dict | str, extra: dict[str, str] | None = None) -> Path:
    """Put ``nb`` (JSON, or raw text) and ``extra`` files in submitted/<student>/<assignment>/."""
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(course / "release" / ASSIGNMENT / "data.csv", folder / "data.csv")
    text = nb if isinstance(nb, str) else json.dumps(nb, indent=1)
    (folder / NOTEBOOK).write_text(text, encoding="utf-8")
    for name, content in (extra or {}).items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def scores(course: Path) -> dict[str, dict[str, float | None]]:
    """Autograded points per test cell, per student, from the gradebook."""
    return {student: {cell: score for cell, (score, _) in result.cells.items()}
            for student, result in read_results(course, ASSIGNMENT).items()}
