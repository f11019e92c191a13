"""Mutants recorded as equivalent to the reference, with the reason, per assignment.

``graders/equivalent_mutants/<assignment>.toml`` has one table per mutant id (see
:class:`course.quality.mutation.Mutant`); ``after`` is the mutated line, so an entry
whose mutant no longer exists, or now changes another line, is reported as stale::

    ["cosine_similarity:ReplaceComparisonOperator_Eq_LtE:0"]
    after = "if nu <= 0 or nv == 0:"
    why = "a norm is never negative, and NaN compares False with 0 both ways"
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass

from .. import ROOT

EQUIVALENTS_DIR = ROOT / "graders" / "equivalent_mutants"


@dataclass(frozen=True)
class Equivalent:
    mutant_id: str
    after: str
    why: str


def load_equivalents(assignment: str) -> dict[str, Equivalent]:
    path = EQUIVALENTS_DIR / f"{assignment}.toml"
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {key: Equivalent(key, entry["after"], entry["why"]) for key, entry in data.items()}
