"""``course grade`` gives the gradebook and autograded notebooks of stock ``nbgrader autograde``.

A small class (correct, wrong, failing and blank students on two assignments)
is graded once serially with stock nbgrader and then in parallel; a worker is
killed mid-batch; a batch is interrupted and resumed. Executions are counted
through the execution log the workers and the pipeline write.
"""
from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from course.grading.batch.cache import EXECUTION_LOG_ENV
from harness.compare import autograded_differences, gradebook_records, record_differences
from harness.fixtures import class_answers, clone_course, make_class
from harness.fabricate import fill_answers, reference_answers, write_submission
from course.nbgrader_run import nbgrader

pytestmark = [pytest.mark.pipeline, pytest.mark.long, pytest.mark.xdist_group("batch")]
ASSIGNMENTS = ["ps01_vectors", "ps02_softmax"]
STUDENTS = 4  # correct, wrong, failing, blank


_CLASSES: list[tuple[Path, Path]] = []


@pytest.fixture(scope="session")
def batch_classes(tmp_path_factory):
    """(ungraded class, the same class graded by stock ``nbgrader autograde``), made once per
    session even though test_dask.py imports this fixture (which defines a second fixture)."""
    if not _CLASSES:
        root = tmp_path_factory.mktemp("batch")
        base = make_class(root / "base", ASSIGNMENTS, STUDENTS)
        serial = clone_course(base, root / "serial")
        for assignment in ASSIGNMENTS:
            nbgrader(serial, "autograde", assignment)
        _CLASSES.append((base, serial))
    return _CLASSES[0]


def course_grade(course: Path, *args: str, log: Path, wait: bool = True):
    env = dict(os.environ, **{EXECUTION_LOG_ENV: str(log)})
    # SIGINT as at a terminal: a run started in the background by a non-interactive shell (some CI
    # runners) ignores SIGINT, its children inherit that, and the interruption tests would not interrupt.
    proc = subprocess.Popen([sys.executable, "-m", "course.grading.batch", "--course", str(course), *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    if not wait:
        return proc
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, f"course grade exited {proc.returncode}\n{out}\n{err}"
    return out + err


def executions(log: Path) -> collections.Counter:
    """Execution key -> how many times a notebook with that key was executed to the end."""
    if not log.exists():
        return collections.Counter()
    return collections.Counter(line.split()[0] for line in log.read_text().splitlines())


def assert_same_grading(serial: Path, batch: Path, assignments: list[str]) -> None:
    expected = gradebook_records(serial, assignments)
    assert expected, "the serial run recorded nothing"
    assert record_differences(expected, gradebook_records(batch, assignments)) == []
    assert autograded_differences(serial, batch, assignments) == []


def test_the_class_mixes_right_wrong_and_failing(batch_classes):
    _, serial = batch_classes
    scores = {}
    for (assignment, student, *rest), value in gradebook_records(serial, ASSIGNMENTS).items():
        if rest and rest[1] == "grade" and value[0] is not None and value[2]:  # cells worth points
            scores.setdefault((assignment, student.split("-")[0]), []).append(value[0] == value[2])
    for assignment in ASSIGNMENTS:
        assert all(scores[(assignment, "correct")])
        assert not all(scores[(assignment, "wrong")]) and any(scores[(assignment, "wrong")])
        assert not all(scores[(assignment, "failing")])
        assert not any(scores[(assignment, "blank")])


def test_parallel_grading_equals_stock_autograde(batch_classes, tmp_path):
    base, serial = batch_classes
    course = clone_course(base, tmp_path / "parallel")
    log = tmp_path / "executions.log"
    output = course_grade(course, *ASSIGNMENTS, "--workers", "2", log=log)
    assert f"graded {STUDENTS * len(ASSIGNMENTS)}, failed 0" in output
    assert "remaining 0" in output and "ETA" in output  # the progress line
    assert_same_grading(serial, course, ASSIGNMENTS)
    lines = log.read_text().splitlines()
    assert len(lines) == STUDENTS * len(ASSIGNMENTS)
    assert all(" local " in line for line in lines), "the pipeline executed a notebook the workers had done"
    warm = sum(line.endswith(" warm") for line in lines)
    assert warm >= 0.75 * len(lines), f"notebooks should run on kernels booted ahead ({warm} of {len(lines)} did)"


def test_a_worker_killed_mid_batch_loses_no_submission(batch_classes, tmp_path):
    serial, a, course, log, proc = _start_batch(batch_classes, tmp_path / "killed", workers=2)
    victim = _busy_worker(course / ".grade_cache" / "workers.pids", proc)
    os.kill(victim, signal.SIGKILL)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, out + err
    assert f"graded {STUDENTS}, failed 0" in out
    pids = (course / ".grade_cache" / "workers.pids").read_text().split()
    assert str(victim) in pids and len(pids) >= 3, "the killed worker should have been replaced"
    assert not psutil.pid_exists(victim) or psutil.Process(victim).status() == psutil.STATUS_ZOMBIE
    assert_same_grading(serial, course, [a])
    assert set(executions(log).values()) == {1} and len(executions(log)) == STUDENTS


def _start_batch(batch_classes, folder: Path, workers: int):
    """A copy of the class with ``course grade`` running on its first assignment, in the background."""
    base, serial = batch_classes
    a = ASSIGNMENTS[0]
    course = clone_course(base, folder)
    log = folder.parent / f"{folder.name}-executions.log"
    proc = course_grade(course, a, "--workers", str(workers), log=log, wait=False)
    return serial, a, course, log, proc


def _busy_worker(pids_file: Path, proc, timeout: float = 120) -> int:
    """A worker process that is executing a notebook (it has a kernel child)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the batch ended before a worker could be killed"
        for pid in (pids_file.read_text().split() if pids_file.exists() else []):
            try:
                if psutil.Process(int(pid)).children():
                    return int(pid)
            except psutil.Error:
                continue
        time.sleep(0.1)
    raise TimeoutError("no worker started a kernel")


def test_an_interrupted_batch_resumes_and_executes_each_submission_once(batch_classes, tmp_path):
    serial, a, course, log, proc = _start_batch(batch_classes, tmp_path / "resumed", workers=1)
    deadline = time.monotonic() + 180
    while not executions(log) and time.monotonic() < deadline:
        time.sleep(0.1)
    running = proc.poll() is None
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert running, f"the batch ended before it could be interrupted ({dict(executions(log))})\n{out}\n{err[-3000:]}"
    assert proc.returncode == 130, f"exit {proc.returncode}\n{out}\n{err[-3000:]}"
    done_before = len(executions(log))
    assert 1 <= done_before < STUDENTS, "the interruption should fall mid-batch"

    course_grade(course, a, "--workers", "2", log=log)
    assert_same_grading(serial, course, [a])
    counts = executions(log)
    assert len(counts) == STUDENTS and set(counts.values()) == {1}, counts

    output = course_grade(course, a, log=log)  # nothing changed: nothing to do
    assert "0 submission(s) to grade" in output and sum(executions(log).values()) == STUDENTS

    release = nbformat.read(course / "release" / a / f"{a}.ipynb", as_version=4)
    wrong = next(s for s in class_answers(a, STUDENTS) if s.startswith("wrong"))
    write_submission(course, wrong, a, fill_answers(release, reference_answers(a)))
    output = course_grade(course, a, log=log)
    assert "1 submission(s) to grade" in output and sum(executions(log).values()) == STUDENTS + 1
    scores = {k: v for k, v in gradebook_records(course, [a]).items() if k[1] == wrong and "grade" in k}
    assert scores and all(v[0] == v[2] for v in scores.values() if v[0] is not None)
