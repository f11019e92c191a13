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
SAMPLE = 6   # generated mutants per finished assignment graded in-process by tests/test_grader_quality.py
KILLED = 2   # of those, killed ones graded through nbgrader


@dataclass(frozen=True)
class Confirmation:
    """Mutants the in-process assessment judged, to be graded by real nbgrader: students ``eq-<k>``
    hold the k-th recorded-equivalent mutant of every answer that has one (each must keep full
    marks, so any loss fails them all, as the correct alternatives of ``ok-<k>`` do); students
    ``killed-<i>`` hold one killed mutant each (its loss must be its own)."""
    equivalent: list[Mutant]
    killed: list[Mutant]

    def equivalent_students(self) -> dict[str, list[Mutant]]:
        students: dict[str, list[Mutant]] = {}
        taken: dict[str, int] = {}
        for mutant in self.equivalent:
            k = taken[mutant.grade_id] = taken.get(mutant.grade_id, -1) + 1
            students.setdefault(f"eq-{k}", []).append(mutant)
        return students

    def killed_students(self) -> dict[str, list[Mutant]]:
        return {f"killed-{i}": [m] for i, m in enumerate(self.killed)}

    def students(self, reference: dict[str, str]) -> dict[str, dict[str, str]]:
        found = {**self.equivalent_students(), **self.killed_students()}
        return {student: {**reference, **{m.grade_id: m.source for m in mutants}}
                for student, mutants in found.items()}


@functools.cache  # the class fixture and the tests ask for the same mutants
def confirmation(assignment: str) -> Confirmation:
    """A seeded few of each kind (nbgrader is slow; the in-process assessment covers them all)."""
    equivalents = load_equivalents(assignment)
    same = _spread([m for m in generate_mutants(notebook_cells(assignment)) if m.id in equivalents], CONFIRM)
    killed = [r.mutant for r in sample_assessment(assignment).mutants if r.status == "killed"][:KILLED]
    for seed in range(1, 6):  # a sample may hold only equivalent mutants: draw again, seeded
        if killed:
            break
        killed = [r.mutant for r in assess(assignment, sample=KILLED, seed=seed, with_variants=False).mutants
                  if r.status == "killed"]
    return Confirmation(same, killed)


@functools.cache  # the in-process sample test and the class's killed mutants read the same run
def sample_assessment(assignment: str):
    """A seeded sample of the assignment's generated mutants, graded in-process."""
    return assess(assignment, sample=SAMPLE, seed=len(assignment), with_variants=False)


def _spread(mutants: list[Mutant], n: int, seed: int = 0) -> list[Mutant]:
    """A seeded sample of ``n``, taken from each answer in turn: the mutants of different answers
    share a notebook, so spreading them over the answers grades them in fewer notebooks."""
    rng = random.Random(seed)
    by_answer: dict[str, list[Mutant]] = {}
    for mutant in mutants:
        by_answer.setdefault(mutant.grade_id, []).append(mutant)
    answers = sorted(by_answer)
    rng.shuffle(answers)
    for found in by_answer.values():
        rng.shuffle(found)
    picked: list[Mutant] = []
    while len(picked) < min(n, len(mutants)):
        for answer in answers:
            if by_answer[answer] and len(picked) < n:
                picked.append(by_answer[answer].pop())
    return picked
