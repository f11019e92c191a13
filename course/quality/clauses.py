"""The contract's clauses and the checks that cover each.

The contract (``../shared/spec/curriculum.md``, or ``COURSE_CONTRACT``) has one section per
assignment (``## <assignment> — ...``) whose bullets state what each graded function must do.
Every sentence (and every ``;``-separated part of one) of a section is a *contract part*.
``graders/clauses/<assignment>.toml`` names the clauses: a stable id, the words of the
contract it stands for (quoted exactly), and the test cells that check it::

    [[clause]]
    id = "cosine_similarity.zero-norm-error"
    quote = "Raises ValueError if the lengths differ or either vector has zero norm"
    checks = ["cosine_similarity_edge_cases"]

A part no clause quotes is *unmapped*; a clause whose checks are missing or not test
cells of the notebook is *uncovered*. Both are listed by ``course grader-report``.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .. import ROOT

CLAUSES_DIR = ROOT / "graders" / "clauses"


def contract_path() -> Path:
    return Path(os.environ.get("COURSE_CONTRACT", ROOT.parent / "shared" / "spec" / "curriculum.md"))


@dataclass(frozen=True)
class Clause:
    id: str
    quote: str
    checks: tuple[str, ...]


@dataclass
class Coverage:
    assignment: str
    parts: list[str]                              # the contract parts of the section, in order
    clauses: list[Clause]
    mapped: dict[str, list[str]] = field(default_factory=dict)   # part -> clause ids quoting it
    unmapped: list[str] = field(default_factory=list)            # parts no clause quotes
    uncovered: list[str] = field(default_factory=list)           # clause ids without a real check
    stale: list[str] = field(default_factory=list)               # clause ids whose quote is not in the contract

    @property
    def complete(self) -> bool:
        return not (self.unmapped or self.uncovered or self.stale)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def contract_parts(assignment: str, contract: str | None = None) -> list[str]:
    """The sentences (and ;-parts) of the assignment's section of the contract."""
    text = contract if contract is not None else contract_path().read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(assignment)}\b.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not match:
        return []
    bullets, current = [], None
    for line in match.group(1).splitlines():
        if line.startswith("- "):
            current = [line[2:]]
            bullets.append(current)
        elif line.startswith("  ") and current is not None:
            current.append(line.strip())
        elif line.strip() and not line.startswith("  "):
            current = [line]  # a paragraph (e.g. the data a section ships) is a part too
            bullets.append(current)
    return [part for bullet in bullets for part in _split(_norm(" ".join(bullet)))]


def _split(text: str) -> list[str]:
    """Sentences, and the ;-separated parts of one, outside parentheses and backquotes."""
    parts, start, depth, code = [], 0, 0, False
    for i, ch in enumerate(text):
        depth += (ch in "([") - (ch in ")]") if not code else 0
        code ^= ch == "`"
        if depth or code:
            continue
        end_sentence = ch == "." and text[i + 1:i + 2] == " " and text[i + 2:i + 3][:1] in tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ`")
        if ch == ";" or end_sentence:
            parts.append(text[start:i + 1])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip(" .;:")]


def load_clauses(assignment: str) -> list[Clause]:
    path = CLAUSES_DIR / f"{assignment}.toml"
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Clause(c["id"], c["quote"], tuple(c.get("checks", ()))) for c in data.get("clause", [])]


def coverage(assignment: str, test_cells: set[str], contract: str | None = None) -> Coverage:
    text = contract if contract is not None else contract_path().read_text(encoding="utf-8")
    parts, clauses = contract_parts(assignment, text), load_clauses(assignment)
    result = Coverage(assignment, parts, clauses)
    whole = _norm(text)
    for clause in clauses:
        quote = _norm(clause.quote)
        if quote not in whole:
            result.stale.append(clause.id)
        if not clause.checks or not set(clause.checks) <= test_cells:
            result.uncovered.append(clause.id)
        for part in parts:
            if quote in part or (len(quote) > 12 and part in quote):
                result.mapped.setdefault(part, []).append(clause.id)
    result.unmapped = [p for p in parts if p not in result.mapped]
    return result
