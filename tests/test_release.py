"""Committed release/ equals freshly generated output and gives nothing away."""
import json

import nbformat
import pytest

from course.assignments import RELEASE, release_notebook, source_notebook
from course.authoring.release import check_release

from .conftest import ASSIGNMENTS

MARKERS = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "graders"]


@pytest.mark.pipeline
def test_committed_release_matches_fresh_generate_assignment():
    problems = check_release(ASSIGNMENTS)
    assert not problems, "\n".join(problems)


def test_every_assignment_is_released():
    assert sorted(p.name for p in RELEASE.iterdir() if p.is_dir()) == sorted(ASSIGNMENTS)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_markers_or_grader_imports(assignment):
    text = release_notebook(assignment).read_text(encoding="utf-8")
    found = [m for m in MARKERS if m in text]
    assert not found, f"release/{assignment} contains {found}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solution_code_or_model_answers(assignment):
    release_text = json.dumps([c.source for c in nbformat.read(release_notebook(assignment), 4).cells])
    leaked = [line for line in _solution_lines(assignment) if json.dumps(line)[1:-1] in release_text]
    assert not leaked, f"release/{assignment} shows solution lines: {leaked[:5]}"


def _solution_lines(assignment):
    """Distinctive lines of the source notebook's solution regions and model answers
    (lines that the notebook also hands out in provided cells do not count)."""
    cells = nbformat.read(source_notebook(assignment), 4).cells
    provided = {line.strip() for cell in cells if not cell.metadata.get("nbgrader", {}).get("solution")
                for line in cell.source.splitlines()}
    lines = []
    for cell in cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution"):
            continue
        inside = cell.cell_type == "markdown"
        for line in cell.source.splitlines():
            if "BEGIN SOLUTION" in line:
                inside = True
            elif "END SOLUTION" in line:
                inside = False
            elif inside and len(line.strip()) >= 25 and not line.strip().startswith("#") \
                    and line.strip() not in provided:
                lines.append(line.strip())
    return lines
