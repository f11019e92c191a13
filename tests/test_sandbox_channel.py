"""The trusted-cell channel: one socket per test cell, and a call through it behaves as a local call.

One notebook is executed by the course's real execute step (the jail, SandboxedExecute); its
test cells exercise what a check does with student objects, and the tests read the results.
"""
from __future__ import annotations

import ast
import io
import logging
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course.grading.batch.nbconfig import load_course_config
from course.grading.batch.plan import ExecTask
from course.grading.batch.worker import execute_task
from course.grading.sandbox.grader import batching
from course.grading.sandbox.grader.cell_streams import capture_cell_output

ROOT = Path(__file__).resolve().parents[1]

STUDENT = '''
import numpy as np
calls = 0
def draw(rng, scale=1):
    global calls
    calls += 1
    return int(rng.integers(0, 1000)) * scale
def mutate(a):
    a[0] = 99
    return float(a.sum())
def warn_me():
    import warnings
    warnings.warn("careful", UserWarning)
    return 1
def boom():
    raise ValueError("bad input")
def call_grader(f, x):
    return f(x) + 1
def overflow():
    return np.float64(1e308) * 10
figures, draws = [], []
def plot():
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    fig.canvas.mpl_connect("draw_event", lambda event: draws.append(1))
    figures.append(fig)
    return fig
def figure_state():
    import matplotlib.pyplot as plt
    return [plt.fignum_exists(figures[0].number), len(draws)]
'''

TESTS = {
    "batched": '''
rng = np.random.default_rng(3)
batched = [draw(rng) for _ in range(300)]
ref = np.random.default_rng(3)
assert batched == [int(ref.integers(0, 1000)) for _ in range(300)], batched[:5]
assert rng.integers(0, 1000) == ref.integers(0, 1000), "the grader's generator did not advance as in a loop"
assert len({draw(np.random.default_rng(5), scale=2) for _ in range(4)}) == 1, "a fresh generator per call"
print("batched ok")''',
    "mirrored": '''
a = np.zeros(3)
assert mutate(a) == 99.0 and a[0] == 99, a
print("mirrored ok")''',
    "warnings": '''
import warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    warn_me()
assert caught and caught[0].category is UserWarning and str(caught[0].message) == "careful", caught
print("warnings ok")''',
    "exceptions": '''
try:
    boom()
    raise AssertionError("no exception")
except ValueError as exc:
    assert str(exc) == "bad input", exc
print("exceptions ok")''',
    "callbacks": '''
assert call_grader(lambda x: x * 2, 5) == 11
assert call_grader(lambda x: mutate(np.zeros(2)) + x, 1) == 101, "a nested call from a callback"
print("callbacks ok")''',
    "errstate": '''
with np.errstate(over="raise"):
    try:
        overflow()
        raise AssertionError("no FloatingPointError")
    except FloatingPointError:
        pass
print("errstate ok")''',
}

# Two cells: the figure a check's call opens in the first is looked at from the second.
FIGURE_TESTS = {
    "figure_made": 'plot()\nprint("made")',
    "figure_after": 'print(figure_state())',
}


def _test_cell(grade_id: str, source: str):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id,
                                 "points": 1, "schema_version": 3}
    return cell


def _run(student_cells: list[str], tests: dict[str, str], execute_class: str | None = None) -> nbformat.NotebookNode:
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [new_code_cell(src) for src in student_cells]
    nb.cells += [_test_cell(grade_id, source) for grade_id, source in tests.items()]
    nb.cells.append(new_code_cell("print('calls', calls)"))
    cfg = load_course_config(ROOT)
    task = ExecTask(key="channel-test", student="ada", assignment="channel", notebook_id="channel",
                    notebook=nbformat.writes(nb), files={}, submitted={}, config=cfg.portable_config(),
                    execute_class=execute_class or cfg.execute_class_path, env={})
    return nbformat.reads(execute_task(task).notebook, as_version=4)


def _text(cell) -> str:
    return "".join(o.get("text", "") + o.get("ename", "") + str(o.get("evalue", "")) for o in cell.outputs)


@pytest.fixture(scope="module")
def graded():
    nb = _run([STUDENT], {**TESTS, **FIGURE_TESTS})
    return {c.metadata.get("nbgrader", {}).get("grade_id", "last"): c for c in nb.cells}, nb


@pytest.mark.parametrize("grade_id", list(TESTS))
def test_a_student_object_behaves_through_the_channel_as_it_would_locally(graded, grade_id):
    cells, _ = graded
    assert _text(cells[grade_id]).strip() == f"{grade_id} ok", _text(cells[grade_id])


def test_batched_calls_run_the_student_function_exactly_as_often_as_the_loop(graded):
    cells, _ = graded
    assert _text(cells["last"]).strip() == "calls 304", _text(cells["last"])


def test_an_honest_notebook_grades_without_a_grading_error(graded):
    _, nb = graded
    assert nb.metadata["course_grading"]["status"] == "ok", nb.metadata["course_grading"]


def test_figures_a_test_cell_opened_are_closed_when_it_ends_without_being_drawn(graded):
    """Nobody reads the serving request's output: rendering the checked figures there was wasted CPU."""
    cells, _ = graded
    assert _text(cells["figure_made"]).strip() == "made", _text(cells["figure_made"])
    assert _text(cells["figure_after"]).strip() == "[False, 0]", _text(cells["figure_after"])


def test_what_a_cell_prints_in_pieces_is_one_output_whatever_the_timing():
    """Flushed apart on purpose, the pieces would be separate stream messages: a graded notebook
    must not differ between two runs because the kernel sent its output in other chunks."""
    pieces = ("import sys, time\nsys.stdout.write('a'); sys.stdout.flush(); time.sleep(0.3)\n"
              "print('b'); sys.stdout.flush(); time.sleep(0.3); print('c')")
    nb = _run([STUDENT, pieces], {})
    outputs = nb.cells[1].outputs
    assert [(o.output_type, o.get("name"), o.get("text")) for o in outputs] == [("stream", "stdout", "ab\nc\n")], outputs


def test_an_agent_removed_by_the_student_is_a_grading_error_not_a_hang():
    nb = _run([STUDENT, "import builtins\ndel builtins.__course_agent__"], {"mirrored": TESTS["mirrored"]})
    status = nb.metadata["course_grading"]
    assert status["status"] == "error" and "grading agent" in " ".join(status["reasons"]), status


def test_a_notebook_whose_grading_channel_failed_is_graded_again_from_scratch():
    from tests.faults import SocketBreaksOnce
    SocketBreaksOnce.broken = False
    nb = _run([STUDENT], {"mirrored": TESTS["mirrored"], "exceptions": TESTS["exceptions"]},
              execute_class="tests.faults.SocketBreaksOnce")
    assert SocketBreaksOnce.broken, "the fault was not injected"
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    assert [_text(cells[g]).strip() for g in ("mirrored", "exceptions")] == ["mirrored ok", "exceptions ok"]
    status = nb.metadata["course_grading"]
    assert status["status"] == "ok" and any("graded twice" in n for n in status["notes"]), status


def test_a_channel_that_fails_again_when_regraded_stays_a_grading_error():
    nb = _run([STUDENT, "import builtins\ndel builtins.__course_agent__"], {"mirrored": TESTS["mirrored"]})
    status = nb.metadata["course_grading"]
    assert status["status"] == "error" and any("graded twice" in n for n in status["notes"]), status


def test_only_a_loop_of_identical_calls_is_rewritten_into_one_request():
    source = ("a = [f(x, np.random.default_rng(1), k=2.5) for _ in range(9)]\n"
              "b = [f(x) for i in range(9) if i]\n"
              "c = [f(i) for i in range(9)]\n"
              "d = [f(g(x)) for _ in range(9)]\n"
              "e = [f(np.random.default_rng()) for _ in range(9)]\n")
    rewritten = ast.unparse(batching.rewrite(ast.parse(source))).splitlines()
    assert rewritten[0].startswith(f"a = {batching.HELPER}('list', f, 9, (x, np.random.default_rng(1)), "
                                   "{'k': 2.5}, (False, True, True)"), rewritten[0]
    assert all(batching.HELPER not in line for line in rewritten[1:]), rewritten


def test_output_of_other_threads_and_of_logging_stays_out_of_a_test_cell():
    out, err = io.StringIO(), io.StringIO()
    real = io.StringIO()
    saved = sys.stderr
    sys.stderr = real
    try:
        with capture_cell_output(out, err):
            print("the cell's own line")
            thread = threading.Thread(target=lambda: print("grader noise", file=sys.stderr))
            thread.start()
            thread.join()
            unhandled = logging.getLogger("course-test-unhandled")  # no handler: logging's last resort
            unhandled.propagate = False
            unhandled.error("Task exception was never retrieved")
    finally:
        sys.stderr = saved
    assert out.getvalue() == "the cell's own line\n" and err.getvalue() == ""
    assert "grader noise" in real.getvalue() and "Task exception" in real.getvalue()


def test_only_arguments_the_call_changed_are_sent_back_to_be_mirrored():
    import numpy as np
    from course.grading.sandbox.jailed.unchanged import same, snapshot
    rng = np.random.default_rng(0)
    values = [[1, "a", {"k": np.zeros(2)}], np.array([np.nan, 1.0]), rng, {"x": 1.5}, (1, 2)]
    before = [snapshot(v) for v in values]
    assert all(same(b, v) for b, v in zip(before, values))
    values[0][2]["k"][1] = 3.0
    values[1][0] = 0.0
    rng.random()
    values[3]["y"] = 2
    assert [same(b, v) for b, v in zip(before, values)] == [False, False, False, False, True]
