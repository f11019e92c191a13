"""nbgrader's own test-suite passes with the course's grading swaps as it does on stock nbgrader.

The shipped tests of the installed nbgrader (``nbgrader.tests.apps``: autograde,
generate_feedback, validate, export; nothing of them is copied here) run twice in
subprocesses: stock, and with the swaps of ``nbgrader_config.py`` (the reader as exporter, and
the steps of :data:`REPLACES`: SandboxedExecute for Execute, RecordGradingStatus, OverwriteCells
and CheckCellMetadata as the course configures them) in a config file that every test course
picks up through ``JUPYTER_CONFIG_PATH``. Each test's outcome must be the same
on both sides, except the deliberate deviations listed in :data:`DEVIATIONS`, each with its
security reason and the test of the safer behaviour. Only the tests that run ``nbgrader
autograde`` are run (55 of 77: none of validate's), since the swaps configure nothing else.
They run with the swaps first (pytest-xdist, ``NBGRADER_COMPAT_WORKERS``, default 2); stock
nbgrader then runs only the tests that did not pass there, plus the listed deviations, to tell a
new difference from a test that fails on stock as well (a test passing with the swaps cannot be
a way they break nbgrader). That halves the time of running everything twice.
"""
from __future__ import annotations

import importlib
import inspect
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

# One xdist worker for the module, so its tests share one run of nbgrader's suite both ways.
pytestmark = [pytest.mark.pipeline, pytest.mark.long, pytest.mark.xdist_group("nbgrader-compat")]

ROOT = Path(__file__).resolve().parent.parent
MODULES = [f"nbgrader.tests.apps.test_nbgrader_{m}" for m in ("autograde", "generate_feedback", "validate", "export")]
STOCK_AUTOGRADE = ["nbgrader.preprocessors.Execute", "nbgrader.preprocessors.IgnorePattern",
                   "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
                   "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
                   "nbgrader.preprocessors.CheckCellMetadata"]

STOCK_SANITIZE = ["nbgrader.preprocessors.ClearOutput", "nbgrader.preprocessors.DeduplicateIds",
                  "nbgrader.preprocessors.OverwriteKernelspec", "nbgrader.preprocessors.OverwriteCells",
                  "nbgrader.preprocessors.CheckCellMetadata"]
# Each course step of the Autograde converter: the stock step it stands for (None: an added step).
REPLACES = {"course.grading.steps.sandboxed_execute.SandboxedExecute": "nbgrader.preprocessors.Execute",
            "course.grading.steps.record_grading_status.RecordGradingStatus": None,
            "course.grading.steps.overwrite_cells.OverwriteReleasedCells": "nbgrader.preprocessors.OverwriteCells",
            "course.grading.steps.check_metadata.CheckCellMetadata": "nbgrader.preprocessors.CheckCellMetadata"}

_AUTOGRADE = re.compile(r"""["']autograde["']""")

# Tests of nbgrader's suite whose outcome differs on purpose: test id -> why, and the
# course test that checks the safer behaviour instead. Keep it short.
_UNKNOWN_GRADED_CELLS = (
    "A submission whose graded cells the release does not have is graded, those cells running as "
    "ordinary cells (noted in the log), instead of failing: a failed submission has no gradebook "
    "record and fails the run, so a student could make their own work ungradable. Safer behaviour: "
    "tests/test_reader.py::test_graded_cells_the_release_lacks_become_ordinary_cells, tests/test_reader_fuzz.py.")
DEVIATIONS: dict[str, str] = {
    "TestNbGraderAutograde::test_handle_failure": _UNKNOWN_GRADED_CELLS,
    "TestNbGraderAutograde::test_handle_failure_single_notebook": _UNKNOWN_GRADED_CELLS,
    "TestNbGraderAutograde::test_hidden_tests_single_notebook": (
        "Its last test cell runs `del squares` to check that the student's sum_of_squares calls squares. "
        "Test cells run in the grader, outside the jail, and reach student objects only through "
        "read-only proxies, so nothing in the student's code can alter a verdict; deleting or "
        "rebinding a name there changes the grader's name only, and the check scores 0 (1.0 instead "
        "of 1.5). Safer behaviour: tests/test_sandbox_wire.py::"
        "test_student_objects_are_read_only_for_the_grader, tests/test_attacks.py."),
}


def swaps_config(course_config: Path) -> str:
    """The course's exporter, sanitize and autograde steps as a config file; everything else stock."""
    config = PyFileConfigLoader(course_config.name, path=str(course_config.parent)).load_config()
    sanitize = list(config.Autograde.sanitize_preprocessors)
    steps = list(config.Autograde.autograde_preprocessors)
    assert _as_stock(sanitize) == STOCK_SANITIZE, "the course's sanitize steps are no longer stock's plus the swaps"
    assert _as_stock(steps) == STOCK_AUTOGRADE, "the course's autograde steps are no longer stock's plus the swaps"
    assert steps[0] == "course.grading.steps.sandboxed_execute.SandboxedExecute", "expected SandboxedExecute first"
    return ("c = get_config()\n"
            f"c.Autograde.exporter_class = {config.Autograde.exporter_class!r}\n"
            f"c.Autograde.sanitize_preprocessors = {sanitize!r}\n"
            f"c.Autograde.autograde_preprocessors = {steps!r}\n")


def _as_stock(steps: list[str]) -> list[str]:
    """The steps with each course step replaced by the stock one it stands for (additions left out)."""
    unknown = [s for s in steps if s.startswith("course.") and s not in REPLACES]
    assert not unknown, f"course steps this test does not know (add them to REPLACES): {unknown}"
    return [REPLACES.get(s, s) for s in steps if REPLACES.get(s, s) is not None]


def autograde_test_ids() -> list[str]:
    """Node ids (file::class::function) of the tests that run ``nbgrader autograde``. The swaps
    configure only the Autograde converter, so the others (all of validate's) cannot differ."""
    selected = []
    for name in MODULES:
        module = importlib.import_module(name)
        for cls_name, cls in vars(module).items():
            if not (cls_name.startswith("Test") and inspect.isclass(cls)):
                continue
            for fn_name, fn in vars(cls).items():
                if fn_name.startswith("test_") and _AUTOGRADE.search(inspect.getsource(fn)):
                    selected.append(f"{module.__file__}::{cls_name}::{fn_name}")
    return selected


def run_suite(side: str, folder: Path, workers: int, tests: list[str]) -> dict[str, str]:
    """Run ``tests`` in ``folder``; outcome ("passed", "failed", "skipped") per test id."""
    folder.mkdir()
    (folder / "pytest.ini").write_text("[pytest]\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "JUPYTER_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # nbgrader calls `alembic`
    if side == "swaps":
        (folder / "config").mkdir()
        (folder / "config" / "nbgrader_config.py").write_text(swaps_config(ROOT / "nbgrader_config.py"))
        env["JUPYTER_CONFIG_PATH"] = str(folder / "config")
    xml = folder / "results.xml"
    argv = [sys.executable, "-m", "pytest", "-c", str(folder / "pytest.ini"), "-p", "no:cacheprovider", "-q",
            "-n", str(workers), f"--junitxml={xml}", *tests]
    run = subprocess.run(argv, cwd=folder, env=env, capture_output=True, text=True, timeout=3600)
    (folder / "log.txt").write_text(run.stdout + run.stderr)
    assert xml.exists(), f"{side}: pytest wrote no results:\n{run.stdout[-3000:]}{run.stderr[-3000:]}"
    return outcomes(xml)


def outcomes(xml: Path) -> dict[str, str]:
    result = {}
    for case in ET.parse(xml).getroot().iter("testcase"):
        test_id = f"{case.get('classname', '').rsplit('.', 1)[-1]}::{case.get('name')}"
        kinds = {child.tag for child in case}
        result[test_id] = ("failed" if kinds & {"failure", "error"} else
                           "skipped" if "skipped" in kinds else "passed")
    return result


@pytest.fixture(scope="module")
def both_sides(tmp_path_factory):
    """(stock outcomes of the tests that did not pass with the swaps, outcomes with the swaps, logs)."""
    workers = int(os.environ.get("NBGRADER_COMPAT_WORKERS", "2"))
    base = tmp_path_factory.mktemp("nbgrader-compat")
    tests = autograde_test_ids()
    swaps = run_suite("swaps", base / "swaps", workers, tests)
    again = [t for t in tests if swaps.get(_test_id(t)) != "passed" or _test_id(t) in DEVIATIONS]
    stock = run_suite("stock", base / "stock", workers, again) if again else {}
    return stock, swaps, base


def _test_id(node_id: str) -> str:
    """file::Class::test -> Class::test, as :func:`outcomes` names a test."""
    return node_id.split("::", 1)[1]


def test_nbgrader_suite_passes_with_the_course_swaps_as_on_stock(both_sides):
    stock, swaps, base = both_sides
    assert len(swaps) >= 50, f"only {len(swaps)} of nbgrader's tests ran (logs in {base})"
    new = {t: f"stock {stock[t]}, with the swaps {swaps.get(t, 'missing')}"
           for t in stock if stock[t] != swaps.get(t) and t not in DEVIATIONS}
    assert not new, (f"nbgrader tests whose outcome changed under the course's grading (logs in {base}): "
                     + "; ".join(f"{t}: {v}" for t, v in sorted(new.items())))


def test_every_listed_deviation_still_deviates(both_sides):
    stock, swaps, _ = both_sides
    stale = [t for t in DEVIATIONS if t not in stock or stock[t] == swaps.get(t)]
    assert not stale, f"deviations that no longer differ from stock (remove them from DEVIATIONS): {stale}"
