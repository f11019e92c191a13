"""The graders are tested: every contract clause has a check, every mutant is killed or explained.

Mutants are graded in-process (fast); the ones recorded as equivalent, and a few killed
ones, are confirmed through real nbgrader.
"""
import os
import subprocess
import sys

import pytest

from course.quality.clauses import contract_parts, contract_path, coverage
from course.quality.equivalents import EQUIVALENTS_DIR, load_equivalents
from course.quality.inprocess import CellKind, Change, grade_changes, notebook_cells
from course.quality.variants import edited_answer, reference_answer, variants
from harness.mutants import confirmation, sample_assessment

from .conftest import ASSIGNMENTS, FINISHED

REMAINING = [a for a in ASSIGNMENTS if a not in FINISHED]


@pytest.fixture(scope="module")
def contract():
    path = contract_path()
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the curriculum contract is missing: {path}")
        pytest.skip(f"the curriculum contract is not at {path} (set COURSE_CONTRACT)")
    return path.read_text(encoding="utf-8")


def _test_cells(assignment):
    return {c.grade_id for c in notebook_cells(assignment) if c.kind in (CellKind.TEST, CellKind.MANUAL)}


def test_a_contract_section_splits_into_sentences_and_semicolon_parts():
    text = ("## ps99_demo — demo\n- `f(x) -> float` — the value of x. Any shape; stable (no NaN; no warning);\n"
            "  Raises ValueError if `x.y` < 0.\n## next\n- `g()` — other.\n")
    assert contract_parts("ps99_demo", text) == [
        "`f(x) -> float` — the value of x.", "Any shape;", "stable (no NaN; no warning);",
        "Raises ValueError if `x.y` < 0."]


@pytest.mark.parametrize("assignment", FINISHED)
def test_every_contract_clause_of_a_finished_assignment_has_a_check(contract, assignment):
    result = coverage(assignment, _test_cells(assignment), contract)
    assert result.parts, f"no section for {assignment} in the contract"
    assert not result.unmapped, f"contract parts no clause quotes: {result.unmapped}"
    assert not result.uncovered, f"clauses whose checks are not test cells of the notebook: {result.uncovered}"
    assert not result.stale, f"clauses quoting words the contract does not have: {result.stale}"


def test_no_finished_assignment_is_left_out_of_the_finished_list(contract):
    """The list is kept honest: an assignment with a complete clause map and a reviewed mutant
    record (graders/equivalent_mutants/<a>.toml) belongs in FINISHED, where its tests run."""
    left_out = [a for a in REMAINING if (EQUIVALENTS_DIR / f"{a}.toml").exists()
                and coverage(a, _test_cells(a), contract).complete]
    assert not left_out, f"finished, but not in tests/conftest.py's FINISHED: {left_out}"


@pytest.mark.parametrize("assignment", FINISHED)
def test_a_sample_of_mutants_is_killed_or_recorded_as_equivalent(assignment):
    result = sample_assessment(assignment)
    assert not result.reference.failures, f"the reference fails {result.reference.failures}"
    surviving = [f"{r.mutant.id}: {r.mutant.after}" for r in result.mutants if r.status == "surviving"]
    assert not surviving, f"mutants no check kills and no record explains: {surviving}"
    assert not result.stale_equivalents, f"equivalence records of no current mutant: {result.stale_equivalents}"


def _graded_mutants(graded, assignment, students):
    """(mutants, their notebook's result) for each confirmation student of the assignment's class."""
    assert students, f"{assignment} has no mutant of this kind to confirm"
    return [(mutants, graded(assignment).results[student]) for student, mutants in students.items()]


@pytest.mark.pipeline
@pytest.mark.parametrize("assignment", FINISHED)
def test_nbgrader_confirms_equivalent_mutants_keep_full_marks(graded, assignment):
    if not load_equivalents(assignment):
        pytest.skip(f"{assignment} records no equivalent mutant: every generated mutant loses points")
    for mutants, result in _graded_mutants(graded, assignment, confirmation(assignment).equivalent_students()):
        assert result.auto_score == result.max_auto, \
            f"{[f'{m.id} ({m.after})' for m in mutants]} (one notebook) lost {result.lost}"


@pytest.mark.pipeline
@pytest.mark.parametrize("assignment", FINISHED)
def test_nbgrader_confirms_mutants_killed_in_process_lose_points(graded, assignment):
    for (mutant,), result in _graded_mutants(graded, assignment, confirmation(assignment).killed_students()):
        assert result.auto_score < result.max_auto, f"{mutant.id} ({mutant.after}) kept full marks"


def test_an_edited_variant_is_the_reference_answer_with_its_one_change():
    edited = next(v for v in variants("project1_mini_lm") if v.why == "drops the residual connection")
    reference = reference_answer("project1_mini_lm", "attention_lm_forward")
    assert edited.source == reference.replace("h = x + A @ v", "h = A @ v") and edited.source != reference


@pytest.mark.parametrize("old", ["this text is not in the answer", "np."])
def test_an_edit_whose_text_is_not_in_the_reference_answer_exactly_once_fails_loudly(old):
    with pytest.raises(ValueError, match="not once"):
        edited_answer("project1_mini_lm", "attention_lm_forward", old, "")


def test_the_grader_report_command_writes_a_page_and_a_summary_line(tmp_path):
    out = tmp_path / "report"
    run = subprocess.run([sys.executable, "-m", "course.cli", "grader-report", "ps02_softmax", "--sample", "2",
                          "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "ps02_softmax: mutants" in run.stdout and "(sample of 2)" in run.stdout
    page = (out / "ps02_softmax.html").read_text(encoding="utf-8")
    for heading in ("Generated mutants", "Hand-written variants", "Blame matrix", "Which check kills what",
                    "Contract clauses"):
        assert heading in page
    assert 'href="ps02_softmax.html"' in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_report_charges_each_test_cell_to_the_answers_the_blame_tests_do(assignment):
    """A test cell after a run of answers (relu, relu_grad) grades them all, in the report as in
    tests/test_blame.py, so a wrong relu losing points there is blamed on relu."""
    from course.quality.inprocess import answered_by
    from harness.fabricate import checked_answers
    expected = {cell: answers for cell, answers in checked_answers(assignment).items() if answers}
    assert answered_by(notebook_cells(assignment)) == expected


def test_a_failing_mutant_skips_the_expensive_training_while_a_variant_runs_every_cell():
    """The in-process run stays affordable for project1: a change that may stop early (a generated
    mutant) does not retrain once a check has failed; one that may not (a variant) does."""
    ascent = edited_answer("project1_mini_lm", "train_attention_lm", "0.9 * m[name] + 0.1 * grads[name]",
                           "0.9 * m[name] - 0.1 * grads[name]")
    reference, (stopped, full) = grade_changes("project1_mini_lm", [
        Change("train_attention_lm", ascent, stop_when_failing=True), Change("train_attention_lm", ascent)])
    assert not reference.failures
    assert "train_attention_lm_hidden" in stopped.failures and "attention_beats_bigram_hidden" not in stopped.failures
    assert stopped.stopped_before == "code cell: start = time.perf_counter()"
    assert full.stopped_before is None and "attention_beats_bigram_hidden" in full.failures


def test_notebooks_are_graded_in_process_with_one_blas_thread_as_they_ask():
    check = reference_answer("ps02_softmax", "softmax") + (
        "\nfrom threadpoolctl import threadpool_info\n"
        "if any(i['num_threads'] != 1 for i in threadpool_info() if i['user_api'] == 'blas'):\n"
        "    del softmax\n")
    reference, (outcome,) = grade_changes("ps02_softmax", [Change("softmax", check)])
    assert not reference.failures and not outcome.failures
