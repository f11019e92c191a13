"""The trust boundary is the folder boundary: the jail holds only the code that runs inside it.

``course/grading/sandbox/jailed/`` and ``wire/`` are all of the course's code a student's
kernel can import; they are bound from the very files the grader imported, so a course
directory that holds its own copy of ``course/`` grades like the installed one.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course.grading.batch.nbconfig import load_course_config
from course.grading.batch.plan import ExecTask
from course.grading.batch.worker import execute_task
from course.nbgrader_run import make_scratch_course, nbgrader
from course.report.scores import read_results
from harness.fabricate import fill_answers, reference_answers, write_submission

pytestmark = [pytest.mark.pipeline, pytest.mark.xdist_group("batch")]
ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import importlib, json
found = {}
for name in ["course.grading.sandbox.jailed.agent", "course.grading.sandbox.wire.codec",
             "course.grading.sandbox.grader.channel", "course.grading.steps.sandboxed_execute",
             "course.report", "course.authoring", "graders", "harness", "solutions"]:
    try:
        module = importlib.import_module(name)
        found[name] = getattr(module, "__file__", "") or "namespace"
    except ImportError:
        found[name] = None
print("PROBE" + json.dumps(found))
"""


def _probe_notebook() -> str:
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [new_code_cell(PROBE)]
    return nbformat.writes(nb)


def _imports_inside_the_jail() -> dict:
    cfg = load_course_config(ROOT)
    task = ExecTask(key="layout-probe", student="ada", assignment="probe", notebook_id="probe",
                    notebook=_probe_notebook(), files={}, submitted={}, config=cfg.portable_config(),
                    execute_class=cfg.execute_class_path, env={})
    result = execute_task(task).notebook
    text = "".join(o.get("text", "") for o in nbformat.reads(result, as_version=4).cells[0].outputs)
    return json.loads(text.split("PROBE", 1)[1])


def test_the_jail_holds_only_the_code_that_runs_inside_it():
    found = _imports_inside_the_jail()
    assert found["course.grading.sandbox.jailed.agent"], "the in-jail agent is missing from the jail"
    assert found["course.grading.sandbox.wire.codec"], "the wire format is missing from the jail"
    reachable = [name for name, path in found.items() if path and ".jailed." not in name and ".wire." not in name]
    assert reachable == [], f"reachable inside the jail: {reachable}"


def test_a_course_folder_with_its_own_copy_of_course_grades_like_the_installed_one(tmp_path):
    course = make_scratch_course(tmp_path / "course")
    copy = course / "course"
    shutil.copytree(ROOT / "course", copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "grading" / "sandbox" / "jailed" / "COPY").write_text("the course folder's own copy\n")
    nbgrader(course, "generate_assignment", "ps01_vectors", "--force")
    release = nbformat.read(course / "release" / "ps01_vectors" / "ps01_vectors.ipynb", as_version=4)
    write_submission(course, "ada", "ps01_vectors", fill_answers(release, reference_answers("ps01_vectors")))
    nbgrader(course, "autograde", "ps01_vectors")
    result = read_results(course, "ps01_vectors")["ada"]
    assert result.auto_score == result.max_auto, f"the reference lost points: {result.lost}"
