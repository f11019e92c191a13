"""Generate mutants of an assignment's reference answers with Cosmic Ray's operators.

Every autograded answer cell (its text comes from ``solutions/<a>.py``) is mutated one
change at a time: arithmetic and comparison operators swapped, numbers moved by one,
booleans, ``and``/``or``, ``not``, unary minus, loops that never run, ``break``/``continue``.
Operators that only turn float code into a TypeError (bitwise and shift operators,
``~``), and identity swaps that are equivalent for ``None`` (``is`` <-> ``==``) are left
out: they say nothing about the checks.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

_DROP_TARGETS = ("BitAnd", "BitOr", "BitXor", "LShift", "RShift", "Mod", "FloorDiv", "Invert", "Is", "IsNot")
_DROP_OPERATORS = {"core/VariableInserter", "core/VariableReplacer", "core/RemoveDecorator"}


@dataclass(frozen=True)
class Mutant:
    grade_id: str   # the answer cell it changes
    operator: str   # Cosmic Ray's operator name, without "core/"
    occurrence: int
    source: str     # the whole mutated answer cell
    line: int       # 1-based line of the answer cell that changed
    before: str
    after: str

    @property
    def id(self) -> str:
        """Stable while the answer's text is: cell, operator and which occurrence."""
        return f"{self.grade_id}:{self.operator}:{self.occurrence}"


def operator_names() -> list[str]:
    import cosmic_ray.plugins
    names = []
    for name in sorted(cosmic_ray.plugins.operator_names()):
        if name in _DROP_OPERATORS or not name.startswith("core/"):
            continue
        if "Operator_" in name and name.rsplit("_", 1)[1] in _DROP_TARGETS:
            continue
        if "Operator_" in name and name.split("_")[1] in ("Is", "IsNot") and name.rsplit("_", 1)[1] in ("Eq", "NotEq"):
            continue
        names.append(name)
    return names


def mutate_answer(grade_id: str, source: str) -> list[Mutant]:
    """Every single-change mutant of one answer cell, each distinct text once."""
    import cosmic_ray.plugins
    from cosmic_ray.mutating import mutate_code
    mutants, seen = [], {source}
    for name in operator_names():
        operator = cosmic_ray.plugins.get_operator(name)()
        occurrence = 0
        while (mutated := mutate_code(source, operator, occurrence)) is not None:
            occurrence += 1
            if mutated in seen or not _compiles(mutated):
                continue
            seen.add(mutated)
            line, before, after = _changed_line(source, mutated)
            mutants.append(Mutant(grade_id, name.removeprefix("core/"), occurrence - 1, mutated, line, before, after))
    return mutants


def _compiles(source: str) -> bool:
    try:
        compile(source, "mutant", "exec")
        return True
    except (SyntaxError, ValueError):
        return False


def _changed_line(before: str, after: str) -> tuple[int, str, str]:
    old, new = before.splitlines(), after.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            return i1 + 1, "\n".join(old[i1:i2]).strip(), "\n".join(new[j1:j2]).strip()
    return 0, "", ""
