"""Register realistic wrong answers and correct alternatives for graded answers.

Catalogues in ``tests/mutants/<assignment>.py`` define each variant under the
graded object's own name, decorated with :func:`wrong` or :func:`correct`. The
decorator records the variant's source at definition time, so several variants
of the same name can live in one module::

    @wrong("cosine_similarity", "divides by the norm of u only")
    def cosine_similarity(u, v): ...
"""
from __future__ import annotations

import importlib
import inspect
import textwrap
from dataclasses import dataclass

from . import ROOT


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
    def decorate(obj):
        module = obj.__module__.rsplit(".", 1)[-1]
        lines = textwrap.dedent(inspect.getsource(obj)).splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith(("def ", "class ")))
        _REGISTRY.setdefault(module, []).append(
            Variant(grade_id, why, "\n".join(lines[start:]), correct))
        return obj
    return decorate


def wrong(grade_id: str, why: str):
    """A plausible student mistake: must lose points."""
    return _register(grade_id, why, correct=False)


def correct(grade_id: str, why: str):
    """A correct answer written differently from the reference: must get full marks."""
    return _register(grade_id, why, correct=True)


def variants(assignment: str) -> list[Variant]:
    """All registered variants of an assignment (imports its catalogue)."""
    import sys
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    importlib.import_module(f"tests.mutants.{assignment}")
    return list(_REGISTRY.get(assignment, []))
