"""Every realistic wrong answer loses points; every correct alternative keeps them all.

Graded through real nbgrader: each variant is one student's submission.
"""
import warnings

import numpy as np
import pytest

from harness.classroom import student_of
from harness.fabricate import autograded_answer_ids
from harness.mutants import variants

from .conftest import ASSIGNMENTS

pytestmark = pytest.mark.pipeline



def _variants_or_none(assignment):
    try:
        return variants(assignment)
    except Exception:  # noqa: BLE001 - reported by test_every_graded_answer_has_mutants
        return []


CASES = [(a, v) for a in ASSIGNMENTS for v in _variants_or_none(a)]


@pytest.mark.parametrize("assignment,variant", [c for c in CASES if not c[1].correct],
                         ids=lambda x: getattr(x, "slug", x))
def test_wrong_answer_loses_points(graded, assignment, variant):
    result = graded(assignment).results[variant.slug]
    assert result.auto_score < result.max_auto, f"{variant.why!r} got full marks on {assignment}"


@pytest.mark.parametrize("assignment,variant", [c for c in CASES if c[1].correct],
                         ids=lambda x: getattr(x, "slug", x))
def test_correct_alternative_gets_full_marks(graded, assignment, variant):
    student = student_of(variant, variants(assignment))
    result = graded(assignment).results[student]
    assert result.auto_score == result.max_auto, \
        f"{variant.why!r} ({variant.grade_id}) lost points in {result.lost} (the notebook of {student})"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_graded_answer_has_mutants(assignment):
    """At least three wrong versions and one correct alternative per autograded answer."""
    by_id = {}
    for v in variants(assignment):
        by_id.setdefault(v.grade_id, []).append(v)
    for grade_id in autograded_answer_ids(assignment):
        wrong = [v for v in by_id.get(grade_id, []) if not v.correct]
        right = [v for v in by_id.get(grade_id, []) if v.correct]
        assert len(wrong) >= 3 and right, f"{grade_id}: {len(wrong)} wrong, {len(right)} correct variants"


@pytest.mark.parametrize("assignment", ["ps01_vectors"])  # grouped with that class's other tests
def test_a_warning_in_a_correct_answer_costs_nothing(graded, assignment):
    """The warning-emitting alternative really warns, and still gets full marks."""
    variant = next(v for v in variants(assignment) if "warns" in v.why)
    namespace = {"np": np}
    exec(variant.source, namespace)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError):
            namespace["cosine_similarity"]([0, 0], [1, 2])
    assert any(issubclass(w.category, RuntimeWarning) for w in caught)
    result = graded(assignment).results[student_of(variant, variants(assignment))]
    assert result.auto_score == result.max_auto, f"lost points in {result.lost}"
