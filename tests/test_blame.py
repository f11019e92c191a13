"""One function, one blame: a wrong answer loses points only in the cells that check it.

Graded through real nbgrader (the same class as tests/test_mutants.py). Which
function a cell checks comes from the outline's structure
(:func:`harness.fabricate.checked_answers`): a test cell checks the answers of the
run of ``{solution}`` cells above it.
"""
import pytest

from harness.fabricate import autograded_answer_ids, checked_answers
from harness.mutants import variants

from .conftest import ASSIGNMENTS
from .test_mutants import CASES

pytestmark = pytest.mark.pipeline

# Assignments whose graders follow the rule (all of them: the list is kept so that a new
# assignment is enforced once its graders are).
ENFORCED = ["ps01_vectors", "ps02_softmax", "ps03_gradient_descent", "ps04_calculus", "ps05_linear_algebra",
            "ps06_probability", "ps07_information_theory", "ps08_attention", "ps09_backprop", "ps10_embeddings",
            "ps11_fourier", "project1_mini_lm", "project2_visualization"]

# Each composite (a graded function whose contract builds on another graded one) and
# its helpers: a wrong helper must leave the composite's points intact.
COMPOSITES = {
    "ps01_vectors": {"most_similar": ["pairwise_cosine"]},
    "ps02_softmax": {"log_softmax": ["softmax"]},
    "ps03_gradient_descent": {"learning_rate_sweep": ["gradient_descent"]},
    "ps04_calculus": {"classify_critical_point": ["hessian"], "sigmoid_grad": ["sigmoid"],
                      "chain_rule_grad_w1": ["sigmoid"]},
    "ps05_linear_algebra": {"cosine_spread": ["random_cosines"]},
    "ps07_information_theory": {"entropy_vs_temperature": ["entropy"], "mutual_information": ["entropy"]},
    "ps08_attention": {"multi_head_attention": ["scaled_dot_product_attention", "split_heads", "merge_heads"]},
    "ps09_backprop": {"forward": ["relu"], "backward": ["relu", "relu_grad", "forward"],
                      "predict": ["forward"],
                      "train": ["forward", "backward", "softmax_cross_entropy", "init_params"]},
    "ps10_embeddings": {"nearest_neighbors": ["normalize_rows"], "analogy": ["normalize_rows"],
                        "analogy_accuracy": ["analogy", "normalize_rows"]},
    "project1_mini_lm": {"attention_block_backward": ["softmax_rows_backward"],
                         "attention_lm_loss_and_grads": ["attention_lm_forward", "softmax_rows_backward",
                                                         "attention_block_backward", "embedding_backward"],
                         "train_attention_lm": ["attention_lm_loss_and_grads", "attention_lm_forward",
                                                "softmax_rows_backward", "attention_block_backward",
                                                "embedding_backward"]},
}


def _lost_outside(assignment, variant, result):
    blame = checked_answers(assignment)
    return {cell: f"{score:g}/{top:g}" for cell, (score, top) in result.cells.items()
            if score is not None and score < top and variant.grade_id not in blame[cell]}


# Known cascades still to remove, each failing strictly (xfail strict) so that a fix is noticed.
KNOWN_CASCADES: dict[str, str] = {}


def _case(assignment, variant):
    reason = KNOWN_CASCADES.get(variant.slug)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(assignment, variant, marks=marks, id=f"{assignment}-{variant.slug}")  # -k <a> selects them


@pytest.mark.parametrize("assignment,variant", [_case(*c) for c in CASES if not c[1].correct and c[0] in ENFORCED])
def test_a_wrong_answer_loses_points_only_in_its_own_checks(graded, assignment, variant):
    result = graded(assignment).results[variant.slug]
    outside = _lost_outside(assignment, variant, result)
    assert not outside, f"{variant.why!r} ({variant.grade_id}) lost points in other functions' checks: {outside}"


@pytest.mark.parametrize("assignment", sorted(COMPOSITES))
def test_a_correct_composite_keeps_its_points_next_to_a_wrong_helper(graded, assignment):
    blame = checked_answers(assignment)
    classroom = graded(assignment)
    for composite, helpers in COMPOSITES[assignment].items():
        cells = [cell for cell, answers in blame.items() if composite in answers]
        wrong_helpers = [v for v in variants(assignment) if v.grade_id in helpers and not v.correct]
        assert cells and {v.grade_id for v in wrong_helpers} == set(helpers), \
            f"{composite}: every helper of {helpers} needs a wrong variant"
        for variant in wrong_helpers:
            scores = classroom.results[variant.slug].cells
            lost = [cell for cell in cells if scores[cell][0] is not None and scores[cell][0] < scores[cell][1]]
            assert not lost, f"{composite} lost points in {lost} when only {variant.grade_id} " \
                             f"is wrong ({variant.why!r})"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_autograded_test_cell_checks_an_answer(assignment):
    blame = checked_answers(assignment)
    answers = set(autograded_answer_ids(assignment))
    assert blame and all(blame.values()), f"test cells checking no answer: {[c for c, a in blame.items() if not a]}"
    assert set().union(*blame.values()) <= answers
