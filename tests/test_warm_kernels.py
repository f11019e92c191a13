"""A kernel booted before its notebook (``course.grading.batch.warm``) grades exactly like a cold one.

Workers of ``course grade`` boot the next jailed kernel while they wait for work. These
tests execute one notebook with the course's real execute step (the sandbox) both ways and
compare the results, and check that a warm kernel that does not fit the notebook, or died
while it waited, is never used.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import psutil
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course.grading.batch import warm
from harness.compare import first_difference, notebook_digest
from course.grading.batch.nbconfig import load_course_config
from course.grading.batch.plan import ExecTask
from course.grading.batch.worker import execute_task, prestart

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("batch")]
ROOT = Path(__file__).resolve().parents[1]

STUDENT_CELLS = [
    "import os\nprint(sorted(os.listdir('.')), os.getcwd())",
    "print(open('data.txt').read())\nopen('scratch.txt', 'w').write('kept inside the jail')",
    "def answer():\n    return len(open('data.txt').read())",
    "import numpy as np\nnp.random.default_rng(0).normal(size=3).round(6)",
]
TEST_CELL = "assert answer() == 11, answer()\nprint('checked', answer())"


def _notebook() -> str:
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [new_code_cell(src) for src in STUDENT_CELLS]
    test = new_code_cell(TEST_CELL)
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": "check",
                                 "points": 1, "schema_version": 3}
    nb.cells.append(test)
    return nbformat.writes(nb)


@pytest.fixture(scope="module")
def course_settings():
    cfg = load_course_config(ROOT)
    return cfg.execute_class_path, cfg.portable_config()


def _task(settings, **config_changes) -> ExecTask:
    execute_class, config = settings
    config = {**config, **config_changes}
    return ExecTask(key="warm-test", student="ada", assignment="warmup", notebook_id="warmup",
                    notebook=_notebook(), files={"data.txt": b"hello world"}, submitted={"data.txt": b"hello world"},
                    config=config, execute_class=execute_class, env={})


def _digest(notebook_json: str, tmp_path: Path, name: str) -> list:
    path = tmp_path / f"{name}.ipynb"
    path.write_text(notebook_json, encoding="utf-8")
    return notebook_digest(path)


def _kernel_processes(km) -> list[psutil.Process]:
    process = psutil.Process(km.provisioner.process.pid)
    return [process, *process.children(recursive=True)]


def test_a_warm_kernel_runs_the_notebook_as_a_cold_one(course_settings, tmp_path):
    cold = execute_task(_task(course_settings)).notebook
    prestart(*course_settings)
    assert warm._warm is not None, "no kernel was booted ahead (is the sandbox available?)"
    booted = warm._warm.km
    hot = execute_task(_task(course_settings)).notebook
    assert warm._warm is None, "the warm kernel was not used"
    assert booted.jail.work_dir == "/home/student/warmup"
    cold_digest, hot_digest = _digest(cold, tmp_path, "cold"), _digest(hot, tmp_path, "warm")
    assert first_difference(cold_digest, hot_digest) == ""
    outputs = "".join(str(cell[3]) for cell in hot_digest[1])
    assert "hello world" in outputs and "checked 11" in outputs and "/home/student/warmup" in outputs
    assert nbformat.reads(hot, as_version=4).metadata["course_grading"]["status"] == "ok"


def test_a_warm_kernel_with_other_limits_is_shut_down_not_used(course_settings, tmp_path):
    execute_class, config = course_settings
    prestart(execute_class, config)
    booted = warm._warm.km
    processes = _kernel_processes(booted)
    other = dict(config.get("SandboxedExecute", {}), memory_limit=2**31)
    result = execute_task(_task(course_settings, SandboxedExecute=other)).notebook
    assert warm._warm is None
    gone, alive = psutil.wait_procs(processes, timeout=10)
    assert not alive, "the unused warm kernel is still running"
    assert "checked 11" in result


def _kill(km) -> None:
    processes = _kernel_processes(km)
    for process in reversed(processes):
        process.kill()
    psutil.wait_procs(processes, timeout=10)


def test_a_warm_kernel_that_died_waiting_is_replaced_by_a_cold_one(course_settings, tmp_path):
    cold = execute_task(_task(course_settings)).notebook
    prestart(*course_settings)
    _kill(warm._warm.km)
    result = execute_task(_task(course_settings)).notebook
    assert first_difference(_digest(cold, tmp_path, "cold"), _digest(result, tmp_path, "after")) == ""
    assert nbformat.reads(result, as_version=4).metadata["course_grading"]["status"] == "ok"


def test_a_warm_kernel_that_dies_as_the_notebook_arrives_costs_the_student_nothing(
        course_settings, tmp_path, monkeypatch):
    """Dead after the liveness check: the execute step itself falls back to a cold kernel."""
    cold = execute_task(_task(course_settings)).notebook
    prestart(*course_settings)
    booted, warm._warm = warm._warm.km, None
    _kill(booted)
    monkeypatch.setattr(warm, "take", lambda step, nb: booted)
    result = execute_task(_task(course_settings)).notebook
    assert first_difference(_digest(cold, tmp_path, "cold"), _digest(result, tmp_path, "after")) == ""
    assert nbformat.reads(result, as_version=4).metadata["course_grading"]["status"] == "ok"


def test_a_kernel_booted_from_the_config_file_alone_fits_the_real_execute_step(course_settings, tmp_path):
    """Workers boot their first kernel from nbgrader_config.py before importing nbgrader."""
    cold = execute_task(_task(course_settings)).notebook
    assert warm.prestart_from_config(warm.config_file_settings(ROOT)), "no kernel booted from the config file"
    hot = execute_task(_task(course_settings)).notebook
    assert warm._warm is None and warm.last_was_warm, "the kernel booted from the config file was not used"
    assert first_difference(_digest(cold, tmp_path, "cold"), _digest(hot, tmp_path, "warm")) == ""
