"""The rubric page of one assignment: every answer graded by hand, its question and model answer.

Formgrader shows a submission's answer but not what a full-credit answer looks
like; nbgrader keeps that in the source notebook (the solution region of a code
answer, the model answer of a written one). The manual grader opens this page
beside formgrader.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import nbformat

from .html import page

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


@dataclass
class RubricItem:
    grade_id: str
    points: float
    kind: str       # "code" or "written"
    question: str   # the markdown cell just above the answer
    model: str      # the model answer (solution region markers removed)


def rubric_items(source_notebook: Path) -> list[RubricItem]:
    nb = nbformat.read(source_notebook, as_version=4)
    items = []
    for i, cell in enumerate(nb.cells):
        grading = cell.metadata.get("nbgrader", {})
        if not ((grading.get("solution") and grading.get("grade")) or grading.get("task")):
            continue
        question = next((c.source for c in reversed(nb.cells[:i]) if c.cell_type == "markdown"), "")
        model = "\n".join(line for line in cell.source.splitlines() if line.strip() not in SOLUTION_MARKERS)
        items.append(RubricItem(grading["grade_id"], float(grading.get("points", 0)),
                                "code" if cell.cell_type == "code" else "written", question, model.strip()))
    return items


def rubric_page(assignment: str, items: list[RubricItem]) -> str:
    body = [f'<nav><a href="{escape(assignment)}.html">&larr; {escape(assignment)}</a></nav>',
            f"<h1>{escape(assignment)}: rubric for grading by hand</h1>",
            '<p class="muted">Each answer graded in formgrader, with the question students saw '
            "and the model answer from the source notebook.</p>"]
    if not items:
        body.append('<p class="muted">Nothing in this assignment is graded by hand.</p>')
    for item in items:
        body += [f'<h2 id="{escape(item.grade_id)}"><code>{escape(item.grade_id)}</code> '
                 f"({item.kind} answer, {item.points:g} points)</h2>",
                 f'<p class="muted">Question</p><pre class="question">{escape(item.question)}</pre>',
                 f'<p class="muted">Model answer</p><pre class="model">{escape(item.model)}</pre>']
    return page(f"{assignment} — rubric", "\n".join(body))


def write_rubric(course: Path, assignment: str, target: Path) -> Path | None:
    """Write the rubric page; None when the course has no source notebook for the assignment."""
    notebooks = sorted((Path(course) / "source" / assignment).glob("*.ipynb"))
    if not notebooks:
        return None
    items = [item for nb in notebooks for item in rubric_items(nb)]
    target.write_text(rubric_page(assignment, items), encoding="utf-8")
    return target
