"""Speed checks time the student's call in CPU seconds where it runs, so a grade never depends on load.

The reference solutions go through the real speed checks in the jail while CPU-burning
neighbour processes compete for the cores. A version that never returns is stopped at the check's
CPU limit, and the notebook goes on (it runs without the burners: its 10 s of CPU are the same
under load, only slower).
"""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from course.grading import api
from course.grading.status import notebook_errors

from .test_sandbox_channel import ROOT, _run, _text

SLOW = '''
def pairwise_cosine_slow(A, B):
    # Fast on the contract's small inputs; on the speed check's it never returns (as a cubic
    # loop nearly does): the grader must stop it at the check's limit, not the cell's.
    if len(A) * len(B) >= 1_000_000:
        while True:
            pass
    return pairwise_cosine(A, B)


def pairwise_cosine_forged(A, B):
    # As slow, after telling the grading agent's clock to report that no time passes.
    import sys
    if len(A) * len(B) >= 1_000_000:
        agent = sys.modules["course.grading.sandbox.jailed.agent"]
        began = agent._cpu_clock()
        agent._cpu_clock = lambda: began
        while True:
            pass
    return pairwise_cosine(A, B)
'''

REFERENCE_TESTS = {
    "pairwise": "from graders.ps01_vectors import check_pairwise_contract\n"
                "check_pairwise_contract(pairwise_cosine)\nprint('pairwise ok')",
    "fourier": "from graders.ps11_fourier import check_dominant_frequencies_contract\n"
               "check_dominant_frequencies_contract(dominant_frequencies)\nprint('fourier ok')",
    "positional": "from graders.ps11_fourier import check_positional_encoding_contract\n"
                  "check_positional_encoding_contract(sinusoidal_positional_encoding)\nprint('positional ok')",
}
# Each runs until the check's 5-s CPU limit stops it, whatever the load, so they run without
# the burners (which would only stretch them, and the rest of the suite with them).
TOO_SLOW_TESTS = {
    "slow": "from graders.ps01_vectors import check_pairwise_contract\n"
            "check_pairwise_contract(pairwise_cosine_slow)",
    "forged": "from graders.ps01_vectors import check_pairwise_contract\n"
              "check_pairwise_contract(pairwise_cosine_forged)",  # last: it leaves the agent's clock stopped
}


def _cells(nb) -> dict:
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}


def _student() -> list[str]:
    sources = [(ROOT / "solutions" / f"{name}.py").read_text() for name in ("ps01_vectors", "ps11_fourier")]
    return [*sources, SLOW, "calls = 0"]


@pytest.fixture(scope="module")
def graded_under_load():
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(4)]
    try:
        nb = _run(_student(), REFERENCE_TESTS)
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    return _cells(nb)


@pytest.fixture(scope="module")
def too_slow_notebook():
    return _run(_student(), TOO_SLOW_TESTS)


@pytest.fixture(scope="module")
def graded_too_slow(too_slow_notebook):
    return _cells(too_slow_notebook)


@pytest.mark.parametrize("grade_id", ["pairwise", "fourier", "positional"])
def test_the_reference_passes_the_speed_checks_on_a_busy_machine(graded_under_load, grade_id):
    cell = graded_under_load[grade_id]
    assert _text(cell).strip() == f"{grade_id} ok", _text(cell)


def test_a_function_needing_too_much_cpu_is_stopped_at_the_speed_checks_limit(graded_too_slow):
    text = _text(graded_too_slow["slow"])
    assert "was stopped after 5." in text and "well under 5 s" in text, text


def test_a_student_who_stops_the_kernels_own_clock_is_still_timed_by_the_grader(graded_too_slow):
    text = _text(graded_too_slow["forged"])
    assert "was stopped after 5." in text and "well under 5 s" in text, text


def test_a_local_call_is_timed_in_cpu_seconds_not_wall_seconds():
    result, seconds = api.timed_call(time.sleep, 0.3)
    assert result is None and 0.0 <= seconds < 0.1, seconds


def test_a_stopped_call_leaves_the_kernel_serving_the_rest_of_the_notebook(too_slow_notebook):
    last = too_slow_notebook.cells[-1]
    assert _text(last).startswith("calls"), _text(last)
    assert notebook_errors(too_slow_notebook) == [], notebook_errors(too_slow_notebook)
