"""Assess one assignment's graders: mutants, hand-written variants, clause coverage, blame.

Every generated mutant and every variant of ``tests/mutants/<assignment>`` is graded
in-process (:mod:`course.quality.inprocess`); a mutant is *killed* when some test cell
fails, *equivalent* when ``graders/equivalent_mutants/`` says why it cannot be told apart
from the reference, and *surviving* otherwise.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from .clauses import Coverage, coverage
from .equivalents import Equivalent, load_equivalents
from .inprocess import Cell, CellKind, Change, Outcome, answered_by, grade_changes, notebook_cells
from .mutation import Mutant, mutate_answer
from .variants import Variant, variants


@dataclass
class MutantResult:
    mutant: Mutant
    outcome: Outcome
    equivalent: Equivalent | None = None

    @property
    def status(self) -> str:
        if self.outcome.loses_points:
            return "killed"
        return "equivalent" if self.equivalent else "surviving"


@dataclass
class VariantResult:
    variant: Variant
    outcome: Outcome

    @property
    def as_expected(self) -> bool:
        return self.outcome.loses_points != self.variant.correct


@dataclass
class Assessment:
    assignment: str
    cells: list[Cell]
    reference: Outcome
    generated: int                      # mutants generated (before any sampling)
    mutants: list[MutantResult]         # the ones graded
    variants: list[VariantResult]
    coverage: Coverage | None
    stale_equivalents: list[str] = field(default_factory=list)  # no such mutant, or a check kills it
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.mutants)

    @property
    def owners(self) -> dict[str, tuple[str, ...]]:
        return answered_by(self.cells)

    def points(self, cell: str) -> float:
        return next(c.points for c in self.cells if c.grade_id == cell)

    def blame(self, result: VariantResult) -> dict[str, float]:
        """Answer cell -> points the variant loses in the test cells of that answer."""
        lost: dict[str, float] = {}
        owners = self.owners
        for cell in result.outcome.failures:
            answers = owners.get(cell, (cell,))
            owner = result.variant.grade_id if result.variant.grade_id in answers else answers[-1]
            lost[owner] = lost.get(owner, 0.0) + (self.points(cell) if cell in owners else 0.0)
        return lost

    def misplaced_blame(self, result: VariantResult) -> dict[str, float]:
        """Points a wrong variant loses outside its own answer's checks."""
        return {k: v for k, v in self.blame(result).items() if k != result.variant.grade_id and v}

    def summary(self) -> str:
        wrong = [r for r in self.variants if not r.variant.correct]
        right = [r for r in self.variants if r.variant.correct]
        sampled = f" (sample of {len(self.mutants)})" if len(self.mutants) < self.generated else ""
        clauses = "no contract section" if not self.coverage or not self.coverage.parts else \
            f"clauses {len(self.coverage.parts) - len(self.coverage.unmapped)}/{len(self.coverage.parts)} mapped, " \
            f"{len(self.coverage.uncovered)} uncovered"
        return (f"{self.assignment}: mutants {self.generated} generated{sampled}, {self.count('killed')} killed, "
                f"{self.count('equivalent')} equivalent, {self.count('surviving')} surviving; "
                f"variants {sum(r.as_expected for r in wrong)}/{len(wrong)} wrong lose points, "
                f"{sum(r.as_expected for r in right)}/{len(right)} correct keep them, "
                f"{sum(bool(self.misplaced_blame(r)) for r in wrong)} blame other functions; {clauses}")


def generate_mutants(cells: list[Cell]) -> list[Mutant]:
    return [m for c in cells if c.kind is CellKind.ANSWER for m in mutate_answer(c.grade_id, c.source)]


def assess(assignment: str, sample: int | None = None, seed: int = 0, jobs: int = 1,
           with_variants: bool = True, progress=None) -> Assessment:
    """Grade the mutants (all, or a seeded sample) and the variants of one assignment."""
    start = time.monotonic()
    cells = notebook_cells(assignment)
    mutants = generate_mutants(cells)
    chosen = mutants if sample is None or sample >= len(mutants) else \
        sorted(random.Random(seed).sample(mutants, sample), key=mutants.index)
    found = variants(assignment) if with_variants else []
    changes = [Change(m.grade_id, m.source, stop_when_failing=True) for m in chosen] + [Change(v.grade_id, v.source) for v in found]
    reference, outcomes = grade_changes(assignment, changes, jobs=jobs, progress=progress)
    equivalents = load_equivalents(assignment)
    results = []
    for mutant, outcome in zip(chosen, outcomes):
        entry = equivalents.get(mutant.id)
        results.append(MutantResult(mutant, outcome, entry if entry and entry.after == mutant.after else None))
    by_id = {m.id: m for m in mutants}
    stale = [key for key, e in equivalents.items() if key not in by_id or by_id[key].after != e.after]
    stale += [r.mutant.id for r in results if r.equivalent and r.outcome.loses_points]  # a check kills it
    test_cells = {c.grade_id for c in cells if c.kind in (CellKind.TEST, CellKind.MANUAL)}
    try:
        cover = coverage(assignment, test_cells)
    except FileNotFoundError:
        cover = None
    return Assessment(assignment, cells, reference, len(mutants), results,
                      [VariantResult(v, o) for v, o in zip(found, outcomes[len(chosen):])],
                      cover, stale, time.monotonic() - start)
