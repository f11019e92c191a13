"""Worker side: execute one sanitized notebook with the course's configured execute class.

Runs in a local worker process or on a Dask worker; needs only the task (the
notebook, its companion files, the config) and this environment's packages.
It never touches the gradebook.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
from pathlib import Path

import nbformat

from course.grading.sandbox.grader.copy_back import MAX_BYTES, MAX_FILES

from .cache import Executed, log_execution
from .plan import ExecTask

def _execute_step(execute_class: str, config: dict):
    """A fresh execute preprocessor per notebook, as nbgrader's pipeline makes one per notebook."""
    from traitlets.config import Config

    from .nbconfig import import_class
    return import_class(execute_class)(config=Config(config))


def prestart(execute_class: str | None, config: dict) -> None:
    """Boot the kernel for the next notebook now (see :mod:`course.grading.batch.warm`); with no
    ``execute_class``, for the execute step ``config`` lists in ``Autograde.autograde_preprocessors``."""
    from course.grading.batch import warm
    from .nbconfig import execute_class_in
    if execute_class is None:
        cls = execute_class_in(config.get("Autograde", {}).get("autograde_preprocessors", []))
        if cls is None:
            return
        execute_class = f"{cls.__module__}.{cls.__qualname__}"
    warm.prestart(_execute_step(execute_class, config))


def execute_task(task: ExecTask) -> Executed:
    """Execute ``task`` in a scratch copy of its autograded folder; return the notebook, the
    resources added and the files it wrote there."""
    from nbgrader.utils import setenv
    os.environ.update(task.env)
    from course.grading.batch import warm
    step = _execute_step(task.execute_class, task.config)
    scratch = Path(tempfile.mkdtemp(prefix="course-grade-"))
    # The course directory layout autograde executes in: <root>/autograded/<student>/<assignment>/
    # (the notebook and its companion files) beside <root>/submitted/<student>/<assignment>/.
    folder = scratch / "autograded" / task.student / task.assignment
    try:
        _lay_out(scratch / "submitted" / task.student / task.assignment, task.submitted)
        _lay_out(folder, task.files)
        (folder / f"{task.notebook_id}.ipynb").write_text(task.notebook, encoding="utf-8")
        nb = nbformat.reads(task.notebook, as_version=4)
        resources = {"metadata": {"name": task.notebook_id, "path": str(folder)},
                     "nbgrader": {"student": task.student, "assignment": task.assignment,
                                  "notebook": task.notebook_id}}
        before = set(resources)
        km = warm.take(step, nb)
        if task.boot_next:  # the next notebook's kernel boots while this one runs
            warm.prestart(step)
        with setenv(NBGRADER_EXECUTION="autograde"):
            nb, resources = step.preprocess(nb, resources, km) if km else step.preprocess(nb, resources)
        added = {k: v for k, v in resources.items() if k not in before and _jsonable(v)}
        return Executed(nbformat.writes(nb), added, side_files(folder, task.files, f"{task.notebook_id}.ipynb"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _lay_out(folder: Path, entries: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for rel, value in entries.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, tuple):
            os.symlink(value[1], target)
        elif isinstance(value, bytes):
            target.write_bytes(value)
        else:
            shutil.copyfile(value, target)


def side_files(folder: Path, laid_out: dict, notebook: str) -> list[list[str]]:
    """Regular files in ``folder`` that are new or changed since it was laid out (never the
    notebook, never a link), within the copy-back bounds; the writer bounds them again."""
    found, total = [], 0
    for dirpath, dirnames, filenames in os.walk(folder):  # does not descend into linked folders
        for name in sorted(filenames):
            path = Path(dirpath, name)
            rel = path.relative_to(folder).as_posix()
            if rel == notebook or path.is_symlink():
                continue
            data = path.read_bytes()
            if rel in laid_out and not isinstance(laid_out[rel], tuple) and data == _content(laid_out[rel]):
                continue
            total += len(data)
            if len(found) >= MAX_FILES or total > MAX_BYTES:
                return found
            found.append([rel, base64.b64encode(data).decode("ascii")])
    return found


def _content(value) -> bytes:
    return value if isinstance(value, bytes) else Path(value).read_bytes()


def _jsonable(value) -> bool:
    try:
        json.dumps(value)
        return True
    except (TypeError, ValueError):
        return False

