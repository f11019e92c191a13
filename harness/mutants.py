"""The variant registry, kept in :mod:`course.quality.variants` (the grader report reads it too),
and the generated mutants that real nbgrader confirms (tests/test_grader_quality.py)."""
from __future__ import annotations

import functools
import random
from dataclasses import dataclass

from course.quality.assess import assess, generate_mutants
from course.quality.equivalents import load_equivalents
from course.quality.inprocess import notebook_cells
from course.quality.mutation import Mutant
from course.quality.variants import (Variant, correct, correct_source, variants, wrong, wrong_edit,  # noqa: F401
                                     wrong_source)

CONFIRM = 6  # mutants recorded as equivalent, graded through nbgrader per finished assignment


@dataclass(frozen=True)
class Confirmation:
    """Mutants the in-process assessment judged, to be graded by real nbgrader as students
    ``eq-<i>`` (recorded equivalent: must keep full marks) and ``killed-<i>`` (must lose points)."""
    equivalent: list[Mutant]
    killed: list[Mutant]

    def equivalent_students(self) -> dict[str, Mutant]:
        return {f"eq-{i}": m for i, m in enumerate(self.equivalent)}

    def killed_students(self) -> dict[str, Mutant]:
        return {f"killed-{i}": m for i, m in enumerate(self.killed)}

    def students(self, reference: dict[str, str]) -> dict[str, dict[str, str]]:
        found = {**self.equivalent_students(), **self.killed_students()}
        return {student: {**reference, m.grade_id: m.source} for student, m in found.items()}


@functools.cache  # the class fixture and the tests ask for the same mutants
def confirmation(assignment: str) -> Confirmation:
    """A seeded few of each kind (nbgrader is slow; the in-process assessment covers them all)."""
    equivalents = load_equivalents(assignment)
    same = [m for m in generate_mutants(notebook_cells(assignment)) if m.id in equivalents]
    same = random.Random(0).sample(same, min(CONFIRM, len(same)))
    killed: list[Mutant] = []
    for seed in range(1, 6):  # a sample may hold only equivalent mutants: draw again, seeded
        killed = [r.mutant for r in assess(assignment, sample=2, seed=seed, with_variants=False).mutants
                  if r.status == "killed"]
        if killed:
            break
    return Confirmation(same, killed)
