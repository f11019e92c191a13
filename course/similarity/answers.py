"""The part of each submission that is the student's own: code answer cells minus the released stub."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat


@dataclass
class ClassAnswers:
    """grade id -> stub text; student -> grade id -> own answer (stub lines and unanswered cells left out)."""
    stubs: dict[str, str]
    by_student: dict[str, dict[str, str]]
    unreadable: dict[str, str] = field(default_factory=dict)  # student -> why their notebook was skipped


def release_stubs(course: Path, assignment: str) -> dict[str, str]:
    """grade id -> released source of every code answer cell, over the assignment's notebooks."""
    folder = Path(course) / "release" / assignment
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no released notebook in {folder}: run nbgrader generate_assignment {assignment}")
    stubs = {}
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            grade_id = _answer_id(cell)
            if grade_id:
                stubs[grade_id] = cell.source
    return stubs


def class_answers(course: Path, assignment: str) -> ClassAnswers:
    """Every submitted student's answers; an unreadable notebook is skipped with its reason."""
    course = Path(course)
    result = ClassAnswers(release_stubs(course, assignment), {})
    for folder in sorted((course / "submitted").glob(f"*/{assignment}")):
        student = folder.parent.name
        result.by_student[student] = {}
        for path in sorted(folder.glob("*.ipynb")):
            try:
                result.by_student[student].update(_own_answers(path, result.stubs))
            except Exception as exc:  # noqa: BLE001 - a hostile file is reported, never fatal
                result.unreadable[student] = f"{path.name}: not a readable notebook ({type(exc).__name__})"
    return result


def _own_answers(path: Path, stubs: dict[str, str]) -> dict[str, str]:
    answers = {}
    for cell in nbformat.read(path, as_version=4).cells:
        grade_id = _answer_id(cell)
        if grade_id not in stubs or not isinstance(cell.get("source"), str):
            continue  # a cell the release does not have, or a malformed one
        own = without_stub(cell.source, stubs[grade_id])
        if own.strip():  # an answer left as the stub is nothing to compare
            answers[grade_id] = own
    return answers


def without_stub(answer: str, stub: str) -> str:
    """``answer`` without the lines it shares with the released stub (matched after stripping)."""
    given = {line.strip() for line in stub.splitlines() if line.strip()}
    return "\n".join(line for line in answer.splitlines() if line.strip() not in given).strip("\n")


def _answer_id(cell) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    if cell.get("cell_type") != "code" or not isinstance(meta, dict) or not meta.get("solution"):
        return None
    return meta["grade_id"] if isinstance(meta.get("grade_id"), str) else None
