"""The coordinator's writer: nbgrader's own ``autograde`` with its execute step served from the cache.

Run as ``python -m course.batch.pipeline`` with the course as working
directory and the assignments to grade on stdin, one a line. Everything is the stock ``Autograde``
converter (sanitize, overwrite, grade, save to the gradebook) except that the
configured execute class is subclassed: it looks up the worker's result for
the exact sanitized notebook (and companion files) and executes as usual on a
miss. Progress goes to stdout as ``@batch <event> <assignment> [<student>]`` lines.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbgrader.apps import AutogradeApp
from nbgrader.apps.baseapp import NbGrader
from nbgrader.converters import Autograde
from nbgrader.converters.base import NbGraderException

from .cache import CACHE_ENV, ExecutedCache, log_execution
from .keys import CONTEXT_ENV, companion_digests, execution_key
from .nbconfig import configured_execute_class

COORDINATOR_ENV = "COURSE_BATCH_COORDINATOR"


def emit(event: str, *words: str) -> None:
    print("@batch", event, *words, flush=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def cached_execute_class(base: type, cache: ExecutedCache, context: str, coursedir,
                         coordinator: int) -> type:
    class CachedExecute(base):
        """``base`` whose result is taken from a worker when one executed this very notebook."""

        def preprocess(self, nb, resources):
            # The folder nbgrader grades this notebook in (not metadata.path, which an
            # exporter that builds resources itself may leave empty).
            info = resources["nbgrader"]
            folder = Path(coursedir.format_path(coursedir.autograded_directory, info["student"], info["assignment"]))
            submitted = Path(coursedir.format_path(coursedir.submitted_directory, info["student"],
                                                   info["assignment"]))
            key = execution_key(nb, companion_digests(folder, list(coursedir.ignore), submitted), context)
            while cache.is_pending(key) and _alive(coordinator):
                time.sleep(0.1)
            hit = cache.load(key)
            if hit is not None:
                notebook_json, added = hit
                resources.update(added)
                return nbformat.reads(notebook_json, as_version=4), resources
            nb, resources = super().preprocess(nb, resources)
            log_execution(key, "pipeline")
            return nb, resources

    return CachedExecute


class BatchAutograde(Autograde):
    """Stock Autograde that reports each submission it starts and finishes."""

    def init_assignment(self, assignment_id: str, student_id: str) -> None:
        emit("start", assignment_id, student_id)
        super().init_assignment(assignment_id, student_id)

    def set_permissions(self, assignment_id: str, student_id: str) -> None:
        super().set_permissions(assignment_id, student_id)
        emit("done", assignment_id, student_id)


class BatchAutogradeApp(AutogradeApp):
    """Grades the assignments named on stdin, one per line, as the coordinator finishes planning
    each (so this process's start-up overlaps with planning and with the workers)."""

    def start(self) -> None:
        NbGrader.start(self)
        cache = ExecutedCache(os.environ[CACHE_ENV])
        coordinator = int(os.environ[COORDINATOR_ENV])
        for line in sys.stdin:
            assignment = line.strip()
            if not assignment:
                continue
            self.coursedir.assignment_id = assignment
            converter = BatchAutograde(coursedir=self.coursedir, parent=self)
            execute = configured_execute_class(converter)
            cached = cached_execute_class(execute, cache, os.environ[CONTEXT_ENV], self.coursedir, coordinator)
            converter.autograde_preprocessors = [
                cached if _resolve(pp) is execute else pp for pp in converter.autograde_preprocessors]
            try:
                converter.start()
            except NbGraderException:
                pass  # the submissions not reported done are counted as failed
            emit("finished", assignment)


def _resolve(entry):
    if isinstance(entry, str):
        from .nbconfig import import_class
        return import_class(entry)
    return entry


if __name__ == "__main__":
    BatchAutogradeApp.launch_instance()
