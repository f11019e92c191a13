"""Authoring rules that keep grading honest, checked statically (fast, no kernel)."""
import ast
import re
from pathlib import Path

import nbformat
import pytest

from course import ROOT
from course.assignments import outline_path, source_notebook
from course.authoring.notebook_builder import build_source_notebook, render

from .conftest import ASSIGNMENTS


def _test_cells(assignment):
    nb = nbformat.read(source_notebook(assignment), 4)
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata["nbgrader"].get("solution")]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebook_is_built_from_its_outline(assignment):
    built = render(build_source_notebook(assignment))
    assert source_notebook(assignment).read_text(encoding="utf-8") == built, \
        f"source/{assignment} is stale: run `make source` after editing {outline_path(assignment).name}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_test_cells_never_end_in_a_bare_expression(assignment):
    """nbgrader reads a numeric last value as partial credit; checks must end in a statement."""
    for cell in _test_cells(assignment):
        tree = ast.parse(cell.source)
        last = tree.body[-1] if tree.body else None
        bare = isinstance(last, ast.Expr) and not (
            isinstance(last.value, ast.Call) and getattr(last.value.func, "id", "").startswith("check_"))
        assert not bare, f"{cell.metadata.nbgrader.grade_id} ends in a bare expression"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_tests_only_call_graders_and_visible_tests_never_do(assignment):
    for cell in _test_cells(assignment):
        grade_id = cell.metadata.nbgrader.grade_id
        visible, _, rest = cell.source.partition("### BEGIN HIDDEN TESTS")
        assert "graders" not in visible, f"{grade_id}: visible tests must run without graders/"
        hidden = rest.partition("### END HIDDEN TESTS")[0]
        for node in ast.parse(hidden).body:
            ok = (isinstance(node, ast.ImportFrom) and (node.module == f"graders.{assignment}"
                                                        or node.module.startswith(f"graders.{assignment}_"))) or (
                isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                and node.value.func.id.startswith("check_"))
            assert ok, f"{grade_id}: hidden tests should import and call graders.{assignment}.check_*"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_check_is_used_by_a_test_cell(assignment):
    modules = [ROOT / "graders" / f"{assignment}.py", *(ROOT / "graders").glob(f"{assignment}_*.py")]
    defined = {name for module in modules
               for name in re.findall(r"^def (check_\w+)", module.read_text(encoding="utf-8"), re.M)}
    used = {name for cell in _test_cells(assignment) for name in re.findall(r"\b(check_\w+)\(", cell.source)}
    assert defined <= used, f"graders/{assignment}*.py checks no notebook calls: {sorted(defined - used)}"


GRADER_FILES = sorted((ROOT / "graders").glob("*.py"))


@pytest.mark.parametrize("path", GRADER_FILES, ids=lambda p: p.name)
def test_graders_are_independent_and_use_local_rngs(path: Path):
    text = path.read_text(encoding="utf-8")
    assert "solutions" not in re.findall(r"^\s*(?:from|import)\s+(\w+)", text, re.M), \
        f"{path.name} imports the reference solutions; checks need independent oracles"
    global_rng = re.findall(r"np\.random\.(?:seed|rand|randn|randint|normal|uniform|choice|shuffle|permutation)\(", text)
    assert not global_rng, f"{path.name} uses NumPy's global RNG {global_rng}: use np.random.default_rng(seed)"
