"""``course grade --scheduler``: a real Dask cluster on loopback gives the stock gradebook.

The fixture starts ``dask scheduler`` and two ``dask worker --nworkers 1
--nthreads 1`` processes and kills them (with their children) afterwards.
"""
from __future__ import annotations

import pytest

from course.grading.batch.cache import EXECUTION_LOG_ENV
from harness.compare import gradebook_records
from harness.dask_cluster import loopback_cluster
from harness.fixtures import clone_course

from .test_batch import ASSIGNMENTS, STUDENTS, assert_same_grading, batch_classes, course_grade  # noqa: F401

pytestmark = [pytest.mark.pipeline, pytest.mark.long, pytest.mark.xdist_group("batch")]


@pytest.fixture
def dask_scheduler(tmp_path, monkeypatch):
    # Workers inherit the environment: they log each execution they finish to the test's log.
    monkeypatch.setenv(EXECUTION_LOG_ENV, str(tmp_path / "executions.log"))
    with loopback_cluster(tmp_path / "cluster", workers=2) as address:
        yield address


def test_dask_cluster_grading_equals_stock_autograde(batch_classes, dask_scheduler, tmp_path):
    base, serial = batch_classes
    course = clone_course(base, tmp_path / "dask")
    log = tmp_path / "executions.log"
    output = course_grade(course, *ASSIGNMENTS, "--scheduler", dask_scheduler, log=log)
    assert f"graded {STUDENTS * len(ASSIGNMENTS)}, failed 0" in output
    assert_same_grading(serial, course, ASSIGNMENTS)
    lines = log.read_text().splitlines()
    assert len(lines) == STUDENTS * len(ASSIGNMENTS) and all(" dask " in line for line in lines)
    assert gradebook_records(course, ASSIGNMENTS)
