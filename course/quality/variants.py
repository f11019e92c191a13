"""Register realistic wrong answers and correct alternatives for graded answers.

Catalogues in ``tests/mutants/<assignment>.py`` (or a package of that name) define each variant under the
graded object's own name, decorated with :func:`wrong` or :func:`correct`. The
decorator records the variant's source at definition time, so several variants
of the same name can live in one module::

    @wrong("cosine_similarity", "divides by the norm of u only")
    def cosine_similarity(u, v): ...

Answers that are plain values are registered as cell text::

    wrong_source("seed_answers", "reads doubling as temperature 2", "equivalent_temperature = 2.0")

A mistake in one spot of a long answer is registered as an edit of the reference answer
(``solutions/<assignment>.py``), so the catalogue shows only the mistake::

    wrong_edit("nll", "uses log base 2", "np.log(", "np.log2(")
"""
from __future__ import annotations

import ast
import importlib
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from .. import ROOT


@dataclass(frozen=True)
class Variant:
    grade_id: str
    why: str
    source: str
    correct: bool

    @property
    def slug(self) -> str:
        """A student id for the variant's submission (nbgrader ids: lowercase, no spaces)."""
        kind = "ok" if self.correct else "bug"
        words = "".join(ch if ch.isalnum() else "-" for ch in self.why.lower()).strip("-")
        return f"{kind}-{self.grade_id}-{words}"[:80].rstrip("-").replace("--", "-")


_REGISTRY: dict[str, list[Variant]] = {}


def _register(grade_id: str, why: str, correct: bool):
    # Where the decorator is applied: the variant's source is read from that spot
    # of its file, so same-named classes are told apart (inspect.getsource finds
    # only the first class of a name on Python < 3.13).
    caller = sys._getframe(2)
    filename, line = caller.f_code.co_filename, caller.f_lineno

    def decorate(obj):
        _add(_assignment_of(obj.__module__), Variant(grade_id, why, _definition_at(filename, line), correct))
        return obj
    return decorate


def _definition_at(filename: str, line: int) -> str:
    """Source of the decorated def/class whose decorators start at ``line``, without decorators."""
    source = Path(filename).read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.decorator_list and \
                node.decorator_list[0].lineno <= line <= node.lineno:
            lines = source.splitlines()[node.lineno - 1:node.end_lineno]
            return textwrap.dedent("\n".join(lines))
    raise LookupError(f"no decorated definition at {filename}:{line}")


def _add(module: str, variant: Variant) -> None:
    _REGISTRY.setdefault(module, []).append(variant)


def wrong(grade_id: str, why: str):
    """A plausible student mistake: must lose points."""
    return _register(grade_id, why, correct=False)


def correct(grade_id: str, why: str):
    """A correct answer written differently from the reference: must get full marks."""
    return _register(grade_id, why, correct=True)


def wrong_source(grade_id: str, why: str, source: str) -> None:
    """A wrong answer given as cell text (for answers that are plain values, not defs)."""
    _add(_caller_module(), Variant(grade_id, why, textwrap.dedent(source).strip("\n"), correct=False))


def correct_source(grade_id: str, why: str, source: str) -> None:
    """A correct alternative given as cell text."""
    _add(_caller_module(), Variant(grade_id, why, textwrap.dedent(source).strip("\n"), correct=True))


def wrong_edit(grade_id: str, why: str, old: str, new: str) -> None:
    """A wrong answer made of the reference answer with ``old`` replaced by ``new``.

    ``old`` must occur exactly once in the reference answer cell: a reference that changes
    under the edit fails loudly instead of giving a variant that no longer shows the mistake."""
    assignment = _caller_module()
    _add(assignment, Variant(grade_id, why, edited_answer(assignment, grade_id, old, new), correct=False))


def edited_answer(assignment: str, grade_id: str, old: str, new: str) -> str:
    """The reference answer cell with its one occurrence of ``old`` replaced by ``new``."""
    reference = reference_answer(assignment, grade_id)
    found = reference.count(old)
    if found != 1:
        raise ValueError(f"{assignment}: {old!r} occurs {found} times in the reference answer of {grade_id}, not once")
    return reference.replace(old, new)


def reference_answer(assignment: str, grade_id: str) -> str:
    """The answer cell ``grade_id`` as a student who typed the reference would have it."""
    from ..assignments import outline_path, solution_module
    from ..authoring.outline import parse_outline
    from ..authoring.solution_regions import answer_source, strip_markers
    for spec in parse_outline(outline_path(assignment)):
        if spec.kind == "solution" and spec.grade_id == grade_id:
            return strip_markers(answer_source(solution_module(assignment), spec.names))
    raise KeyError(f"{assignment} has no answer cell {grade_id!r}")


def _caller_module() -> str:
    return _assignment_of(sys._getframe(2).f_globals["__name__"])


def _assignment_of(module: str) -> str:
    """``tests.mutants.<assignment>`` or ``tests.mutants.<assignment>.<part>`` -> assignment."""
    return module.partition("mutants.")[2].split(".")[0] or module.rsplit(".", 1)[-1]


def variants(assignment: str) -> list[Variant]:
    """All registered variants of an assignment (imports its catalogue)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    importlib.import_module(f"tests.mutants.{assignment}")
    return list(_REGISTRY.get(assignment, []))
