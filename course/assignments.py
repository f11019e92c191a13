"""Where each assignment's parts live; the outlines in ``authoring/`` define the list."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

from course import ROOT

AUTHORING = ROOT / "authoring"
SOURCE = ROOT / "source"
RELEASE = ROOT / "release"
SOLUTIONS = ROOT / "solutions"


def all_assignments() -> list[str]:
    """Every assignment with an outline, in course order (ps01..ps11, then projects)."""
    return sorted((p.stem for p in AUTHORING.glob("*.md")), key=lambda a: (a.startswith("project"), a))


def outline_path(assignment: str) -> Path:
    return AUTHORING / f"{assignment}.md"


def source_notebook(assignment: str) -> Path:
    return SOURCE / assignment / f"{assignment}.ipynb"


def release_notebook(assignment: str) -> Path:
    return RELEASE / assignment / f"{assignment}.ipynb"


def solution_module(assignment: str) -> ModuleType:
    """Import ``solutions.<assignment>`` for the instructor-side tooling.

    ``solutions`` is not an installed package (students must not import it), so
    the repository root is put on ``sys.path`` here, in the instructor's process only.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module(f"solutions.{assignment}")
