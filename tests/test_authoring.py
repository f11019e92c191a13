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


# Signposts: what a student sees first and last in every notebook.

def _markdown(assignment: str) -> list[str]:
    nb = nbformat.read(source_notebook(assignment), 4)
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def _minutes(text: str) -> int:
    hours = re.search(r"(\d+) h\b", text)
    minutes = re.search(r"(\d+) min\b", text)
    return 60 * int(hours[1] if hours else 0) + int(minutes[1] if minutes else 0)


_PART_ROW = re.compile(r"^\| (\d+)\. .+ \| (★{1,3}) \| ([^|]+) \|$", re.M)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_cell_after_the_introduction_states_objectives_and_an_estimated_time(assignment):
    nb = nbformat.read(source_notebook(assignment), 4)
    opening = nb.cells[1].source if nb.cells[1].cell_type == "markdown" else ""
    assert opening.startswith("## Before you start"), \
        f"{assignment}: the cell after the introduction should be '## Before you start'"
    objectives = opening.partition("**Learning objectives.**")[2].partition("**Estimated time")[0]
    assert len(re.findall(r"^- \S", objectives, re.M)) >= 3, f"{assignment}: list at least 3 learning objectives"
    assert re.search(r"\*\*Estimated time: about (\d+ h ?)?(\d+ min)?\*\*", opening), \
        f"{assignment}: state the estimated time as '**Estimated time: about 2 h 15 min**'"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_numbered_part_has_a_difficulty_label_in_the_opening_table(assignment):
    cells = _markdown(assignment)
    parts = {int(n) for cell in cells for n in re.findall(r"^## (\d+)\. ", cell, re.M)}
    labelled = {int(n) for n, _, _ in _PART_ROW.findall(cells[1])}
    assert parts == labelled, (f"{assignment}: parts {sorted(parts)} have difficulty rows {sorted(labelled)} in "
                               "'Before you start' (one row '| N. title | ★★ | 20 min |' per '## N.' heading)")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_estimated_time_is_the_sum_of_the_parts_times(assignment):
    opening = _markdown(assignment)[1]
    total = _minutes(re.search(r"\*\*Estimated time: about ([^*]+)\*\*", opening)[1])
    parts = [_minutes(time) for _, _, time in _PART_ROW.findall(opening)]
    assert parts and all(parts) and total == sum(parts), \
        f"{assignment}: the estimated time ({total} min) should be the sum of the parts' times {parts}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_challenges_are_marked_optional_and_ungraded(assignment):
    headings = [line for cell in _markdown(assignment) for line in cell.splitlines()
                if line.startswith("#") and "challenge" in line.lower()]
    assert all("(optional, ungraded)" in h for h in headings), \
        f"{assignment}: a challenge heading should say '(optional, ungraded)': {headings}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_cell_before_the_last_is_further_reading_with_linked_references(assignment):
    reading = _markdown(assignment)[-2]
    assert reading.startswith("## Further reading"), \
        f"{assignment}: the cell before the last should be '## Further reading'"
    items = re.findall(r"^- (.+(?:\n  .+)*)", reading, re.M)
    assert len(items) >= 3 and all("](https://" in item for item in items), \
        f"{assignment}: further reading should list at least 3 references, each with a link: {items}"


def test_every_last_cell_says_the_same_up_to_the_notebook_name():
    last = {a: " ".join(_markdown(a)[-1].replace(a, "<assignment>").split()) for a in ASSIGNMENTS}
    first = last[ASSIGNMENTS[0]]
    different = [a for a, text in last.items() if text != first]
    assert not different, f"the last cells of {different} differ from {ASSIGNMENTS[0]}'s:\n{first}"


def test_the_last_cell_names_the_validation_steps_of_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    workflow = readme.partition("## Student workflow")[2].partition("\n## ")[0]
    steps = ["**Validate**", "course validate", "nbgrader validate"]
    assert all(step.strip("*") in workflow for step in steps), "README's student workflow lost a validation step"
    last = " ".join(_markdown(ASSIGNMENTS[0])[-1].split())
    assert all(step in last for step in steps), f"the last cell should name {steps}:\n{last}"
