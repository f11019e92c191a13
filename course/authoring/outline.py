"""Parse an assignment outline (``authoring/<a>.md``) into cell specifications.

An outline is Markdown. Plain text becomes markdown cells (``+++`` on its own
line starts a new one). Fenced blocks whose info string is ``{kind}`` become
special cells::

    ```{code}                        an ungraded code cell (the body)
    ```{solution} cosine_similarity  autograded answer: the named objects of
                                     solutions/<a>.py, bodies hidden in release
    ```{test} id points=2            autograded tests (the body; may hold
                                     ### BEGIN/END HIDDEN TESTS regions)
    ```{answer} id points=2          manually graded Markdown answer (body = model answer)
    ```{manual-code} id points=2     manually graded code answer (body = model answer)
    ```{task} id points=2            manually graded task described by the body

Ordinary fences (```python) stay inside markdown cells.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

KINDS = {"code", "solution", "test", "answer", "manual-code", "task"}
_OPEN = re.compile(r"^```\{(?P<kind>[\w-]+)\}(?P<args>.*)$")
_GRADED = {"test", "answer", "manual-code", "task"}


@dataclass
class CellSpec:
    kind: str  # "markdown" or one of KINDS
    body: str = ""
    names: list[str] = field(default_factory=list)
    grade_id: str | None = None
    points: float | None = None


class OutlineError(ValueError):
    """The outline breaks the format; the message names file and line."""


def parse_outline(path: Path) -> list[CellSpec]:
    lines = path.read_text(encoding="utf-8").splitlines()
    cells: list[CellSpec] = []
    markdown: list[str] = []

    def flush_markdown() -> None:
        text = "\n".join(markdown).strip("\n")
        if text.strip():
            cells.append(CellSpec("markdown", text))
        markdown.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        match = _OPEN.match(line)
        if line.strip() == "+++":
            flush_markdown()
        elif match:
            flush_markdown()
            start = i + 1
            i += 1
            while i < len(lines) and lines[i].rstrip() != "```":
                i += 1
            if i == len(lines):
                raise OutlineError(f"{path}:{start}: unclosed ```{{{match['kind']}}} block")
            body = "\n".join(lines[start:i]).strip("\n")
            cells.append(_cell(path, start, match["kind"], match["args"].split(), body))
        else:
            markdown.append(line)
        i += 1
    flush_markdown()
    _check_unique_ids(path, cells)
    return cells


def _cell(path: Path, line: int, kind: str, args: list[str], body: str) -> CellSpec:
    if kind not in KINDS:
        raise OutlineError(f"{path}:{line}: unknown cell kind {{{kind}}}")
    options = dict(a.split("=", 1) for a in args if "=" in a)
    words = [a for a in args if "=" not in a]
    spec = CellSpec(kind, body)
    if kind == "solution":
        if not words or body.strip():
            raise OutlineError(f"{path}:{line}: {{solution}} names objects of solutions/ and has no body")
        spec.names = words
        spec.grade_id = options.get("id", words[0])
    elif kind in _GRADED:
        if len(words) != 1:
            raise OutlineError(f"{path}:{line}: {{{kind}}} takes exactly one id")
        spec.grade_id = words[0]
        if "points" not in options:
            raise OutlineError(f"{path}:{line}: {{{kind}}} {words[0]} needs points=N")
        spec.points = float(options["points"])
    return spec


def _check_unique_ids(path: Path, cells: list[CellSpec]) -> None:
    seen: set[str] = set()
    for cell in cells:
        if cell.grade_id is None:
            continue
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,60}", cell.grade_id):
            raise OutlineError(f"{path}: grade id {cell.grade_id!r} must be 1-60 of [A-Za-z0-9_-]")
        if cell.grade_id in seen:
            raise OutlineError(f"{path}: grade id {cell.grade_id!r} is used twice")
        seen.add(cell.grade_id)
