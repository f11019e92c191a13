"""No submission can change how its classmates are graded: a property-based fuzzer mangles a
real submission's JSON (cells duplicated, deleted, moved, split, merged, retyped; grading
metadata, ids, fields and versions broken) and the whole class goes through one real
``nbgrader autograde`` with the course's configuration. The honest students must be graded
exactly as in a class without the fuzzed ones, and every fuzzed student must get a result.
``FUZZ_EXAMPLES`` sets how many fuzzed students (default 20); the examples are derandomized,
so CI grades the same class every time (set ``FUZZ_SEED`` to explore others)."""
from __future__ import annotations

import copy
import json
import os

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from course.nbgrader_run import nbgrader
from tests.example_course import ASSIGNMENT, RIGHT, WRONG_MEAN, answered, make_course, release, scores, submit

pytestmark = pytest.mark.pipeline

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
GARBAGE = st.one_of(st.none(), st.booleans(), st.integers(-3, 7), st.text(max_size=6),
                    st.lists(st.integers(0, 3), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
NBGRADER_KEYS = st.sampled_from(["grade", "solution", "locked", "task", "grade_id", "points", "schema_version"])
CELL_KEYS = st.sampled_from(["id", "cell_type", "metadata", "source", "outputs", "execution_count", "attachments"])


@st.composite
def mutation(draw, size: int):
    """One edit as plain data: (kind, arguments)."""
    index = draw(st.integers(0, size - 1))
    kind = draw(st.sampled_from(["duplicate", "delete", "move", "split", "merge", "retype", "set_nbgrader",
                                 "drop_nbgrader", "nbgrader_garbage", "set_field", "drop_field", "extra_field",
                                 "minor", "same_ids", "notebook_metadata"]))
    if kind in ("duplicate", "move"):
        return kind, index, draw(st.integers(0, size - 1))
    if kind == "retype":
        return kind, index, draw(st.sampled_from(["code", "markdown", "raw", "bogus"]))
    if kind == "set_nbgrader":
        return kind, index, draw(NBGRADER_KEYS), draw(GARBAGE)
    if kind == "drop_nbgrader":
        return kind, index, draw(NBGRADER_KEYS)
    if kind in ("set_field", "drop_field", "extra_field"):
        return kind, index, draw(CELL_KEYS) if kind != "extra_field" else draw(st.text(min_size=1, max_size=5)), \
            draw(GARBAGE)
    if kind == "minor":
        return kind, index, draw(st.one_of(st.integers(0, 6), GARBAGE))
    return kind, index, draw(GARBAGE)


def mutate(nb: dict, edits: list) -> dict:
    nb = copy.deepcopy(nb)
    cells = nb["cells"]
    for kind, index, *args in edits:
        if not cells:
            break
        index %= len(cells)
        cell = cells[index]
        if kind == "duplicate":
            cells.insert(args[0] % (len(cells) + 1), copy.deepcopy(cell))
        elif kind == "delete":
            del cells[index]
        elif kind == "move":
            cells.insert(args[0] % len(cells), cells.pop(index))
        elif kind == "split":  # JupyterLab's split: both halves keep the metadata
            text = "".join(cell["source"]) if isinstance(cell.get("source"), list) else str(cell.get("source"))
            half = len(text) // 2
            second = copy.deepcopy(cell)
            cell["source"], second["source"] = text[:half], text[half:]
            cells.insert(index + 1, second)
        elif kind == "merge" and index + 1 < len(cells):
            cell["source"] = f"{cell.get('source')}\n{cells.pop(index + 1).get('source')}"
        elif kind == "retype":
            cell["cell_type"] = args[0]
        elif kind == "set_nbgrader" and isinstance(cell.get("metadata", {}).get("nbgrader"), dict):
            cell["metadata"]["nbgrader"][args[0]] = args[1]
        elif kind == "drop_nbgrader" and isinstance(cell.get("metadata", {}).get("nbgrader"), dict):
            cell["metadata"]["nbgrader"].pop(args[0], None)
        elif kind == "nbgrader_garbage" and isinstance(cell.get("metadata"), dict):
            cell["metadata"]["nbgrader"] = args[0]
        elif kind in ("set_field", "extra_field"):
            cell[args[0]] = args[1]
        elif kind == "drop_field":
            cell.pop(args[0], None)
        elif kind == "minor":
            nb["nbformat_minor"] = args[0]
        elif kind == "same_ids":
            for other in cells:
                other["id"] = "same"
        elif kind == "notebook_metadata":
            nb["metadata"] = args[0] if index % 2 else {**nb.get("metadata", {}), "kernelspec": args[0]}
    return nb


def fuzzed_submissions(base: dict, count: int) -> list[dict]:
    """``count`` mangled copies of ``base``, drawn by Hypothesis (derandomized unless FUZZ_SEED)."""
    found: list[dict] = []
    size = len(base["cells"])

    @settings(max_examples=count, database=None, deadline=None, derandomize="FUZZ_SEED" not in os.environ,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    @given(st.lists(mutation(size), min_size=1, max_size=4))
    def draw(edits):
        if len(found) < count:
            found.append(mutate(base, edits))

    if "FUZZ_SEED" in os.environ:
        draw = seed(int(os.environ["FUZZ_SEED"]))(draw)
    draw()
    return found


def _honest(course) -> dict[str, dict]:
    return {"right": answered(course, RIGHT), "blank": release(course), "wrong": answered(course, WRONG_MEAN)}


def test_fuzzed_submissions_change_nothing_for_their_classmates(tmp_path):
    alone = make_course(tmp_path / "alone")
    for student, nb in _honest(alone).items():
        submit(alone, student, nb)
    nbgrader(alone, "autograde", ASSIGNMENT)

    mixed = make_course(tmp_path / "mixed")
    fuzzed = fuzzed_submissions(answered(mixed, RIGHT), EXAMPLES)
    names = [f"fuzz{i:03d}" for i in range(len(fuzzed))]
    for name, nb in zip(names, fuzzed):
        submit(mixed, name, json.dumps(nb, indent=1))
    for student, nb in _honest(mixed).items():
        submit(mixed, student, nb)
    run = nbgrader(mixed, "autograde", ASSIGNMENT, check=False)

    got, expected = scores(mixed), scores(alone)
    assert {s: got.get(s) for s in expected} == expected, run.stdout[-3000:] + run.stderr[-6000:]
    ungraded = [n for n in names if n not in got]
    assert not ungraded, (f"fuzzed students without a result: {ungraded} (see submitted/ in {mixed})\n"
                          + run.stderr[-6000:])
    assert run.returncode == 0, run.stderr[-6000:]
